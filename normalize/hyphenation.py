"""Join words hyphenated across a line break (`heders-\\nrelaterat` → `hedersrelaterat`)
while keeping Swedish suspended compounds (`social- och omsorgsnämnden`) and the hyphen
of a compound with an abbreviation or a number (`VA-\\nutbyggnad` → `VA-utbyggnad`,
`2026-\\nnämnder` → `2026-nämnder`, as written). A title set in large type may have a
blank line between its lines (`Introdukt-` / blank / `ion och utbildning`): a word
broken there is joined too."""

from __future__ import annotations

import re

from swedish.data import suspended_links_pattern

# A hyphen before one of these words is a suspended compound, not a line-break hyphen.
_CONJUNCTIONS = suspended_links_pattern()
_LINE_BREAK_HYPHEN = re.compile(
    rf"(\w{{2,}})-[ \t]*\n(?:[ \t]*\n)?[ \t]*(?!(?:{_CONJUNCTIONS})(?!\w))([a-zåäöéü]\w*)",
)
_SUSPENDED = re.compile(rf"(\w)-[ \t]*\n[ \t]*((?:{_CONJUNCTIONS})(?!\w))")


def _join(match: re.Match[str]) -> str:
    first, rest = match.group(1), match.group(2)
    return f"{first}-{rest}" if first.isupper() or first[-1].isdigit() else first + rest


def dehyphenate(text: str) -> str:
    text = _LINE_BREAK_HYPHEN.sub(_join, text)
    return _SUSPENDED.sub(r"\1- \2", text)
