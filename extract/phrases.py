"""Many OCR-tolerant phrase patterns matched in one pass over a text.

The gazetteers (290 municipalities with their aliases and stadsdelar, agencies,
companies) give hundreds of patterns of the form `\\b(?:<ocr_tolerant(phrase)>|…)<suffix>`.
Running each one over the whole text costs a pass per pattern, minutes for a long
document. A `PhraseSet` joins all their phrases into one trie-shaped lookahead that
reports every position where some phrase starts, and tries the patterns only there, so
that `finditer` returns exactly the matches each pattern's own `finditer` would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from swedish.fold import ocr_units

_END = ""  # trie key marking that a phrase ends at this node


def _trie_regex(phrases: Sequence[tuple[str, ...]]) -> str:
    """A regular expression that matches wherever one of `phrases` (unit sequences) matches.
    Only the existence of a match is asked, so a phrase's continuations are dropped."""
    trie: dict = {}
    for units in phrases:
        node = trie
        for unit in units:
            if _END in node:
                break
            node = node.setdefault(unit, {})
        node.clear()
        node[_END] = {}

    def render(node: dict) -> str:
        if _END in node:
            return ""
        branches = [unit + render(child) for unit, child in node.items()]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)


class PhraseSet:
    """Patterns `\\b(?:ocr_tolerant(p1)|ocr_tolerant(p2)|…)` + suffix, one per entry,
    searched together."""

    def __init__(self, entries: Sequence[tuple[Sequence[str], str]], flags: int = 0) -> None:
        """`entries`: (phrases, suffix) for each pattern, e.g. (["Linköpings kommun"], r"\\b")."""
        self.patterns = [
            re.compile(r"\b(?:" + "|".join("".join(ocr_units(p)) for p in phrases) + ")" + suffix, flags)
            for phrases, suffix in entries
        ]
        units = [(n, ocr_units(p)) for n, (phrases, _) in enumerate(entries) for p in phrases if p]
        self._starts = re.compile(r"\b(?=" + _trie_regex([u for _, u in units]) + ")", flags) if units else None
        self._first_units = [(n, re.compile(u[0], flags)) for n, u in units]
        self._by_first_char: dict[str, tuple[int, ...]] = {}

    def _candidates(self, ch: str) -> tuple[int, ...]:
        """The entries with a phrase that can start with character `ch`."""
        if ch not in self._by_first_char:
            self._by_first_char[ch] = tuple(dict.fromkeys(n for n, first in self._first_units if first.fullmatch(ch)))
        return self._by_first_char[ch]

    def finditer(self, text: str) -> list[tuple[int, re.Match]]:
        """(entry index, match) for every match of every pattern, as `pattern.finditer`
        finds them (non-overlapping per pattern), in order of position."""
        if self._starts is None:
            return []
        found = []
        next_free = [0] * len(self.patterns)  # where the pattern's previous match ended
        for start in self._starts.finditer(text):
            position = start.start()
            for n in self._candidates(text[position]):
                if position >= next_free[n]:
                    match = self.patterns[n].match(text, position)
                    if match:
                        found.append((n, match))
                        next_free[n] = match.end()
        return found
