"""Composition of the stages: `process_file` runs one file through ingest → normalize →
extract; `Archive` keeps processed documents stored, indexed, consistent and searchable
(ingestion.py: the ingest flow; parallel.py: parsing in worker processes;
maintenance.py: delete, prune, check/repair, reindex; locking.py: one writer)."""

from pipeline.archive import Archive, ModelMismatchError
from pipeline.ingestion import FileResult, IngestReport
from pipeline.process import process_file

__all__ = ["Archive", "FileResult", "IngestReport", "ModelMismatchError", "process_file"]
