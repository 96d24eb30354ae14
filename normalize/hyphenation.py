"""Join words hyphenated across a line break (`heders-\\nrelaterat` → `hedersrelaterat`)
while keeping Swedish suspended compounds (`social- och omsorgsnämnden`)."""

from __future__ import annotations

import re

# A hyphen before one of these words is a suspended compound, not a line-break hyphen.
_CONJUNCTIONS = r"och|eller|samt|respektive|resp\.|som|till|utan|men"
_LINE_BREAK_HYPHEN = re.compile(
    rf"(\w{{2,}})-[ \t]*\n[ \t]*(?!(?:{_CONJUNCTIONS})\b)([a-zåäöéü]\w*)",
)
_SUSPENDED = re.compile(rf"(\w)-[ \t]*\n[ \t]*((?:{_CONJUNCTIONS})\b)")


def dehyphenate(text: str) -> str:
    text = _LINE_BREAK_HYPHEN.sub(r"\1\2", text)
    return _SUSPENDED.sub(r"\1- \2", text)
