"""Unicode repair: mojibake (ftfy), compatibility characters, NFC composition."""

from __future__ import annotations

import unicodedata

import ftfy

_REPLACEMENTS = {
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",
    "\u2009": " ",
    "\u200b": "",
    "\ufeff": "",
    "\uf0b7": "•",  # private-use bullet from Word exports
}
_TABLE = str.maketrans(_REPLACEMENTS)


def fix_unicode(text: str) -> str:
    text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    return unicodedata.normalize("NFC", text.translate(_TABLE))
