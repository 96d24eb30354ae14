"""Composition of the stages: `process_file` runs one file through ingest → normalize →
extract; `Archive` keeps processed documents stored, indexed, consistent and searchable
(ingestion.py: the ingest flow; parallel.py: parsing in worker processes;
maintenance.py: delete, prune, check/repair, reindex; locking.py: one writer)."""

from importlib import import_module

# Imported on first use, so that searching never loads the parsing stages (spaCy, torch).
_EXPORTS = {
    "Archive": "pipeline.archive",
    "ModelMismatchError": "pipeline.archive",
    "FileResult": "pipeline.ingestion",
    "IngestReport": "pipeline.ingestion",
    "process_file": "pipeline.process",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
