"""How badly a page's text layer is damaged, measured on what restoration leaves of it:
the share of its lower-case words that are no word at all once normalize's restoration
has repaired what it can, and once words of the other languages Swedish municipal
documents carry (Finnish in Finland-Swedish municipalities, English) are set aside.

Why after restoration: restoration takes an English-model OCR layer (`férvaltningen`)
from 15–30 % rejected words to 0–3 % for 27 ms a document, where re-OCR costs 1.5 CPU-s
a page (150 dpi); such a page needs no OCR. What restoration cannot repair is a broken font
encoding (`protokojjet`, `Förgdrggnnngslnsagn`, `mfjlighet`, the `ti`/`tt` ligatures
dropped in `informaton`, `at`): such Nykarleby pages keep 5–100 % unknown words after it
and are exactly the ones OCR must read again.

Why foreign words are set aside: a bilingual Nykarleby page (Swedish and Finnish columns)
has 36–43 % words the Swedish lexicon rejects, but only 5–12 % that are no word of
Swedish, Finnish or English; a Finnish page has 50–75 % known Finnish words. Swedish OCR
cannot make either more Swedish, so a page that is foreign to this degree is left alone.

Measured on the tuning documents (the four shared Nykarleby PDFs, two of
data/eval/real/, the OCR evaluation set, 429 page-sized pieces of clean g0vse and
Kungsbacka text): clean Swedish pages 0–3 % unknown (99th percentile 3.6 %), English-OCR
scans 0–3 % after restoration, broken-encoding pages 5–100 %.

`UNREADABLE_SHARE` is chosen on the WER/CPU trade-off in docs/eval-ocr.md ("Re-OCR policy
and resolution"): 5 % is the lowest threshold that reads no page of a digital PDF (3 %
reads one of the evaluation set's 39 digital pages) and takes the Nykarleby gold pages
from 32.7 % WER to 2.93 % (10 %: 4.36 %, 20 %: 11.1 %), reading 107 of 254 Nykarleby
pages (10 %: 89; the 18 more are pages with dropped ligatures, `tlldelats`, `fytat tll`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import wordfreq

from lexicon import load, rejected_words
from swedish.data import function_words, stopwords

UNREADABLE_SHARE = 0.05  # unknown words at or above this share after restoration: not readable Swedish
MIN_UNKNOWN_WORDS = 3  # fewer unknown words than this never make a page unreadable (short pages, a stray code)
FOREIGN_PAGE_SHARE = 0.20  # a page with this share of known foreign words is foreign text, not damage
FOREIGN_LANGUAGES = ("fi", "en")  # Finnish (Finland-Swedish municipalities are bilingual) and English
FOREIGN_ZIPF = 2.0  # a foreign word at least this common in wordfreq (`kaupungin` 5.4, `tavoitteet` 4.4)

_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'“”’«»()[]{}.,;:!?–—-…•*/€$£%‰°§+="
_LETTERS = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
_ADDRESS = re.compile(r"[/@\\]|www\.|://")  # URLs, e-mail addresses and paths are no words


@dataclass(frozen=True)
class Damage:
    """Counts over a page's lower-case words (two or more characters, addresses left out)."""

    checked: int = 0
    unknown: int = 0  # neither a Swedish word nor a known foreign one
    foreign: int = 0

    @property
    def share(self) -> float:
        return self.unknown / self.checked if self.checked else 0.0

    @property
    def foreign_share(self) -> float:
        return self.foreign / self.checked if self.checked else 0.0

    def unreadable(self, threshold: float = UNREADABLE_SHARE) -> bool:
        """Does the page stay unreadable Swedish after restoration (and is it Swedish)?"""
        return self.unknown >= MIN_UNKNOWN_WORDS and self.share >= threshold and self.foreign_share < FOREIGN_PAGE_SHARE


def measure(text: str, threshold: float = UNREADABLE_SHARE) -> Damage:
    """The page's damage after restoration. A page whose raw text has too few rejected
    words to reach `threshold` cannot reach it after restoration either, and is counted
    without restoring it (most pages: restoration is the costly part). Capitalized words
    are not checked (names), but one that is several words run together (`glued_words`)
    is damage and counts."""
    glued = glued_words(text)
    rejected, checked = rejected_words(text)
    rejected, checked = rejected + glued, checked + glued
    if rejected < MIN_UNKNOWN_WORDS or rejected < threshold * checked:
        return Damage(checked=checked, unknown=rejected)  # an upper bound, below the threshold
    from normalize import normalize_text  # the stage's public entry: "what restoration leaves" is the measure

    restored, _ = normalize_text(text)
    return _count(restored)


