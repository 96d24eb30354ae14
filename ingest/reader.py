"""Read one file into a `RawDocument`, choosing the reader by the file's content."""

from __future__ import annotations

import os
from pathlib import Path

from config import Limits
from document import RawDocument
from ingest.errors import IngestError
from ingest.files import check_readable, content_hash
from ingest.pdf import read_pdf_pages
from ingest.text import read_text_pages

PDF_MAGIC = b"%PDF-"


def read_document(
    path: str | Path,
    *,
    doc_id: str | None = None,
    reocr: str = "auto",
    password: str | None = None,
    limits: Limits | None = None,
) -> RawDocument:
    """Read `path`; raise `IngestError` with a one-line reason if it cannot be read.

    `doc_id` may be passed when the caller already hashed the file.
    """
    path = Path(path)
    limits = limits or Limits()
    size = check_readable(path, limits).st_size  # its type before any byte is read
    if not os.access(path, os.R_OK):
        raise IngestError(str(path), "permission denied (file is not readable)")
    if size == 0:
        raise IngestError(str(path), "empty file (0 bytes)")
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from exc

    doc_id = doc_id or content_hash(path)
    if PDF_MAGIC in head:
        pages, notes = read_pdf_pages(path, reocr=reocr, password=password, limits=limits)
        file_type = "pdf"
    elif path.suffix.lower() == ".pdf":
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise IngestError(str(path), f"named .pdf but is {kind} (no %PDF header)")
    else:
        pages, notes = read_text_pages(path, limits)
        file_type = "md" if path.suffix.lower() == ".md" else "txt"
    if not any(page.text.strip() for page in pages):
        reason = "no text found"
        if notes:
            reason += f" ({notes[0]})"
        raise IngestError(str(path), reason)
    return RawDocument(doc_id=doc_id, source=str(path.resolve()), pages=pages, file_type=file_type, notes=notes)
