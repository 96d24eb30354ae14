"""The Swedish lexicon, shared by ingest (how damaged is a page's text layer?) and
normalize (which Swedish word did the OCR damage?).

It is its own package, not part of either stage, because both need the same notion of
"a Swedish word" and a stage must not reach into another's internals. Words come from
hunspell-sv (every inflected form, and compounds built by its compound flags:
`omsorgs|förvaltningens`, `jämställdhets|politiska`) and from wordfreq's Swedish list
(frequencies, and common names and loans hunspell lacks). The compiled trie is cached
(lexicon/build.py); `load()` maps it into memory once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache

import marisa_trie

from lexicon.build import ensure_built
from lexicon.entries import BEGIN, END, LISTED, MIDDLE, Entry, fold, unpack

MAX_COMPOUND_PARTS = 4  # hunspell-sv's COMPOUNDWORDMAX
MIN_PART = 2  # hunspell-sv's COMPOUNDMIN
MAX_CACHED = 300_000  # look-ups remembered per cache before it is emptied (long ingests)

Segmentation = tuple[tuple[str, tuple[Entry, ...]], ...]  # (folded part, its entries in that role)


class Lexicon:
    def __init__(self, trie: marisa_trie.BytesTrie):
        self._trie = trie
        self._entries: dict[str, tuple[Entry, ...]] = {}
        self._splits: dict[str, tuple[Segmentation, ...]] = {}
        self._known: dict[str, bool] = {}

    def entries(self, folded: str) -> tuple[Entry, ...]:
        """Every spelling whose folded form is `folded` (`vald` → vald, våld, väld)."""
        found = self._entries.get(folded)
        if found is None:
            found = tuple(unpack(value) for value in self._trie.get(folded, ()))
            _remember(self._entries, folded, found)
        return found

    def words(self, folded: str) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries(folded) if entry.is_word)

    def zipf(self, word: str) -> float:
        lower = word.lower()
        return max((e.zipf for e in self.entries(fold(word)) if e.word.lower() == lower), default=0.0)

    def is_word(self, word: str) -> bool:
        """Is this exact spelling (any case) a Swedish word or a valid compound?"""
        lower = word.lower()
        known = self._known.get(lower)
        if known is None:
            known = self._is_word(lower)
            _remember(self._known, lower, known)
        return known

    def _is_word(self, lower: str) -> bool:
        if any(e.word.lower() == lower for e in self.words(fold(lower))):
            return True
        for split in self.compound_splits(fold(lower)):
            position, exact = 0, True
            for part, entries in split:
                piece = lower[position : position + len(part)]
                position += len(part)
                if not any(e.word.lower() == piece for e in entries):
                    exact = False
                    break
            if exact:
                return True
        return False

    def compound_splits(self, folded: str) -> tuple[Segmentation, ...]:
        """Ways to read `folded` as a hunspell-sv compound: a begin part, middle parts,
        an end part (each with the spellings allowed in that role)."""
        found = self._splits.get(folded)
        if found is None:
            found = tuple(self._split(folded, 0, 1)) if len(folded) >= 2 * MIN_PART else ()
            _remember(self._splits, folded, found)
        return found

    def _split(self, folded: str, start: int, part_number: int):
        rest = folded[start:]
        role = BEGIN if part_number == 1 else MIDDLE
        for prefix in self._trie.prefixes(rest):
            if len(prefix) < MIN_PART or len(rest) - len(prefix) < MIN_PART:
                continue
            # hunspell-sv flags few middle parts; a word that may both begin and end a
            # compound is let stand inside one too (`föräldra|stöds|program`)
            head = tuple(e for e in self.entries(prefix) if e.has(role) or (part_number > 1 and e.has(BEGIN) and e.has(END)))
            if not head:
                continue
            tail = rest[len(prefix) :]
            ends = tuple(e for e in self.entries(tail) if e.has(END))
            if ends:
                yield ((prefix, head), (tail, ends))
            if part_number + 1 < MAX_COMPOUND_PARTS:
                for more in self._split(folded, start + len(prefix), part_number + 1):
                    yield ((prefix, head),) + more


def _remember(cache: dict, key, value) -> None:
    if len(cache) >= MAX_CACHED:
        cache.clear()
    cache[key] = value


@lru_cache(maxsize=1)
def load() -> Lexicon:
    trie = marisa_trie.BytesTrie()
    trie.mmap(str(ensure_built()))
    return Lexicon(trie)


_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_EDGE_PUNCTUATION = "\"'“”’«»()[]{}.,;:!?–—-…•*/"


def rejected_words(text: str, lexicon: Lexicon | None = None) -> tuple[int, int]:
    """(rejected, checked): of the lower-case words of `text` (two or more characters,
    starting with a lower-case letter), how many are not Swedish words; a word with a
    mark English OCR leaves (`bes6k`, `f&r`, `férvaltningen`) is rejected. Capitalized
    words are not checked: names are capitalized, and a lexicon knows few of them."""
    lexicon = lexicon or load()
    checked = rejected = 0
    for raw in _WORD.findall(text):
        token = raw.strip(_EDGE_PUNCTUATION)
        if len(token) < 2 or not token[0].islower():
            continue
        checked += 1
        if not _LETTERS.match(token) or not lexicon.is_word(token):
            rejected += 1
    return rejected, checked


def rejected_share(text: str, lexicon: Lexicon | None = None) -> float:
    """Share of the lower-case words of `text` that are not Swedish words
    (`rejected_words`). Clean Swedish scores 0–2 %; text OCR'd with an English model
    14–30 %."""
    rejected, checked = rejected_words(text, lexicon)
    return rejected / checked if checked else 0.0


__all__ = ["BEGIN", "END", "LISTED", "MIDDLE", "Entry", "Lexicon", "fold", "load", "rejected_share", "rejected_words"]