def _count(text: str) -> Damage:
    lexicon = load()
    checked = unknown = foreign = 0
    for raw in _WORD.findall(text):
        token = raw.strip(_EDGE_PUNCTUATION)
        if len(token) < 2 or not token[0].islower() or _ADDRESS.search(token):
            continue
        checked += 1
        if _LETTERS.match(token) and all(lexicon.is_word(part) for part in token.split("-")):
            continue
        if _LETTERS.match(token) and _is_foreign(token.lower()):
            foreign += 1
        else:
            unknown += 1
    glued = glued_words(text)
    return Damage(checked=checked + glued, unknown=unknown + glued, foreign=foreign)


def glued_words(text: str) -> int:
    """The words held in capitalized tokens that are words run together by a font
    encoding that prints the space as a letter (a Nykarleby layer:
    `Ärendetnantecknadesnförnkännedom.`, `Bokslutn2022nförnresultatområdenpersonal`): no
    word themselves, but `GLUED_WORDS` or more known words (or numbers) once cut at one
    letter that stands for the space. Each such word is a damaged word of the page."""
    tokens = [raw.strip(_EDGE_PUNCTUATION) for raw in _WORD.findall(text)]
    spaces = {letter for token in tokens for letter in [_glue_letter(token)] if letter}
    if not spaces:
        return 0
    # on a page that prints the space as a letter, three words glued by it are enough
    lexicon = load()
    held = (max(_parts(token, space, lexicon)[0] for space in spaces) for token in tokens if _could_be_glued(token))
    return sum(parts for parts in held if parts >= GLUED_WORDS)


GLUED_WORDS = 3  # parts a glued token falls into, at least (two known words may be a compound)
_GLUED_MIN_CHARS = 12
_PART_MAX_CHARS = 30


def _could_be_glued(token: str) -> bool:
    return len(token) >= _GLUED_MIN_CHARS and token[:1].isupper() and "-" not in token and not _ADDRESS.search(token) and not (
        _LETTERS.match(token) and (load().is_word(token) or _is_foreign(token.lower())))


@lru_cache(maxsize=20_000)
def _glue_letter(token: str) -> str | None:
    """The letter that stands for the space in `token`, if it is a sentence run together."""
    if not _could_be_glued(token):
        return None
    lexicon = load()
    for letter in sorted(set(token[1:-1])):
        if letter.isalpha():
            parts, small = _parts(token, letter, lexicon)
            # a compound's parts joined by a linking letter (`Stad|s|ledning|s|kontoret`), or a
            # name that holds a short word (`Era|s|mu|s|ackreditering`), are no sentence
            if (parts > GLUED_WORDS and small >= 1) or (parts == GLUED_WORDS and (small >= 2 or letter not in _compound_links())):
                return letter
    return None


@lru_cache(maxsize=1)
def _compound_links() -> frozenset[str]:
    return frozenset(function_words()["compound_links"])


def _small_word(part: str) -> bool:
    """A function word or a number: a sentence has them, a compound's parts are none."""
    return not any(c.isalpha() for c in part) or part.lower() in stopwords()


def _parts(token: str, space: str, lexicon) -> tuple[int, int]:
    """(parts, function words and numbers among them) of the cut of `token` at `space`
    letters into the most known words and numbers; (0, 0) when it has none."""
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * len(token)  # best[i]: the cut of token[:i]
    for end in range(1, len(token) + 1):
        if end < len(token) and token[end] != space:
            continue
        for start in range(max(0, end - _PART_MAX_CHARS), end):
            before = best[start - 1] if start else best[0]
            if (start and token[start - 1] != space) or before is None:
                continue
            part = token[start:end].strip(_EDGE_PUNCTUATION)
            known = bool(part) and (
                not any(c.isalpha() for c in part)
                or (_LETTERS.match(part) and (len(part) > 1 or part.lower() == "i") and lexicon.is_word(part))
            )
            if known:
                candidate = (before[0] + 1, before[1] + _small_word(part))
                best[end] = max(best[end] or candidate, candidate)
    return best[len(token)] or (0, 0)
@lru_cache(maxsize=100_000)
def _is_foreign(word: str) -> bool:
    return all(
        max(wordfreq.zipf_frequency(part, language) for language in FOREIGN_LANGUAGES) >= FOREIGN_ZIPF for part in word.split("-")
    )
