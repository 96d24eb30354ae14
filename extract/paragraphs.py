"""Where the § of a protocol begin, and their number, diary numbers and title.

Every line that opens like a § (`§ 137 Dnr BN-2023-00211`, OCR'd `$ 80`,
Finland-Swedish `17 § Val av protokolljusterare`, and what Swedish OCR makes of that:
`178 Uppvaktningar`, `228 — Anhållan`, a lone `1888` above the title) is a candidate; so
is the line of a title that the protocol's contents page lists when OCR lost its number.
Lines of the contents page itself are not. Protocols number their § in ascending
order, so the § are the best ascending chain of candidates: steps of one are preferred,
and a candidate the contents page confirms, with a diary number, or followed by a
decision of its own weighs more. This drops the `§ 3` of an attendance list, the
`1 § Kommunarbetsgivarnas anvisningar` of an attached negotiation protocol and a § that
a proposal cites at a line's start.

A Finland-Swedish § has its diary number on a line of its own above the § line (or
under the title); a Swedish one on the § line (`§ 137   Dnr BN-2023-00211`) with the
title on the lines under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from document import Document
from lexicon import rejected_words
from extract.matter_lines import PAGE_MARK, Line, is_decision, is_heading, join_lines, only_dnr, paragraph_opening, patterns
from swedish.data import date_labels, line_continuing_pattern
from swedish.dates import ISO_DATE
from swedish.dnr import DNR_FINNISH, dnr_in
from swedish.fold import fold

# What a step between the numbers of two § of the chain costs: none for the next
# number, little for a gap of one or two (a § published apart, `§§ 48,50`), more for
# a far one (an extract of `§ 137, 163, 164` still chains: each § weighs more).
_STEP_PENALTY = {1: 0.0, 2: 0.3, 3: 0.3}
_FAR_STEP_PENALTY = 1.0
# What a candidate weighs: its line, and more with a diary number, a decision of its
# own (or a withheld-§ phrase) before the next candidate, or when the contents page
# lists it; less with a title in lower case or a § sign OCR read as `8`, `&` … that
# the contents page does not confirm. A § needs more than its line alone.
_LINE_WEIGHT = 1.0
_DNR_WEIGHT = 0.5
_DECISION_WEIGHT = 0.5
_LISTED_WEIGHT = 1.0
_DOUBT_WEIGHT = -0.5
_LEAST_WEIGHT = 0.5
_LISTED_TITLE = 0.6  # a title this similar to the listed one confirms the listing
_TITLE_MAX_LINES = 4
_CONTENTS_GAP_LINES = 12  # lines between two dot-leader lines of one contents page
_SIMILAR_TITLE = 0.85  # a line this similar to a listed title is that §'s title line
# A title line that goes on on the next line ends in one of these.
_DANGLING = re.compile(rf"(?:[-–,;&]|\b(?:{line_continuing_pattern()}))$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _meeting_date() -> re.Pattern[str]:
    """A page header's date or its label between a § line and its title (`Sammanträdesdatum`
    / `2025-09-02`): a meeting label (data/swedish/dates.toml, as a word beginning), a
    document's date label, or an ISO date, alone on its line."""
    labels = date_labels()
    meeting = "|".join(re.escape(label) + r"\w*" for label in labels["meeting"])
    document = "|".join(re.escape(label) for label in labels["document"])
    return re.compile(rf"^(?:(?:{meeting}|{document}):?|{ISO_DATE.pattern})$", re.IGNORECASE)


def _header_date_label(text: str, below: str) -> re.Match | None:
    """A date label ending a title line whose next line is a date alone: the page header's
    column beside the title (`Delegationsbeslut och meddelanden   Sammanträdesdatum` /
    `2026-02-24`), not the title's words."""
    if not ISO_DATE.fullmatch(below.strip()):
        return None
    label = re.search(r"\s+\S+:?$", text)
    return label if label and _meeting_date().match(label.group().strip()) else None


def find_paragraphs(lines: list[Line], doc: Document) -> list[ParagraphStart]:
    """The § of the document whose lines are `lines`, in order (none if it has none)."""
    return _best_chain(_paragraph_starts(lines, doc))


@dataclass
class ParagraphStart:
    """A line that opens a §, with what the lines around it say about the §."""

    line: int  # the line of the § sign (or of the title found through the contents page)
    first: int  # the first line of the matter (a diary number may stand above the §)
    number: int
    dnr: list[str]
    title: str
    title_end: int  # the line after the title
    score: float

    @property
    def evidenced(self) -> bool:
        """More than the line says it opens a § (a diary number, a decision, the listing)."""
        return self.score > _LINE_WEIGHT


@dataclass
class _Entry:
    """A § as the contents page lists it."""

    number: int
    title: str
    line: int


