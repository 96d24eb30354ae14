"""Folding for robust matching of OCR-damaged Swedish: `Férslag`, `Forslag` and
`Förslag` all fold to `forslag`. Used only to *compare* text, never to store it."""

from __future__ import annotations

import re
import unicodedata

# Characters English OCR puts where Swedish letters were (inside words only).
_OCR_IN_WORD = str.maketrans({"&": "a", "6": "o", "0": "o", "1": "i", "|": "i", "@": "a"})
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, strip diacritics, undo in-word OCR digit/sign confusions, squeeze spaces."""
    text = strip_diacritics(text).lower()
    text = re.sub(r"(?<=[a-z])[&601|@]|[&601|@](?=[a-z])", lambda m: m.group(0).translate(_OCR_IN_WORD), text)
    return _SPACES.sub(" ", text).strip()
