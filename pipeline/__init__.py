"""Composition of the stages: `process_file` runs one file through ingest → normalize →
extract; `Archive` keeps processed documents stored, indexed and searchable."""

from pipeline.archive import Archive, IngestReport
from pipeline.process import process_file

__all__ = ["Archive", "IngestReport", "process_file"]
