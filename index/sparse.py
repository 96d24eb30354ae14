"""Sparse lexical vectors for hybrid search: BM25-style term weights over Swedish
tokens (lower-cased, stopwords removed, Snowball-stemmed via PyStemmer).

Document vectors carry the saturated, length-normalized term frequency; the inverse
document frequency is applied by Qdrant itself (the IDF modifier on the sparse vector),
so weights never need recomputing when the corpus grows. Queries weight each term 1.
Term ids are a stable 31-bit hash of the stem, so no vocabulary has to be stored.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from config import SWEDISH_DATA

K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 120.0  # typical chunk length in tokens; fixed so weights are per-chunk
_TOKEN = re.compile(r"[a-zåäöéü0-9]+(?:[-/][a-zåäöéü0-9]+)*", re.IGNORECASE)


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = SWEDISH_DATA / "stopwords.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("swedish")


def terms(text: str) -> list[str]:
    """Stemmed, stopword-free terms of a text."""
    words = [word.lower() for word in _TOKEN.findall(text)]
    words = [word for word in words if word not in _stopwords() and len(word) > 1]
    return _stemmer().stemWords(words)


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


def _vector(weights: dict[int, float]) -> SparseVector:
    items = sorted(weights.items())
    return SparseVector([i for i, _ in items], [w for _, w in items])


def passage_vector(text: str) -> SparseVector:
    counts = Counter(terms(text))
    length = sum(counts.values())
    norm = K1 * (1 - B + B * length / AVERAGE_LENGTH)
    weights: dict[int, float] = {}
    for term, tf in counts.items():
        weights[term_id(term)] = weights.get(term_id(term), 0.0) + tf * (K1 + 1) / (tf + norm)
    return _vector(weights)


def query_vector(text: str) -> SparseVector:
    return _vector({term_id(term): 1.0 for term in set(terms(text))})
