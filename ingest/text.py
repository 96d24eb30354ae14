"""Text files (.txt, and .md through ingest/markdown.py): decoded, split into pages, page
furniture removed (ingest/layout.py).

Decoding: a byte-order mark decides (UTF-8, UTF-16); UTF-16 without one is recognized by
its NUL bytes, which stand in every other position of Latin text; otherwise UTF-8, else
the Windows code page cp1252, else Latin-1. What decodes into control characters is not
text: random bytes decode (as Latin-1) into 25 % control characters, Swedish text in any
of these encodings into none, so a file with more than `MAX_CONTROL_SHARE` of them, or
NUL bytes that are no UTF-16, is refused as binary.

Pages: form feeds separate pages, as in text exported from PDFs; otherwise the file is
one page. Markdown splits at its own page markers.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from config import Limits
from document import Page
from ingest.errors import IngestError
from ingest.layout import strip_furniture
from ingest.markdown import markdown_pages

MAX_CONTROL_SHARE = 0.01  # more control characters than this (of the first `_SAMPLE` characters) and it is not text
UTF16_NUL_SHARE = 0.3  # at least this share of NUL bytes, nearly all on one parity: UTF-16 without a BOM
_SAMPLE = 1 << 16
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def read_text_pages(path: Path, limits: Limits | None = None) -> tuple[list[Page], list[str]]:
    limits = limits or Limits()
    size = path.stat().st_size
    if size > limits.max_text_bytes:
        raise IngestError(str(path), f"text file too large ({size / 2**20:.0f} MB; the limit is {limits.max_text_bytes / 2**20:.0f} MB)")
    text, encoding = decode_text(path.read_bytes(), str(path))
    notes = [] if encoding in ("utf-8", "utf-8-sig") else [f"decoded as {encoding} (not UTF-8)"]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = markdown_pages(text) if path.suffix.lower() == ".md" else text.split("\f")
    pages = [Page(number=i + 1, text=part, origin="plain_text") for i, part in enumerate(strip_furniture(parts))]
    return pages, notes


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; IngestError("binary file …") if they are
    not text in any encoding tried (see the module docstring)."""
    encoding = _encoding_by_bom(data) or _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise IngestError(name, f"binary file, not text or PDF (invalid {encoding})") from None
    elif b"\x00" in data:
        raise IngestError(name, "binary file, not text or PDF (NUL bytes)")
    else:
        text, encoding = _decode_8bit(data)
    if _control_share(text[:_SAMPLE]) > MAX_CONTROL_SHARE:
        raise IngestError(name, "binary file, not text or PDF (control characters)")
    return text.lstrip("\ufeff"), encoding


def _encoding_by_bom(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    nuls = sample.count(0)
    if len(sample) < 2 or nuls < UTF16_NUL_SHARE * len(sample):
        return None
    odd = sample[1::2].count(0)  # little-endian Latin text: `S\x00v\x00`
    if odd >= 0.95 * nuls:
        return "utf-16-le"
    if nuls - odd >= 0.95 * nuls:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    return controls / len(text)
