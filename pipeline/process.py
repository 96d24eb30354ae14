"""One file through the stages: ingest → normalize → extract, in memory."""

from __future__ import annotations

from pathlib import Path

from config import Limits
from document import Document
from errors import IngestError
from extract import extract
from ingest.reader import read_document
from normalize import normalize
from normalize.language import language_of


def normalized_text(path: str | Path, *, reocr: str = "never") -> str:
    """The cleaned, restored text of one file, before extraction (`diarium normalize`)."""
    return normalize(read_document(path, reocr=reocr)).text


def process_file(
    path: str | Path,
    *,
    doc_id: str | None = None,
    reocr: str = "auto",
    password: str | None = None,
    limits: Limits | None = None,
    require_swedish: bool = True,
) -> Document:
    """Read, clean and structure one file; raise `IngestError` with a one-line reason."""
    raw = read_document(path, doc_id=doc_id, reocr=reocr, password=password, limits=limits)
    normalized = normalize(raw)
    language = language_of(normalized.text)
    if require_swedish and language in ("en", "other"):
        raise IngestError(str(path), "document is in English, not Swedish" if language == "en" else "document is not in Swedish")
    doc = extract(normalized)
    doc.language = language if language != "unknown" else "sv"
    return doc
