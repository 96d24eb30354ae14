"""Stage 1, ingest: read a file (PDF or plain text) into a `RawDocument` of page texts.

Public entry points: `read_document(path)` and `find_files(paths)`. Every failure is an
`IngestError` whose message is one line naming the cause.
"""

from ingest.errors import IngestError
from ingest.files import content_hash, find_files
from ingest.reader import read_document

__all__ = ["IngestError", "content_hash", "find_files", "read_document"]
