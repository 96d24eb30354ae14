"""The line view of a protocol or an agenda that extract/paragraphs.py, extract/agenda.py
and extract/matters.py share: its lines with their offsets, the rules of
data/swedish/matters.toml compiled, and what one line is (a heading, the opening of a §,
a diary number and nothing else)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.furniture import is_counter
from extract.sections import heading_label, trailer_pattern
from swedish.data import heading_regex, matter_rules, suspended_links_pattern
from swedish.dnr import dnr_in
from swedish.fold import ocr_tolerant

# An archive classification after a diary number on its line (`TE/2018:210 8.2`).
_ARCHIVE_CODE = re.compile(r"\s+\d{1,2}(?:\.\d{1,2}){1,4}$")
# A page break: a form feed, or a Markdown page marker where ingest left one.
PAGE_MARK = re.compile(r"^(?:\f|<!--\s*sida\s+\d+\s*-->)$")


@dataclass(frozen=True)
class Rules:
    """data/swedish/matters.toml compiled (see there what each one is)."""

    sign_first: re.Pattern[str]
    number_first: re.Pattern[str]
    contents_entry_end: re.Pattern[str]
    item: re.Pattern[str]
    item_end: re.Pattern[str]
    title_columns: frozenset[str]
    dnr_columns: frozenset[str]
    proposal_columns: frozenset[str]
    decision: re.Pattern[str]
    proposal: re.Pattern[str]
    decision_as_proposal: re.Pattern[str]
    attachment: re.Pattern[str]
    trailer: re.Pattern[str]
    withheld: re.Pattern[str]


def _alternatives(patterns: list[str]) -> str:
    return "|".join(f"(?:{heading_regex(pattern)})" for pattern in patterns)


def _phrases(phrases: list[str]) -> str:
    return "|".join(ocr_tolerant(phrase) for phrase in phrases)


@lru_cache(maxsize=1)
def patterns() -> Rules:
    data = matter_rules()
    agenda, headings = data["agenda"], data["headings"]
    presenter = rf"\b(?:{_phrases(agenda['presenter_labels'])})\s*:"
    # a heading of matters.toml ends in a colon, its text may follow on the same line;
    # standing alone without one it is a heading of sections.toml or none
    inline = r"\s*:\s*(?P<rest>.*)$"
    return Rules(
        sign_first=re.compile(data["paragraph"]["sign_first"]),
        number_first=re.compile(data["paragraph"]["number_first"]),
        contents_entry_end=re.compile(data["contents"]["entry_end"]),
        item=re.compile(agenda["item"]),
        item_end=re.compile("|".join([presenter] + agenda["notes"]), re.IGNORECASE),
        title_columns=frozenset(agenda["title_columns"]),
        dnr_columns=frozenset(agenda["dnr_columns"]),
        proposal_columns=frozenset(agenda["proposal_columns"]),
        decision=re.compile(rf"^(?:{_alternatives(headings['decision'])}){inline}", re.IGNORECASE),
        proposal=re.compile(rf"^(?:{_alternatives(headings['proposal'])}){inline}", re.IGNORECASE),
        decision_as_proposal=re.compile(rf"^(?:{_alternatives(headings['decision_as_proposal'])})\s*:?$", re.IGNORECASE),
        attachment=re.compile(rf"^(?:{_alternatives(headings['attachment'])})$", re.IGNORECASE),
        trailer=trailer_pattern(),
        withheld=re.compile(_phrases(data["withheld"]["phrases"]), re.IGNORECASE),
    )


@dataclass
class Line:
    start: int  # offset of its first character in the document's text
    text: str  # stripped

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def lines_of(text: str) -> list[Line]:
    """The lines of `text`, stripped; a page break's form feed is kept as `\\f`."""
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\r\v")
        lines.append(Line(offset + raw.index(stripped) if stripped else offset, stripped if stripped == "\f" else stripped.strip()))
        offset += len(raw) + 1
    return lines


@lru_cache(maxsize=1)
def _hyphen_break() -> re.Pattern[str]:
    """A line break after a hyphen between digits (`2025-` / `2029`) or inside a compound
    (`införande av e-` / `förslag`): it joins without a space. Not a suspended hyphen
    before a joining word (`analys-` / `och kvalitetsrapport`, data/swedish/function_words.toml)."""
    links = suspended_links_pattern()
    return re.compile(rf"(?<=\d[-–])\s*\n\s*(?=\d)|(?<=\w-)\s*\n\s*(?!(?:{links})(?![\wåäö]))(?=[a-zåäö])")


def join_lines(parts: list[str]) -> str:
    """Lines of one title or cell as one line: `2025-` + `2029` → `2025-2029`."""
    return " ".join(_hyphen_break().sub("", "\n".join(part.strip() for part in parts)).split())


def paragraph_opening(text: str) -> tuple[int, str] | None:
    """(number, rest of the line) if the line opens a § (or lists one on a contents page)."""
    rules = patterns()
    for pattern in (rules.sign_first, rules.number_first):
        match = pattern.match(text)
        if match:
            rest = text[match.end():].strip()
            if is_counter(rest):  # `BUN § 60            Sida 7 av 12`: the page's counter, the title follows
                rest = ""
            if rest and not (rest[0].isalpha() or rest[0] in "\"'”“" or only_dnr(rest)):
                return None  # `1988 26.09.2022` (a running header), `§ 80-85`
            return int(match.group("number")), rest
    return None


def is_heading(text: str) -> bool:
    """A heading of sections.toml, or a decision or proposal heading of matters.toml."""
    rules = patterns()
    return bool(heading_label(text)) or bool(rules.decision.match(text) or rules.proposal.match(text))


def is_decision(text: str) -> bool:
    return bool(patterns().decision.match(text)) or heading_label(text) == "decision"


def only_dnr(text: str) -> list[str]:
    """The diary numbers of a line that holds nothing else (`NKBY/342/11.01.00/2023`,
    `Dnr FG-2025-00001`)."""
    found = dnr_in(text)
    rest = _ARCHIVE_CODE.sub("", re.sub(r"(?i)^dnr:?", "", text).strip())
    return found if found and len(" ".join(found)) >= len(rest) - 1 else []