def _contents(lines: list[Line]) -> tuple[set[int], dict[int, _Entry]]:
    """The lines of a protocol's contents page(s), and its entries by § number. The page
    is found by its dot leaders (`Kvalitetsberättelse 2024 ....... 9`), whatever its
    heading (`Innehåll`, `Ärenden som skall behandlas   Sida`): a run of such lines, and
    above the first one the § line it belongs to (`§ 1 Dnr IF-2023-00055`)."""
    rules = patterns()
    leaders = [i for i, line in enumerate(lines) if rules.contents_entry_end.search(line.text)]
    inside: set[int] = set()
    entries: dict[int, _Entry] = {}
    n = 0
    while n < len(leaders):
        first = last = leaders[n]
        while n + 1 < len(leaders) and leaders[n + 1] - last <= _CONTENTS_GAP_LINES:
            n += 1
            last = leaders[n]
        n += 1
        for k in range(first - 1, max(-1, first - _TITLE_MAX_LINES), -1):
            if not lines[k].text:
                break
            if paragraph_opening(lines[k].text):
                first = k
                break
        inside.update(range(first, last + 1))
        for k in range(first, last + 1):
            opening = paragraph_opening(lines[k].text)
            if opening is None:
                continue
            number, rest = opening
            parts, m = ([] if only_dnr(rest) else [rest]), k
            while not rules.contents_entry_end.search(lines[m].text) and m + 1 <= last and m - k < _TITLE_MAX_LINES:
                m += 1
                if lines[m].text:
                    parts.append(lines[m].text)
            title = rules.contents_entry_end.sub("", join_lines(parts)).rstrip(" .…")
            entries.setdefault(number, _Entry(number, title, k))
    return inside, entries


def _title(lines: list[Line], i: int, rest: str) -> tuple[str, list[str], int]:
    """(title, diary numbers, index of the line after the title) of a § whose opening
    line i ends with `rest`: the title itself (Finland-Swedish, continued only where the
    line visibly goes on), or a diary number or nothing (the title follows)."""
    dnr = only_dnr(rest) or (dnr_in(rest) if re.match(r"(?i)dnr\b", rest) else [])
    parts: list[str] = []
    j = i + 1
    if rest and not dnr:
        parts = [rest]
        while (
            j < len(lines) and lines[j].text and len(parts) < _TITLE_MAX_LINES
            and _DANGLING.search(parts[-1]) and not is_heading(lines[j].text)
        ):
            parts.append(lines[j].text)
            j += 1
    else:
        while j < len(lines) and not lines[j].text:
            j += 1
        while j < len(lines) and len(parts) < _TITLE_MAX_LINES:
            text = lines[j].text
            if not parts and _meeting_date().match(text):  # the page header's `Sammanträdesdatum` / `2025-09-02` under `BUN § 60  Sida 7 av 12`
                j += 1
                while j < len(lines) and not lines[j].text:
                    j += 1
                continue
            if not text or PAGE_MARK.match(text) or is_heading(text):
                break
            numbers = only_dnr(text)
            j += 1
            if numbers:
                dnr += [number for number in numbers if number not in dnr]
                if parts:
                    break
                continue
            label = _header_date_label(text, lines[j].text if j < len(lines) else "")
            if label:  # the page header's label beside the title, its date below: `… meddelanden   Sammanträdesdatum` / `2026-02-24`
                parts.append(text[: label.start()])
                j += 1
                break
            parts.append(text)
        if parts and not dnr:  # the number on its own line under the title, after a blank line (`TE/2018:210 8.2`)
            k = next((k for k in range(j, min(j + 3, len(lines))) if lines[k].text), None)
            numbers = only_dnr(lines[k].text) if k is not None else []
            if numbers:
                dnr, j = numbers, k + 1
    return join_lines(parts).strip(" -—–"), dnr, j


def _dnr_below(lines: list[Line], j: int) -> list[str]:
    """A diary number on its own line right under a Finland-Swedish § title."""
    for k in range(j, min(j + 3, len(lines))):
        if lines[k].text:
            return [m.group("dnr") for m in DNR_FINNISH.finditer(lines[k].text)] if only_dnr(lines[k].text) else []
    return []


def _dnr_above(lines: list[Line], i: int) -> tuple[list[str], int]:
    """A Finland-Swedish diary number standing on its own line just above the § (the
    nearest non-blank line or the one before it), and the index of that line."""
    seen = 0
    for j in range(i - 1, max(-1, i - 6), -1):
        text = lines[j].text
        if not text:
            continue
        if PAGE_MARK.match(text):
            break
        found = [m.group("dnr") for m in DNR_FINNISH.finditer(text)]
        if found and only_dnr(text):
            return found, j
        seen += 1
        if seen == 2:
            break
    return [], i


