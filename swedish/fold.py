"""Folding: how diarium compares Swedish that OCR may have damaged. Used only to
*compare* text, never to store it. Two strengths, one built on the other:

- `fold_word`: the spelling an English OCR model would most likely leave of a word:
  lower case, `å ä → a`, `ö → o`, `é → e`, `ü → u`. All diacritic variants of a word share
  it (`forvaltningen` finds `förvaltningen`; `vald` finds `vald` and `våld`): the
  lexicon's key (lexicon/).
- `fold`: for comparing names and headings (extract/, index/): `fold_word`, then any
  other diacritic stripped, in-word OCR signs undone (`f6rslag`) and spaces squeezed.
  `Férslag`, `Forslag` and `Förslag` all fold to `forslag`.

`ocr_tolerant` turns a Swedish word or phrase into a regular expression that also
accepts what English OCR makes of å, ä and ö (`Linkdping`, `Stdngéstaden`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SWEDISH_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzåäö")
_FOLD_LETTERS = str.maketrans("åäöéèüáàâôæø", "aaoeeuaaaoao")
# Characters English OCR puts where Swedish letters were (inside words only).
_OCR_IN_WORD = str.maketrans({"&": "a", "6": "o", "0": "o", "1": "i", "|": "i", "@": "a"})
_SPACES = re.compile(r"\s+")
# What English tesseract reads for å/ä/ö: the bare vowel, an accented vowel, or a
# look-alike letter, digit or sign; occasionally two characters (`Foérvaltningen`).
OCR_SWEDISH_VOWEL = r"(?:[åäöÅÄÖaoeAOEéèêëáàâóòôíìiIdbDB64&@0|]{1,2})"


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_word(word: str) -> str:
    """Lower case with Swedish and common accented vowels folded (the lexicon's key)."""
    return word.lower().translate(_FOLD_LETTERS)


@lru_cache(maxsize=1 << 16)  # the same words are folded again and again
def fold(text: str) -> str:
    """`fold_word`, then other diacritics stripped, in-word OCR digit/sign confusions
    undone and spaces squeezed."""
    text = strip_diacritics(fold_word(text))
    text = re.sub(r"(?<=[a-z])[&601|@]|[&601|@](?=[a-z])", lambda m: m.group(0).translate(_OCR_IN_WORD), text)
    return _SPACES.sub(" ", text).strip()


def ocr_units(phrase: str) -> tuple[str, ...]:
    """`ocr_tolerant(phrase)` one regular expression per character of `phrase`."""
    return tuple(OCR_SWEDISH_VOWEL if ch in "åäöÅÄÖ" else r"\s+" if ch == " " else re.escape(ch) for ch in phrase)


def ocr_tolerant(phrase: str) -> str:
    """A regular expression for `phrase` in which each å/ä/ö also matches its OCR
    renderings and each space any run of whitespace. Other characters match literally."""
    return "".join(ocr_units(phrase))
