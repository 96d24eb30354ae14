"""Page furniture in text input: the lines a page layout prints around the text, which
are neither headings nor body text. Ingest removes what position tells
(ingest/layout.py: counters at a page's edges, lines repeated at the edges of most
pages, the digital-signature stamp). What it leaves, this finds, wherever it stands:

- page counters on a line of their own (`1 (4)`, `2(6)`, OCR'd `I (1)`), and a later
  page's running header (`KUNGSBACKA  KOMMUN` atop the page, with or without its
  counter);
- the first page's letterhead footer, which Kungsbacka's text layers print right after
  that page's counter, in the middle of the text: unit, postal address, contact person,
  telephone, web address, up to the last line that starts like a footer line
  (`Besöksadress`, `Telefon`, `www.`; data/swedish/layout.toml); and such a footer's
  address and telephone lines at the foot of a page, or its one line of unit, telephone
  and web or e-mail address there;
- a running header line ending in a counter (`KUNGSBACKA KOMMUN  SAMMANTRÄDESPROTOKOLL
  3 (11)`) on every page after the first, with the lines below it that every page
  repeats (`Nämnden för Förskola & Grundskola` / `Datum` / `2025-08-20`);
- the digital-signature stamp (`Det här dokumentet är digitalt signerat` and its
  `Transaktionsidentitet: …` lines), when ingest did not already take it;
- Markdown page markers (`<!-- sida 3 -->`) and links to a table's CSV file.

The first page's own header stays (its lines name the document's type, body and date).
On the shared and TUNE text documents it finds every such footer and later-page header
and takes no line of body text (tests/test_real_documents.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from swedish.data import layout
from swedish.fold import fold

_COUNTER = r"(?:\d{1,3}|[Il])\s*\(\s*\d{1,3}\s*\)"
_COUNTER_LINE = re.compile(rf"^\s*(?:(?:sida\s+)?{_COUNTER}|sida\s+\d{{1,3}}\s+av\s+\d{{1,3}})\s*$", re.IGNORECASE)  # `2 (6)`, `Sida 7 av 12`
_HEADER_WITH_COUNTER = re.compile(rf"^\s*[A-ZÅÄÖ][A-ZÅÄÖ\s&/-]+\s{_COUNTER}\s*$")
_ENDING_COUNTER = re.compile(rf"\S\s+{_COUNTER}\s*$")
_MARKUP = re.compile(r"^\s*(?:<!--.*-->|\[[^\]]*\]\([^)\s]+\.csv\))\s*$")
_POSTAL_CODE = re.compile(r"^\d{3}\s?\d{2}\s+[A-ZÅÄÖ]")
_ADDRESS_LINE = re.compile(r",\s*\d{3}\s?\d{2}\s+[A-ZÅÄÖ][\wåäö-]+$")  # `…, 434 81 Kungsbacka`
# a footer's one line of unit, telephone and web or e-mail address: `Bygg- och
# miljöförvaltningen, Kungsbacka kommun • 0300-83 40 00 • info@kungsbacka.se • kungsbacka.se`
_CONTACT_LINE = re.compile(r"\b0\d{1,3}-\d{2,3}(?: \d{2}){1,3}\b.*(?:@|\bwww\.|\.se\b)")
_FOOTER_BOTTOM_LINES = 4
_TOP_LINES = 4  # a counter within this many text lines of a page's top is in its header
_FOOTER_SPAN = 14  # lines a first-page footer may take after its counter
_FOOTER_LINE_CHARS = 100
_REPEATED_HEADER_LINES = 6


class _Layout(NamedTuple):
    stamp: re.Pattern[str]  # the first line of a signature stamp
    stamp_line: re.Pattern[str]  # a line under it
    footer_cue: re.Pattern[str]  # a line of a letterhead footer
    letterhead_words: frozenset[str]  # `kommun`, `stad` …


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    data = layout()

    def starts(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"^(?:" + "|".join(re.escape(fold(word)) for word in words) + r")\b")

    return _Layout(starts(data["stamps"]), starts(data["stamp_lines"]), starts(data["footer_cues"]), frozenset(data["letterhead_words"]))


def is_counter(line: str) -> bool:
    """A page counter on a line of its own: `1 (4)`, `2(6)`, OCR'd `I (1)`."""
    return bool(_COUNTER_LINE.match(line))


def ends_in_counter(line: str) -> bool:
    """A running header or footer line: words, then the page counter (`Stadsrevisionen,
    Göteborgs Stads arbete med … 1 (6)`)."""
    return bool(_ENDING_COUNTER.search(line)) and not is_counter(line)


def _is_page_start(line: str) -> bool:
    return line == "\f" or bool(_MARKUP.match(line) and "sida" in line.lower())


