"""The lexicon's key and value format: folded spellings (`swedish.fold.fold_word`:
all diacritic variants of a word share one key) and packed entries."""

from __future__ import annotations

from dataclasses import dataclass

# Role bits of an entry.
HUNSPELL_WORD = 1  # a hunspell-sv form that stands on its own
BEGIN = 2  # may start a compound (hunspell COMPOUNDBEGIN)
MIDDLE = 4  # may stand inside a compound (COMPOUNDMIDDLE)
END = 8  # may end a compound (COMPOUNDEND, and its inflected forms)
FREQUENT = 16  # wordfreq zipf >= FREQUENT_ZIPF: a word even if hunspell lacks it (names, loans)
LISTED = 32  # in wordfreq's Swedish list at all (which also holds web noise and English)
ENGLISH = 64  # a common English word, far more common in English than in Swedish (`the`, `for`, `policies`)

FREQUENT_ZIPF = 3.0
# ENGLISH: wordfreq English zipf at least ENGLISH_ZIPF and ENGLISH_MARGIN above the Swedish
# one. `for` (7.0 / 4.9), `and`, `development` (5.3 / 3.6) are English; `man` (5.8 / 6.7),
# `far` (5.5 / 4.9), `hall`, `bar`, `till` are not, so damaged Swedish rarely looks English.
ENGLISH_ZIPF, ENGLISH_MARGIN = 3.0, 1.0

@dataclass(frozen=True, slots=True)
class Entry:
    word: str  # real spelling, case as in the dictionary (`Linköping`, `förvaltningen`)
    roles: int
    zipf: float  # wordfreq frequency of the word (of the stem, for linking forms); 0 unknown

    @property
    def is_word(self) -> bool:
        """A word on its own: in hunspell-sv, or common in wordfreq."""
        return bool(self.roles & (HUNSPELL_WORD | FREQUENT))

    @property
    def is_english(self) -> bool:
        return bool(self.roles & ENGLISH)

    def has(self, role: int) -> bool:
        return bool(self.roles & role)


def pack(word: str, roles: int, zipf: float) -> bytes:
    return bytes((roles, min(255, round(zipf * 10)))) + word.encode("utf-8")


def unpack(value: bytes) -> Entry:
    return Entry(word=value[2:].decode("utf-8"), roles=value[0], zipf=value[1] / 10)
