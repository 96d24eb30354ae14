"""Read one file into a `RawDocument`, choosing the reader by the file's content: a PDF by
its `%PDF-` header, anything else as text (.md as Markdown)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from config import REOCR_POLICIES, Limits, choice
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

    `doc_id` may be passed when the caller already hashed the file. OCR ends within the
    file's time limit (`limits.seconds_per_file`); the parse workers bound the rest.
    """
    choice("re-OCR policy", reocr, REOCR_POLICIES)
    limits = limits or Limits()
    deadline = time.monotonic() + limits.seconds_per_file
    path = Path(path)
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

    doc_id = doc_id or content_hash(path, limits)
    if PDF_MAGIC in head:
        pages, notes = read_pdf_pages(path, reocr=reocr, password=password, limits=limits, deadline=deadline)
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
