"""Plain-text files: decode (UTF-8, else the Windows/Latin-1 code pages) into pages.

Form feeds separate pages, as in text exported from PDFs; otherwise the file is one page.
"""

from __future__ import annotations

from pathlib import Path

from config import Limits
from document import Page
from ingest.errors import IngestError

_BINARY_SHARE = 0.01  # more NUL bytes than this and the file is not text


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 (with or without BOM) first, then cp1252, then latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def read_text_pages(path: Path, limits: Limits | None = None) -> tuple[list[Page], list[str]]:
    limits = limits or Limits()
    if path.stat().st_size > limits.max_text_bytes:
        raise IngestError(str(path), f"text file too large ({path.stat().st_size / 2**20:.0f} MB; the limit is {limits.max_text_bytes / 2**20:.0f} MB)")
    data = path.read_bytes()
    if data.count(b"\x00") > _BINARY_SHARE * len(data):
        raise IngestError(str(path), "binary file, not text or PDF")
    text, encoding = decode_text(data)
    notes = [] if encoding == "utf-8-sig" else [f"decoded as {encoding} (not UTF-8)"]
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    pages = [Page(number=i + 1, text=part, origin="plain_text") for i, part in enumerate(parts)]
    return pages, notes
