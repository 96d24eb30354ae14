"""Page furniture: what a page prints about the page or the file rather than the text,
removed from the pages of every input type (PDF, text, Markdown):

- page counters at a page's edges (`1(4)`, `2 (5)`, `Sida 2 av 5`, `3/7`, a lone page
  number at the foot) and a counter ending an edge line (`SAMMANTRÄDESPROTOKOLL 2 (5)`);
- running headers and footers: lines among the first and last `EDGE_LINES` non-blank
  lines of a page that recur, digits aside, at the edges of at least half of the pages
  (and of three): `Protokoll 16 § 28.03.2023 Sida` / `Personalsektionen 4`. The first
  page keeps its copy at its top, because a first page's header is the document's
  letterhead (municipality, body, date, type) that extraction reads; a running footer
  goes from the first page too (`Stadsrevisionen, Styrning genom planer och program
  1 (4)` under a cover letter). A line holding a diary number
  or standing as a section heading is content, never furniture: Nykarleby's § pages each
  start with their own dnr (`NKBY/57/12.03.01/2023`, the same line digits aside) and
  most end with the decision (`Ungdomsfullmäktiges beslut:` among the last three lines);
- the stamp of a digital-signature service (`Det här dokumentet är digitalt signerat`
  and its `Transaktionsidentitet: 9F83…` lines, data/swedish/layout.toml), wherever it
  stands on the page, and the instruction lines a word-processing template leaves
  (`Ta inte bort denna rad den innehåller dold information`);
- a document system's reference in the right margin (`Dokumentreferens: 6044_2025…` at
  the end of whatever line stands there): cut from the line, whose own text stays.
Text layers exported from PDFs keep furniture ingest cannot tell from text by position
alone (a first page's letterhead footer); extract/furniture.py removes that.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from swedish.data import layout, section_rules
from swedish.dnr import DNR, DNR_BARE, DNR_FINNISH
from swedish.fold import fold

EDGE_LINES = 3  # how many non-blank lines at the top and bottom of a page count as its edges
_COUNTER = re.compile(r"^\s*(?:sida\s*)?\d{1,3}\s*(?:\(\s*\d{1,3}\s*\)|av\s+\d{1,3}|/\s*\d{1,3})\s*$", re.I)
_TRAILING_COUNTER = re.compile(r"\s+\d{1,3}\s?\(\s*\d{1,3}\s*\)\s*$")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def strip_furniture(pages: list[str]) -> list[str]:
    """The pages' texts without their furniture (see the module docstring)."""
    pages = [_strip_page_furniture(text) for text in pages]
    return _remove_repeated_edge_lines(pages)


def _strip_page_furniture(text: str) -> str:
    """Counters at the page's edges and signature stamp lines anywhere on it."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    top, bottom = set(nonblank[:EDGE_LINES]), set(nonblank[-EDGE_LINES:])
    stamp = _stamp_lines(lines)
    kept = []
    for i, line in enumerate(lines):
        if i in stamp:
            continue
        if _margin_stamp().search(line):
            line = _margin_stamp().sub("", line)
            if not line.strip():
                continue
        if i in top or i in bottom:
            if _COUNTER.match(line) or (i in bottom and _LONE_NUMBER.match(line)):
                continue
            line = _TRAILING_COUNTER.sub("", line)
        kept.append(line)
    return "\n".join(kept)


def _stamp_lines(lines: list[str]) -> set[int]:
    """The signature stamp: its first line and the identity lines under it; and a
    template's instruction lines."""
    first, following, template = _stamp_patterns()
    found: set[int] = set()
    in_stamp = False
    for i, line in enumerate(lines):
        folded = fold(line.strip())
        if template.match(folded):
            found.add(i)
        if first.match(folded):
            in_stamp = True
        elif not (in_stamp and following.match(folded)):
            in_stamp = False
        if in_stamp:
            found.add(i)
    return found


@lru_cache(maxsize=1)
def _stamp_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = layout()

    def starts(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"^(?:" + "|".join(re.escape(fold(word)) for word in words) + r")\b")

    return starts(data["stamps"]), starts(data["stamp_lines"]), starts(data["template_lines"])


@lru_cache(maxsize=1)
def _margin_stamp() -> re.Pattern[str]:
    """A margin label and its reference at a line's end, after a wide gap or alone."""
    labels = "|".join(re.escape(label) for label in layout()["margin_stamps"])
    return re.compile(rf"(?:^|\s{{3,}})(?:{labels}):\s*\S+\s*$", re.IGNORECASE)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _is_content(line: str) -> bool:
    """A diary number or a section heading (data/swedish/sections.toml) is never furniture."""
    if any(pattern.search(line) for pattern in (DNR_FINNISH, DNR, DNR_BARE)):
        return True
    heading = " ".join(line.split()).rstrip(":").strip()
    return any(rule.pattern.match(heading) for rule in section_rules())


def _edges(text: str) -> tuple[list[str], set[int], set[int]]:
    """The page's lines, and the indexes of its top and its bottom edge lines."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    return lines, set(nonblank[:EDGE_LINES]), set(nonblank[-EDGE_LINES:])


def _remove_repeated_edge_lines(pages: list[str]) -> list[str]:
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for text in pages:
        lines, top, bottom = _edges(text)
        counts.update({_key(lines[i]) for i in top | bottom})
    repeated = {key for key, n in counts.items() if n >= max(3, len(pages) // 2) and len(key) > 1}
    if not repeated:
        return pages
    cleaned = []
    for number, text in enumerate(pages):
        lines, top, bottom = _edges(text)
        edge = (bottom - top) if number == 0 else top | bottom
        furniture = {i for i in edge if _key(lines[i]) in repeated and not _is_content(lines[i])}
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in furniture))
    return cleaned
