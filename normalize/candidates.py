"""Candidate Swedish words for one OCR'd token.

The token is read through the confusion model (normalize/confusions.py): every character
folds (`a` may be `a`, `ä` or `å`), and OCR strings the folding does not cover have
readings (`é` → ö, `6` → ö, `&` → ä). Each reading of the token gives a folded key; the
lexicon returns every word with that key or, failing that, every hunspell-sv compound
(`omsorgs|förvaltningens`). Only when nothing is found are letters the OCR may have
dropped put back (`ka` → `öka`). A candidate keeps the (OCR string, gold character)
pairs it was read through, so its channel probability can be scored for any document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice, product

from lexicon import BEGIN, LISTED, MIDDLE, Entry, load
from normalize.confusions import load_model
from swedish.fold import SWEDISH_ALPHABET, fold_word

MAX_LETTER_READINGS = 2  # readings of ordinary letters (`d` → ö, `i` → ä) per token; marks are free
MAX_DROPPED_TOKEN = 10  # dropped letters, and two letter readings, only in tokens this short (`ka` → `öka`)
MAX_COMPOUND_VARIANTS = 64
MIN_COMPOUND_KEY = 6
HUNSPELL_ONLY_ZIPF = 1.5  # prior of a hunspell word wordfreq never saw
# A compound's prior: COMPOUND_ZIPF for two parts, less per extra part, more when its parts
# are common words (`bygg|rätt` before `bygg|ratt`), above all its last part, the head that
# makes it the word it is (`kultur|direktör` before `kultur|direktor`).
COMPOUND_ZIPF, COMPOUND_PART_PENALTY, COMPOUND_PART_WEIGHT, COMPOUND_HEAD_WEIGHT = 2.0, 0.75, 0.25, 0.5

Segments = tuple[tuple[str, str], ...]  # (OCR string as in the token, folded character of the key)


@dataclass(frozen=True, slots=True)
class Candidate:
    word: str  # lower case
    zipf: float  # prior frequency (compounds: estimated from their parts)
    pairs: tuple[tuple[str, str], ...]  # (OCR string as in the token, gold character, lower case)
    proper: bool = False  # the lexicon spells it with a capital (`Linköping`)
    compound: bool = False
    listed_only: bool = False  # only in wordfreq's list, rare: maybe web noise (`ndra`, `pd`)

    @property
    def word_like(self) -> bool:
        return not self.listed_only


@lru_cache(maxsize=4096)
def _is_mark(ocr: str) -> bool:
    return any(c not in SWEDISH_ALPHABET for c in ocr.lower())


@lru_cache(maxsize=1)
def _reading_starts() -> frozenset[str]:
    """First characters of the OCR strings that have readings beyond the folding."""
    return frozenset(ocr[0] for ocr in load_model().readings)


def readings(token: str, letter_readings: int = 0, restore_dropped: bool = False) -> list[tuple[str, Segments, int]]:
    """(folded key, segments, letter readings used) for the readings of the token that use
    exactly `letter_readings` readings of ordinary letters (`d` → ö; marks such as `é` →
    ö are free) and, if `restore_dropped`, put back one letter the OCR may have dropped."""
    lower = token.lower()
    if not letter_readings and not restore_dropped and SWEDISH_ALPHABET.issuperset(lower):
        return [(fold_word(lower), tuple(zip(token, fold_word(lower))), 0)]  # no marks: the folding is the only reading
    starts = _reading_starts()
    model = load_model()
    options: list[list[tuple[int, str, str, int]]] = []  # per position: (length, OCR string, folded gold, cost)
    for i, char in enumerate(lower):
        here = {(1, fold_word(char)): (1, token[i], fold_word(char), 0)}
        if char in starts:
            for length in range(1, model.longest_reading + 1):
                ocr = lower[i : i + length]
                if len(ocr) == length and ocr in model.readings:
                    cost = 0 if _is_mark(ocr) else 1
                    if cost <= letter_readings:
                        for gold in model.readings[ocr]:
                            here.setdefault((length, fold_word(gold)), (length, token[i : i + length], fold_word(gold), cost))
        options.append(list(here.values()))

    results: list[tuple[str, Segments, int]] = []
    dropped = [fold_word(gold) for gold in model.dropped]
    # how many letter readings positions i.. can still take: prunes paths that cannot use them all
    capacity = [0] * (len(options) + 1)
    for i in range(len(options) - 1, -1, -1):
        capacity[i] = capacity[i + 1] + any(cost for *_, cost in options[i])

    def walk(i: int, key: str, segments: Segments, budget: int, drops: int) -> None:
        if budget > capacity[i]:
            return
        if drops:
            for folded in dropped:
                walk(i, key + folded, segments + (("", folded),), budget, drops - 1)
        if i == len(lower):
            if budget == 0 and drops == 0:
                results.append((key, segments, letter_readings))
            return
        for length, ocr, folded, cost in options[i]:
            if cost <= budget:
                walk(i + length, key + folded, segments + ((ocr, folded),), budget - cost, drops)

    walk(0, "", (), letter_readings, 1 if restore_dropped else 0)
    return results


def _entry_zipf(entry: Entry) -> float:
    return entry.zipf if entry.zipf > 0 else HUNSPELL_ONLY_ZIPF


def _pairs(segments: Segments, word: str) -> tuple[tuple[str, str], ...]:
    return tuple((ocr, gold) for (ocr, _), gold in zip(segments, word))


@lru_cache(maxsize=200_000)
def candidates(token: str, suspended: bool = False) -> tuple[Candidate, ...]:
    """Every lexicon word the token may be a reading of (including itself, if a word).
    `suspended`: the token stands before a hyphen and `och`/`eller` (`Kunskaps-`), so
    compound first parts count as words. Readings are tried in stages, each only if the
    ones before found no real word: folding and marks; then readings of ordinary letters;
    then dropped letters put back."""
    found: dict[str, Candidate] = {}
    stages = [(used, False) for used in range(MAX_LETTER_READINGS + 1) if used < 2 or len(token) <= MAX_DROPPED_TOKEN]
    if len(token) <= MAX_DROPPED_TOKEN:
        stages += [(0, True), (1, True)]
    for letter_readings, restore_dropped in stages:
        for word, candidate in _lookup(token, suspended, letter_readings, restore_dropped).items():
            found[word] = _merge(found.get(word), candidate)
        if any(candidate.word_like for candidate in found.values()):
            break
    return tuple(found.values())


def _merge(old: Candidate | None, new: Candidate) -> Candidate:
    """One candidate per spelling: the likelier reading, a word if either source says so."""
    if old is None:
        return new
    best = new if new.zipf > old.zipf else old
    return replace(best, listed_only=old.listed_only and new.listed_only, proper=old.proper and new.proper)


def _lookup(token: str, suspended: bool, letter_readings: int, restore_dropped: bool) -> dict[str, Candidate]:
    lexicon = load()
    found: dict[str, Candidate] = {}

    def keep(candidate: Candidate) -> None:
        found[candidate.word] = _merge(found.get(candidate.word), candidate)

    keys = readings(token, letter_readings, restore_dropped)
    for key, segments, _ in keys:
        by_word: dict[str, list[Entry]] = {}
        for entry in lexicon.entries(key):
            # any spelling wordfreq lists may be what was meant (`Stångåstaden`), though
            # only a common one makes the token itself count as a word
            if entry.is_word or entry.roles & LISTED or (suspended and entry.roles & (BEGIN | MIDDLE)):
                by_word.setdefault(entry.word.lower(), []).append(entry)
        for word, same in by_word.items():
            if len(word) == len(segments):
                proper = all(e.word[:1].isupper() for e in same)
                listed_only = not any(e.is_word or e.roles & (BEGIN | MIDDLE) for e in same)
                keep(Candidate(word, max(_entry_zipf(e) for e in same), _pairs(segments, word), proper=proper, listed_only=listed_only))
    if not any(c.word_like for c in found.values()) and not restore_dropped:
        for key, segments, used in keys:
            if len(key) >= MIN_COMPOUND_KEY and used <= 1:
                for candidate in _compounds(key, segments):
                    keep(candidate)
    return found


def _compounds(key: str, segments: Segments) -> list[Candidate]:
    out = []
    for split in load().compound_splits(key):
        options = [sorted({e.word.lower(): (_entry_zipf(e), e.word[:1].isupper()) for e in entries}.items()) for _, entries in split]
        for combination in islice(product(*options), MAX_COMPOUND_VARIANTS):
            word = "".join(part for part, _ in combination)
            zipf = compound_zipf([zipf for _, (zipf, _) in combination])
            proper = combination[0][1][1]  # `Örebro|bostäder`
            out.append(Candidate(word, zipf, _pairs(segments, word), proper=proper, compound=True))
    return out


def compound_zipf(parts: list[float] | tuple[float, ...]) -> float:
    """The prior of a compound from its parts' zipf frequencies (0: hunspell-only)."""
    parts = [zipf if zipf > 0 else HUNSPELL_ONLY_ZIPF for zipf in parts]
    mean = sum(parts) / len(parts)
    zipf = COMPOUND_ZIPF - COMPOUND_PART_PENALTY * (len(parts) - 2)
    return zipf + COMPOUND_PART_WEIGHT * (mean - 4.0) + COMPOUND_HEAD_WEIGHT * (parts[-1] - 4.0)
