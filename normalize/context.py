"""Evidence beyond the word itself, for restoration: its neighbours and the genre.

`Context` shifts the prior of a reading by its neighbours and by the genre, from the hand
-written data/swedish/restore_context.toml (`ar` after a number is `år`; `vard` is
`vård` unless `värd att`). How damaged the text around a word is, is estimated in
normalize/damage.py.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from config import SWEDISH_DATA
from swedish.fold import fold_word

_NUMBER = re.compile(r"^\d[\d\s.,]*$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


@dataclass(frozen=True)
class Rule:
    after: frozenset[str]
    before: frozenset[str]
    after_number: bool
    before_number: bool
    shift: float


class Context:
    def __init__(self, genre: dict[str, float], rules: dict[str, list[Rule]]):
        self.genre = genre
        self.rules = rules

    def depends_on_neighbours(self, word: str) -> bool:
        return word in self.rules

    def shift(self, word: str, previous: tuple[str, ...], following: tuple[str, ...]) -> float:
        """Zipf shift of reading the token as `word` (lower case) between these words
        (folded, nearest first: damaged neighbours match too)."""
        total = self.genre.get(word, 0.0)
        for rule in self.rules.get(word, ()):
            if _matches(rule.after, previous, backward=True) or _matches(rule.before, following, backward=False):
                total += rule.shift
            elif rule.after_number and previous and _NUMBER.match(previous[0]):
                total += rule.shift
            elif rule.before_number and following and _YEAR.match(following[0]):
                total += rule.shift
        return total


def _matches(phrases: frozenset[str], words: tuple[str, ...], backward: bool) -> bool:
    """Do the nearest one or two `words` (folded, nearest first) form one of `phrases`?"""
    if not words:
        return False
    if words[0] in phrases:
        return True
    if len(words) < 2:
        return False
    return (f"{words[1]} {words[0]}" if backward else f"{words[0]} {words[1]}") in phrases


@lru_cache(maxsize=1)
def load_context() -> Context:
    data = tomllib.loads((SWEDISH_DATA / "restore_context.toml").read_text(encoding="utf-8"))
    rules: dict[str, list[Rule]] = {}
    for item in data.get("rule", []):
        rule = Rule(
            after=frozenset(fold_word(phrase) for phrase in item.get("after", ())),
            before=frozenset(fold_word(phrase) for phrase in item.get("before", ())),
            after_number=item.get("after_number", False),
            before_number=item.get("before_number", False),
            shift=item["shift"],
        )
        for word in item.get("words", [item.get("word")]):
            rules.setdefault(word, []).append(rule)
    return Context(genre=dict(data.get("genre", {})), rules=rules)
