"""Snippets for search hits: the window of a chunk that best covers the query's terms,
with those terms marked (`[[term]]`, rendered bold by the CLI)."""

from __future__ import annotations

import re

from index.sparse import terms

WINDOW_WORDS = 40
MARK_OPEN, MARK_CLOSE = "[[", "]]"


def make_snippet(text: str, query: str, window: int = WINDOW_WORDS) -> str:
    words = text.split()
    if not words:
        return ""
    wanted = set(terms(query))
    hits = [bool(wanted & set(terms(word))) for word in words]
    best_start, best_score = 0, -1
    for start in range(0, max(1, len(words) - window + 1)):
        score = sum(hits[start : start + window])
        if score > best_score:
            best_start, best_score = start, score
    selected = words[best_start : best_start + window]
    marked = [f"{MARK_OPEN}{word}{MARK_CLOSE}" if hits[best_start + i] else word for i, word in enumerate(selected)]
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + window < len(words) else ""
    return prefix + " ".join(marked) + suffix


def strip_marks(snippet: str) -> str:
    return re.sub(r"\[\[|\]\]", "", snippet)