def _paragraph_starts(lines: list[Line], doc: Document) -> list[ParagraphStart]:
    """Every line that may open a §, weighed (see `_LINE_WEIGHT`), in document order."""
    contents_lines, entries = _contents(lines)
    starts: list[ParagraphStart] = []
    for i, line in enumerate(lines):
        if i in contents_lines or not line.text:
            continue
        opening = paragraph_opening(line.text)
        if opening is None:
            continue
        number, rest = opening
        title, dnr, title_end = _title(lines, i, rest)
        if not title or not title[0].isalpha() and title[0] not in "\"'”“":
            continue
        first = i
        if not dnr:
            dnr, first = _dnr_above(lines, i)
        if not dnr:
            dnr = _dnr_below(lines, title_end)
        score = _LINE_WEIGHT + (_DNR_WEIGHT if dnr else 0.0) + (_DOUBT_WEIGHT if title[0].islower() else 0.0)
        entry = entries.get(number)
        if entry and _similar(entry.title, title) >= _LISTED_TITLE:
            score += _LISTED_WEIGHT
            # an OCR'd title (`pPersonalenkät 2022`) as the text layer's contents page has it
            if _origin(doc, line.start) == "ocr" and _origin(doc, lines[entry.line].start) != "ocr":
                title = entry.title
            # a heading whose text layer dropped a ligature (`stadsfullmäktges`) where the
            # contents page printed the same title whole (`stadsfullmäktiges`)
            elif rejected_words(title)[0] > rejected_words(entry.title)[0]:
                title = entry.title
        elif line.text[0].isdigit() and not re.match(r"\d+\s?§", line.text):
            score += _DOUBT_WEIGHT  # an OCR'd § sign (`178`, `17 8`)
        starts.append(ParagraphStart(i, first, number, dnr, title, title_end, score))
    starts += _titles_from_contents(lines, entries, contents_lines, starts, doc)
    starts.sort(key=lambda start: start.line)
    _add_decision_evidence(lines, starts)
    return starts


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def _origin(doc: Document, offset: int) -> str:
    page = doc.page_at(offset)
    return next((info.origin for info in doc.pages if info.number == page), "")


def _titles_from_contents(lines: list[Line], entries: dict[int, _Entry], skip: set[int], found: list[ParagraphStart], doc: Document) -> list[ParagraphStart]:
    """Starts of the § that the contents page lists but whose number OCR lost: the first
    line after the contents page that reads as the listed title."""
    have = {start.number for start in found}
    after = max(skip) + 1 if skip else 0
    extra = []
    for number, entry in entries.items():
        if number in have or not entry.title:
            continue
        for i in range(after, len(lines)):
            if abs(len(lines[i].text) - len(entry.title)) <= len(entry.title) // 4 and _similar(lines[i].text, entry.title) >= _SIMILAR_TITLE:
                dnr, first = _dnr_above(lines, i)
                weight = _LINE_WEIGHT + _LISTED_WEIGHT + _DOUBT_WEIGHT + (_DNR_WEIGHT if dnr else 0.0)
                extra.append(ParagraphStart(i, first, number, dnr, entry.title, i + 1, weight))
                break
    return extra


def _add_decision_evidence(lines: list[Line], starts: list[ParagraphStart]) -> None:
    """A candidate followed by a decision heading or a withheld-§ phrase before the next
    candidate is more likely a § than one followed by neither."""
    rules = patterns()
    for n, start in enumerate(starts):
        end = starts[n + 1].line if n + 1 < len(starts) else len(lines)
        if any(is_decision(lines[j].text) or rules.withheld.search(lines[j].text) for j in range(start.title_end, end)):
            start.score += _DECISION_WEIGHT


def _best_chain(starts: list[ParagraphStart]) -> list[ParagraphStart]:
    """The ascending chain of candidates with the highest weight (each step between
    non-consecutive numbers costs a little), without those that weigh too little."""
    if not starts:
        return []
    best: list[float] = []
    previous: list[int | None] = []
    for j, start in enumerate(starts):
        value, link = start.score, None
        for i in range(j):
            if starts[i].number < start.number:
                step = _STEP_PENALTY.get(start.number - starts[i].number, _FAR_STEP_PENALTY)
                if best[i] + start.score - step > value:
                    value, link = best[i] + start.score - step, i
        best.append(value)
        previous.append(link)
    j: int | None = max(range(len(starts)), key=best.__getitem__)
    chain = []
    while j is not None:
        chain.append(starts[j])
        j = previous[j]
    return [start for start in reversed(chain) if start.score > _LEAST_WEIGHT]
