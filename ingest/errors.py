"""The one error type ingest raises (errors.IngestError: a file that cannot be read, with
a one-line cause), re-exported for the stage's callers."""

from errors import IngestError

__all__ = ["IngestError"]