def _is_letterhead_caps(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 4 and line.strip().isupper() and any(fold(word) in _layout().letterhead_words for word in words)


def _footer_end(lines: list[str], counter: int) -> int:
    """The last line of a first-page footer that starts after the counter at `counter`,
    or `counter` itself when what follows does not look like a footer."""
    end = counter
    for j in range(counter + 1, min(len(lines), counter + 1 + _FOOTER_SPAN)):
        line = " ".join(lines[j].split())
        if not line:
            continue
        if _is_page_start(lines[j]) or _COUNTER_LINE.match(line) or _is_letterhead_caps(line):
            break
        if len(line) > _FOOTER_LINE_CHARS or line.startswith(("|", "[")) or (line.endswith(".") and len(line) > 60):
            break
        if _layout().footer_cue.match(fold(line)) or _POSTAL_CODE.match(line):
            end = j
    return end


def furniture_lines(text: str) -> frozenset[int]:
    """Indexes (in `text.split("\\n")`) of the lines that are page furniture."""
    lines = text.split("\n")
    stamp, stamp_line = _layout().stamp, _layout().stamp_line
    marked: set[int] = set()
    page, text_lines_on_page = 1, 0  # and the non-blank, non-furniture lines since the page began
    headers: dict[str, list[int]] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        folded = fold(line)
        if _is_page_start(line) or _MARKUP.match(line):
            marked.add(i)
            if _is_page_start(line):
                marked.update(_footer_above(lines, i, marked))
                page, text_lines_on_page = page + 1, 0
        elif stamp.match(folded) or (stamp_line.match(folded) and i - 1 in marked):
            marked.add(i)
        elif _COUNTER_LINE.match(line):
            marked.add(i)
            above = next((k for k in range(i - 1, -1, -1) if lines[k].strip() and k not in marked), None)
            if above is not None and _is_letterhead_caps(lines[above]) and text_lines_on_page <= _TOP_LINES:
                marked.add(above)
            elif text_lines_on_page > _TOP_LINES:
                end = _footer_end(lines, i)
                marked.update(range(i, end + 1))
                i = end
        elif text_lines_on_page == 0 and page > 1 and _is_letterhead_caps(line):
            marked.add(i)  # `KUNGSBACKA  KOMMUN` atop a later page whose counter ingest removed
        elif _HEADER_WITH_COUNTER.match(line):
            headers.setdefault(re.sub(r"\d+", "#", " ".join(line.split())), []).append(i)
        elif line.strip():
            text_lines_on_page += 1
        i += 1
    marked.update(_footer_above(lines, len(lines), marked))
    for occurrences in headers.values():
        marked.update(_repeated_header(lines, occurrences))
    return frozenset(marked)


def _footer_above(lines: list[str], end: int, marked: set[int]) -> set[int]:
    """The letterhead footer at the foot of a page ending before line `end`: its last
    lines, each a footer line (`Telefon 0300-83 40 00 • … • kungsbacka.se`) or a postal
    address (`Kungsbacka kommun, Storgatan 37, 434 81 Kungsbacka`), with a telephone, web
    or e-mail cue among them (not a lone address closing a letter), or one line that holds
    a telephone number and a web or e-mail address."""
    found: list[int] = []
    for j in range(end - 1, max(-1, end - 1 - _FOOTER_SPAN), -1):
        line = " ".join(lines[j].split())
        if j in marked or not line:
            continue
        if not (_layout().footer_cue.match(fold(line)) or _POSTAL_CODE.match(line) or _ADDRESS_LINE.search(line) or _CONTACT_LINE.search(line)):
            break
        found.append(j)
        if len(found) == _FOOTER_BOTTOM_LINES:
            break
    cued = any(_layout().footer_cue.match(fold(" ".join(lines[j].split()))) for j in found)
    contact = any(_CONTACT_LINE.search(lines[j]) for j in found)
    return set(found) if (len(found) >= 2 and cued) or contact else set()


def _repeated_header(lines: list[str], occurrences: list[int]) -> set[int]:
    """A running header line wherever it is not the document's first line, with the lines
    below it that are the same under every occurrence. The first page's header stays: it
    is the document's letterhead."""
    at_top = not any(line.strip() and not _MARKUP.match(line) for line in lines[: occurrences[0]])
    later = occurrences[1:] if at_top else occurrences
    marked = set(later)
    below = [[k for k in range(i + 1, min(len(lines), i + 1 + 2 * _REPEATED_HEADER_LINES)) if lines[k].strip()] for i in occurrences]
    for depth in range(_REPEATED_HEADER_LINES if len(occurrences) > 1 else 0):
        texts = {" ".join(lines[rows[depth]].split()) if depth < len(rows) else None for rows in below}
        if len(texts) != 1 or None in texts:
            break
        marked.update(rows[depth] for start, rows in zip(occurrences, below) if start in later)
    return marked
