"""The one error type ingest raises (errors.IngestError: a file that cannot be read, with
a one-line cause), re-exported for the stage's callers, and the messages of the per-file
limits, written once for ingest and the parse workers (pipeline/parallel.py)."""

from errors import IngestError


def over_time_limit(path: str, seconds: float) -> IngestError:
    return IngestError(path, f"took longer than {seconds:.0f} s to read (the limit per file)")


def over_memory_limit(path: str, megabytes: int) -> IngestError:
    return IngestError(path, f"needed more than {megabytes} MB of memory (the limit per file)")


__all__ = ["IngestError", "over_memory_limit", "over_time_limit"]
