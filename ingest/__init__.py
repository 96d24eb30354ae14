"""Stage 1, ingest: read a file (PDF, plain text or Markdown) into a `RawDocument` of page
texts.

Public entry points: `read_document(path)` and `find_files(paths)`; the per-file limit
errors and `remove_stale_scratch` (OCR scratch folders of killed runs) for the parse
workers. Every failure is an `IngestError` whose message is one line naming the cause.
"""

from ingest.errors import IngestError, over_memory_limit, over_time_limit
from ingest.files import content_hash, find_files
from ingest.ocr import remove_stale_scratch
from ingest.reader import read_document

__all__ = ["IngestError", "content_hash", "find_files", "over_memory_limit", "over_time_limit", "read_document", "remove_stale_scratch"]
