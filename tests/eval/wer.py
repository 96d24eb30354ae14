"""Word error rate and word alignment for the OCR evaluation.

Tokens are the words of a text: maximal runs of letters and digits (`\\w` without `_`)
that contain at least one letter, compared case-sensitively (`Ärende` ≠ `Arende` ≠
`ärende`). Pure numbers are left out, so that page numbers and counters (`2 (5)`), which
ingest strips as page furniture, do not count; a digit read for a letter (`1` for `i`)
still counts, as the missing word. Punctuation and layout do not count.

WER = (substitutions + deletions + insertions) / number of gold tokens, from the
word-level Levenshtein distance. For speed the alignment first anchors on the longest
matching blocks (difflib) and computes the exact distance between anchors; on texts this
close to each other that is the Levenshtein distance in practice (never less than it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    return [token for token in _TOKEN.findall(text) if any(c.isalpha() for c in token)]


def _levenshtein_pairs(gold: list[str], hyp: list[str]) -> list[tuple[str | None, str | None]]:
    """Exact word alignment of two short token lists: (gold, hyp) pairs, None for a gap."""
    n, m = len(gold), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + (gold[i - 1] != hyp[j - 1]))
    pairs: list[tuple[str | None, str | None]] = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (gold[i - 1] != hyp[j - 1]):
            pairs.append((gold[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((gold[i - 1], None))
            i -= 1
        else:
            pairs.append((None, hyp[j - 1]))
            j -= 1
    return pairs[::-1]


def align(gold: list[str], hyp: list[str]) -> Iterator[tuple[str | None, str | None]]:
    matcher = difflib.SequenceMatcher(None, gold, hyp, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(gold[i1:i2], hyp[j1:j2])
        else:
            yield from _levenshtein_pairs(gold[i1:i2], hyp[j1:j2])


def errors(gold: list[str], hyp: list[str]) -> int:
    return sum(1 for g, h in align(gold, hyp) if g != h)


def wer(gold_text: str, hyp_text: str) -> float:
    gold = tokens(gold_text)
    return errors(gold, tokens(hyp_text)) / max(1, len(gold))
