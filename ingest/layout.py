"""Page furniture: page counters such as `1(4)`, `2 (5)`, `Sida 2 av 5`, lone page
numbers, and header/footer lines repeated at the edges of most pages."""

from __future__ import annotations

import re
from collections import Counter

_EDGE_LINES = 3  # how many lines at the top and bottom of a page count as its edges
_COUNTER = re.compile(r"^\s*(?:sida\s*)?\d{1,3}\s*(?:\(\s*\d{1,3}\s*\)|av\s+\d{1,3}|/\s*\d{1,3})\s*$", re.I)
_TRAILING_COUNTER = re.compile(r"\s+\d{1,3}\s?\(\s*\d{1,3}\s*\)\s*$")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def strip_page_furniture(text: str) -> str:
    lines = text.split("\n")
    edge = set(range(min(_EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - _EDGE_LINES), len(lines)))
    kept = []
    for i, line in enumerate(lines):
        if i in edge:
            if _COUNTER.match(line):
                continue
            if _LONE_NUMBER.match(line) and i >= len(lines) - _EDGE_LINES:
                continue
            line = _TRAILING_COUNTER.sub("", line)
        kept.append(line)
    return "\n".join(kept)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def remove_repeated_edge_lines(pages: list[str]) -> list[str]:
    """Drop edge lines that occur (digits ignored) on at least half of 3+ pages."""
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for text in pages:
        lines = [line for line in text.split("\n") if line.strip()]
        edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        counts.update({_key(line) for line in edges})
    repeated = {key for key, n in counts.items() if n >= max(3, len(pages) // 2) and len(key) > 1}
    if not repeated:
        return pages
    cleaned = []
    for text in pages:
        lines = text.split("\n")
        nonblank = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(nonblank[:_EDGE_LINES] + nonblank[-_EDGE_LINES:])
        cleaned.append("\n".join(line for i, line in enumerate(lines) if not (i in edge and _key(line) in repeated)))
    return cleaned
