"""Join words hyphenated across a line break (`heders-\\nrelaterat` → `hedersrelaterat`)
while keeping Swedish suspended compounds (`social- och omsorgsnämnden`)."""

from __future__ import annotations

import re

from swedish.data import suspended_links_pattern

# A hyphen before one of these words is a suspended compound, not a line-break hyphen.
_CONJUNCTIONS = suspended_links_pattern()
_LINE_BREAK_HYPHEN = re.compile(
    rf"(\w{{2,}})-[ \t]*\n[ \t]*(?!(?:{_CONJUNCTIONS})(?!\w))([a-zåäöéü]\w*)",
)
_SUSPENDED = re.compile(rf"(\w)-[ \t]*\n[ \t]*((?:{_CONJUNCTIONS})(?!\w))")


def dehyphenate(text: str) -> str:
    text = _LINE_BREAK_HYPHEN.sub(r"\1\2", text)
    return _SUSPENDED.sub(r"\1- \2", text)
