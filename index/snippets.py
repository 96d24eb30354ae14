"""Snippets for search hits: the window of a chunk that best covers the query's terms,
with the words that carry them marked (`[[word]]`, rendered bold by the CLI).

Words are compared as the sparse index compares them (index/sparse.py: stemmed,
folded, compounds with their parts), so `kameratillsyn` in a query marks `kamera` and
`Kameratillsynen` in the text. The best window covers the most distinct query terms,
then the most matching words; windows start at a sentence where they can.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.sparse import index_terms

WINDOW_WORDS = 40
MARK_OPEN, MARK_CLOSE = "[[", "]]"
_SENTENCE_END = re.compile(r"[.!?:]$")


def make_snippet(text: str, query: str, terms: frozenset[str] | None = None, window: int = WINDOW_WORDS) -> str:
    """`terms`: the query's index terms, when the caller has them already."""
    words = text.split()
    if not words:
        return ""
    wanted = set(terms) if terms is not None else set(index_terms(query))
    matched = [wanted & _word_terms(word) for word in words]
    sentence_start = [i == 0 or bool(_SENTENCE_END.search(words[i - 1])) for i in range(len(words))]
    best_start, best_score = 0, (-1, -1, False)
    for start in range(0, max(1, len(words) - window + 1)):
        inside = matched[start : start + window]
        covered = set().union(*inside)
        score = (len(covered), sum(1 for terms in inside if terms), sentence_start[start])
        if score > best_score:
            best_start, best_score = start, score
    selected = words[best_start : best_start + window]
    marked = [f"{MARK_OPEN}{word}{MARK_CLOSE}" if matched[best_start + i] else word for i, word in enumerate(selected)]
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + window < len(words) else ""
    return prefix + " ".join(marked) + suffix


@lru_cache(maxsize=65536)
def _word_terms(word: str) -> frozenset[str]:
    return frozenset(index_terms(word))


def strip_marks(snippet: str) -> str:
    return re.sub(r"\[\[|\]\]", "", snippet)
