"""Sparse lexical vectors for hybrid search: BM25-style term weights over Swedish terms.

A term is a word, lower-cased, without stopwords (data/swedish/stopwords.txt),
Snowball-stemmed (PyStemmer) and folded to plain vowels (å ä → a, ö → o, é → e). Each
word gives the stems of both orders: folded then stemmed, so that a word the OCR repair
left without its diacritics (`foreslar`) still meets the clean one (`föreslår`), and
stemmed then folded, because folding can invent a suffix the stemmer strips (`samråd` →
`samrad` → `samr`, while `samrådet` → `samrad`). Compounds also contribute their parts
(`kameratillsyn` → `kamera`, `tillsyn`), split by the Swedish lexicon (hunspell-sv's
compound rules, lexicon/), so that a query word matches inside the compounds Swedish
builds freely.

SCHEME names this recipe; the archive stores it with the index, and a change to the
recipe must change it so that old indexes are rebuilt (`diarium reindex`).

Document vectors carry the saturated, length-normalized term frequency; the inverse
document frequency is applied by Qdrant itself (the IDF modifier on the sparse vector),
so weights never need recomputing when the corpus grows. Queries weight each term 1.
Term ids are a stable 31-bit hash of the term, so no vocabulary has to be stored.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from lexicon import load as load_lexicon
from swedish.data import stopwords
from swedish.fold import fold_word

SCHEME = "stem-fold-both/compounds/1"
K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 120.0  # typical chunk length in terms; fixed so weights are per-chunk
MIN_COMPOUND = 8  # shorter words are not split (`hemmet`, `beslut`)
MIN_PART = 3  # a compound part shorter than this is a linking form or noise, not a term
_TOKEN = re.compile(r"[a-zåäöéü0-9]+(?:[-/][a-zåäöéü0-9]+)*", re.IGNORECASE)
_LETTERS = re.compile(r"^[a-zåäöéü]+$")


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    """The word's stems: folded-then-stemmed first, then stemmed-then-folded if different."""
    stemmer = _stemmer()
    first = stemmer.stemWord(fold_word(word))
    second = fold_word(stemmer.stemWord(word))
    return (first,) if first == second else (first, second)


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a lower-case compound (`nattpatrullen` → natt, patrullen), or () when
    it is not one. Of the lexicon's readings, the one with fewest parts wins, then the
    one whose shortest part is longest (`hemtjänst|timmar`, not `hem|tjänst|timmar`)."""
    if len(word) < MIN_COMPOUND or not _LETTERS.match(word):
        return ()
    readings = [tuple(part for part, _ in split) for split in load_lexicon().compound_splits(fold_word(word))]
    readings = [parts for parts in readings if min(len(part) for part in parts) >= MIN_PART]
    if not readings:
        return ()
    return min(readings, key=lambda parts: (len(parts), -min(len(part) for part in parts)))


def _words(text: str) -> list[str]:
    words = (word.lower() for word in _TOKEN.findall(text))
    return [word for word in words if word not in stopwords() and len(word) > 1]


def terms(text: str) -> list[str]:
    """The terms of a text: the stems of its stopword-free words, in order."""
    return [stem for word in _words(text) for stem in _stems(word)]


def index_terms(text: str) -> list[str]:
    """`terms` plus the stems of every compound's parts, which is what gets indexed."""
    found: list[str] = []
    for word in _words(text):
        found.extend(_stems(word))
        for part in compound_parts(word):
            found.extend(_stems(part))
    return found


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


def _vector(weights: dict[int, float]) -> SparseVector:
    items = sorted(weights.items())
    return SparseVector([i for i, _ in items], [w for _, w in items])


def passage_vector(text: str) -> SparseVector:
    counts = Counter(index_terms(text))
    length = sum(counts.values())
    norm = K1 * (1 - B + B * length / AVERAGE_LENGTH)
    weights: dict[int, float] = {}
    for term, tf in counts.items():
        weights[term_id(term)] = weights.get(term_id(term), 0.0) + tf * (K1 + 1) / (tf + norm)
    return _vector(weights)


def query_vector(text: str) -> SparseVector:
    return _vector({term_id(term): 1.0 for term in set(index_terms(text))})
