"""The Swedish lexicon, shared by ingest (how damaged is a page's text layer?) and
normalize (which Swedish word did the OCR damage?).

It is its own package, not part of either stage, because both need the same notion of
"a Swedish word" and a stage must not reach into another's internals. Words come from
hunspell-sv (every inflected form, and compounds built by its compound flags:
`omsorgs|förvaltningens`, `jämställdhets|politiska`) and from wordfreq's Swedish list
(frequencies, and common names and loans hunspell lacks); the words that are English
rather than Swedish are marked (`is_english`). The compiled trie is cached
(lexicon/build.py); `load()` maps it into memory once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache

import marisa_trie

from config import SWEDISH_DATA
from lexicon.build import ensure_built
from lexicon.entries import BEGIN, END, ENGLISH, HUNSPELL_WORD, LISTED, MIDDLE, Entry, unpack
from swedish.fold import fold_word

MAX_COMPOUND_PARTS = 4  # hunspell-sv's COMPOUNDWORDMAX
MIN_PART = 2  # hunspell-sv's COMPOUNDMIN
MAX_CACHED = 300_000  # look-ups remembered per cache before it is emptied (long ingests)
# the first part of a loose compound (`Lexicon.loose_compound`): letters, frequency
MIN_LOOSE_PART, LOOSE_PART_ZIPF = 3, 3.5

Segmentation = tuple[tuple[str, tuple[Entry, ...]], ...]  # (folded part, its entries in that role)


class Lexicon:
    def __init__(self, trie: marisa_trie.BytesTrie):
        self._trie = trie
        self._entries: dict[str, tuple[Entry, ...]] = {}
        self._splits: dict[str, tuple[Segmentation, ...]] = {}
        self._known: dict[str, bool] = {}
        self._loose: dict[str, tuple[float, float] | None] = {}

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
        return max((e.zipf for e in self.entries(fold_word(word)) if e.word.lower() == lower), default=0.0)

    def is_english(self, word: str) -> bool:
        """Is this spelling (any case) a common English word, far more English than Swedish?"""
        lower = word.lower()
        return any(e.is_english and e.word.lower() == lower for e in self.entries(fold_word(lower)))

    def is_word(self, word: str) -> bool:
        """Is this exact spelling (any case) a Swedish word or a valid compound?"""
        lower = word.lower()
        known = self._known.get(lower)
        if known is None:
            known = self._is_word(lower)
            _remember(self._known, lower, known)
        return known

    def _is_word(self, lower: str) -> bool:
        if any(e.word.lower() == lower for e in self.words(fold_word(lower))):
            return True
        for split in self.compound_splits(fold_word(lower)):
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

    def loose_compound(self, word: str) -> tuple[float, float] | None:
        """The zipf frequencies of the two parts of `word` (this exact spelling) read as a
        compound that hunspell-sv's flags miss, or None. Its flags miss many compounds of
        the public sector: `lov` may not begin one, so `lov|plikt` and `lov|befrielse` are
        no words to `is_word`. Here the first part may be any common word of its own
        (zipf ≥ LOOSE_PART_ZIPF, at least MIN_LOOSE_PART letters, no function word) that
        is the commonest spelling of its folded form: `lov` (4.6) before `löv` (3.8), but
        not `for` (`för`), which an English OCR makes of another word (`forstudien` is
        `för|studien`). The last part, the head, must be flagged as one. For judging
        whether an unknown word is a word; `is_word` and `compound_splits` keep
        hunspell-sv's rules."""
        lower = word.lower()
        if lower in self._loose:
            return self._loose[lower]
        found = None
        folded = fold_word(lower)
        if len(folded) == len(lower):
            for prefix in self._trie.prefixes(folded):
                cut = len(prefix)
                if cut < MIN_LOOSE_PART or len(folded) - cut < MIN_PART:
                    continue
                head = self._loose_part_zipf(lower[:cut], prefix)
                tail = self._part_zipf(lower[cut:], folded[cut:], END) if head is not None else None
                if tail is not None and (found is None or head + tail > sum(found)):
                    found = (head, tail)
        _remember(self._loose, lower, found)
        return found

    def _part_zipf(self, part: str, folded: str, role: int) -> float | None:
        """The zipf of `part` (exact spelling) if hunspell-sv lets it stand in this role."""
        zipfs = [e.zipf for e in self.entries(folded) if e.word.lower() == part and e.has(role)]
        return max(zipfs) if zipfs else None

    def _loose_part_zipf(self, part: str, folded: str) -> float | None:
        """The zipf of `part` if it may be a loose compound part (see `loose_compound`)."""
        if part in _function_words():
            return None
        entries = self.entries(folded)
        own = max((e.zipf for e in entries if e.word.lower() == part and e.has(HUNSPELL_WORD)), default=0.0)
        if own < LOOSE_PART_ZIPF or any(e.zipf > own for e in entries if e.is_word and e.word.lower() != part):
            return None
        return own


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """Swedish function words (data/swedish/stopwords.txt), and their folded spellings."""
    lines = (SWEDISH_DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    words = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(words | {fold_word(word) for word in words})


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


__all__ = [
    "BEGIN",
    "END",
    "ENGLISH",
    "HUNSPELL_WORD",
    "LISTED",
    "MIDDLE",
    "Entry",
    "Lexicon",
    "fold",
    "load",
    "rejected_share",
    "rejected_words",
]
