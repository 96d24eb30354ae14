"""The items of an agenda (kallelse, föredragningslista): its rows numbered 1, 2, 3 …

An agenda lists its items as table rows, `| 5. | Titel<br>13.00–13.20 | KFT-2024-<br>00304
| Förslag … |`, or as the same row read into plain lines (ingest/markdown.py: cells
apart, `<br>` a line break): its number, its title, its diary number (prefixed, bare
`2024-00365`, broken over lines), its proposal. A title ends where the presenter, the
time slot, the document count or the minutes begin (`Föredragande: Karl Persson,`,
`Matti Ekensten, lokalutvecklare`, `13.00–13.20`, `3 st dokument`, `20 min`); a diary
number in parentheses in the title is the case it refers to, not the item's. Rows
without a number (`Val av justerare`, group labels) are no items. The cell of a row's
proposal column (`Förslag till beslut` / `Nämnden för … godkänner …`) is its proposal
(`proposal_cells`), of an item's row or of another (`Val av justerare`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.matter_lines import Line, join_lines, patterns
from extract.names import person_spans
from swedish.dnr import dnr_in
from swedish.fold import fold

# A presenter after an agenda item's title: `Matti Ekensten, lokalutvecklare`, `Renate
# Rondolph,` (names the first-name list does not know).
_PRESENTER = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)? [A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?,(?:\s*[a-zåäö]|\s*$)")
# A name after one of these is part of the title: `Initiativ från Niclas Nilsson (M)`.
_PREPOSITION_END = re.compile(r"\b(?:från|av|till|om|med|och)$")
# A prefixed diary number broken by a line end in a title: `(KS-2024-` / `00511)`.
_CLOCK = re.compile(r"\d[.:]\d\d")
_BROKEN_DNR = re.compile(r"(\b[A-ZÅÄÖ]{1,6}[-–](?:19|20)\d\d[-–]|\b[A-ZÅÄÖ]{1,6}[-–])\s+(\d{3,6}\b|(?:19|20)\d\d[-–]\d{3,6}\b)")  # `KS-2024-` / `00583`, `KS-` / `2024-00583`


@dataclass
class AgendaItem:
    line: int  # its first line
    last: int  # its last line
    number: int
    title: str
    dnr: list[str]


def agenda_items(lines: list[Line]) -> list[AgendaItem]:
    """The items of the agenda whose lines are `lines`, in order (none if it has none)."""
    rules = patterns()
    candidates: list[AgendaItem] = []
    for i, line in enumerate(lines):
        match = rules.item.match(line.text)
        if match:
            read = _table_row if line.text.startswith("|") else _plain_row
            item = read(lines, i, int(match.group("number")), match.end())
            if item and item.title:
                candidates.append(item)
    return _numbered_run(candidates)


def _table_row(lines: list[Line], i: int, number: int, _: int) -> AgendaItem | None:
    """An item that is a Markdown table row: title and diary number from their columns."""
    cells = _cells(lines[i].text)
    title_column, dnr_column = _table_columns(lines, i)
    title_column = 1 if title_column is None else title_column
    if title_column >= len(cells):
        return None
    title = _item_title(_cell_lines(cells[title_column]))
    if dnr_column is not None and dnr_column < len(cells):
        dnr = dnr_in(cells[dnr_column])
    else:
        dnr = dnr_in(" | ".join(cells[title_column + 1 :]))[:1]
    return AgendaItem(i, i, number, title, dnr)


def _plain_row(lines: list[Line], i: int, number: int, after_number: int) -> AgendaItem:
    """An item read as plain lines, up to a blank line or the next item: the title is
    what comes before its diary number. In a row whose cells are apart by tabs
    (`8.\tBegäran om yttrande …, KS-2026-00379\tTE-2026-00445\tNämnden …`) the number is
    the one of the cell after the title's, and the title that whole cell."""
    item = patterns().item
    last = i
    while last + 1 < len(lines) and lines[last + 1].text and not item.match(lines[last + 1].text):
        last += 1
    body = "\n".join([lines[i].text[after_number:]] + [lines[k].text for k in range(i + 1, last + 1)])
    title_cell, tab, cells = body.lstrip("\t").partition("\t")
    dnr = dnr_in(cells.split("\t")[0])[:1] if tab else []
    if dnr:  # the dnr column's number; one in the title cell is another case's (`…, KS-2026-00379`)
        return AgendaItem(i, last, number, _item_title(title_cell.split("\n")), dnr)
    dnr = dnr_in(body)[:1]
    at = _dnr_position(body, dnr[0]) if dnr else -1
    return AgendaItem(i, last, number, _item_title((body[:at] if at > 0 else body).split("\n")), dnr)


def proposal_cells(lines: list[Line]) -> list[tuple[int, int]]:
    """(start, end) offsets of the cell in the proposal column of each agenda row: in a
    Markdown table row, the cell under the column headed `Förslag`; in a row read into
    plain lines with its cells apart by tabs (`5.\tTitel\tKFT-2024-00304\tFörslag …`, up
    to a blank line), its last cell when the table's heading row ends with that column.
    A cell that is empty or only a diary number is none."""
    names = {fold(name) for name in patterns().proposal_columns}
    cells: list[tuple[int, int]] = []
    column: int | None = None  # of a Markdown table; -1: the last of tab-separated rows
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text.startswith("|"):
            bars = [n for n, ch in enumerate(text) if ch == "|"]
            headed = [n for n, cell in enumerate(_cells(text)) if fold(cell) in names]
            if headed:
                column = headed[0]
            elif column is not None and column >= 0 and column + 1 < len(bars) and not set(text) <= set("|-: "):
                cells += _cell_span(lines[i], bars[column], bars[column + 1])
        elif "\t" in text and fold(text.split("\t")[-1]) in names:
            column = -1
        elif "\t" in text and column == -1:
            last = i
            while last + 1 < len(lines) and lines[last + 1].text and lines[last + 1].text != "\f":
                last += 1
            tab = max(k for k in range(i, last + 1) if "\t" in lines[k].text)
            cells += _cell_span(lines[tab], lines[tab].text.rindex("\t"), None, lines[tab + 1 : last + 1])
            i = last
        elif not text and column is not None and column >= 0:
            column = None
        i += 1
    return cells


def _cell_span(line: Line, after: int, before: int | None, following: list[Line] = ()) -> list[tuple[int, int]]:
    """The (start, end) of a cell: the text of `line` between positions `after` and
    `before` (to its end when `before` is None, and on over the `following` lines),
    trimmed; none if it is empty or only a diary number."""
    text = line.text[after + 1 : before] if before is not None else "\n".join([line.text[after + 1 :]] + [f.text for f in following])
    cell = text.strip()
    if not cell or (dnr_in(cell) and len(" ".join(dnr_in(cell))) >= len(" ".join(cell.split())) - 1):
        return []
    start = line.start + after + 1 + len(text) - len(text.lstrip())
    end = start + len(cell) if before is not None or not following else following[-1].end
    return [(start, end)]


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _cell_lines(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"<br\s*/?>", cell) if part.strip()]


def _table_columns(lines: list[Line], i: int) -> tuple[int | None, int | None]:
    """(title column, dnr column) from the nearest header row above a table row."""
    rules = patterns()
    title_names = {fold(name) for name in rules.title_columns}
    dnr_names = {fold(name) for name in rules.dnr_columns}
    for j in range(i - 1, max(-1, i - 40), -1):
        if not lines[j].text.startswith("|"):
            continue
        names = [fold(cell) for cell in _cells(lines[j].text)]
        title = next((k for k, name in enumerate(names) if name in title_names), None)
        dnr = next((k for k, name in enumerate(names) if name in dnr_names), None)
        if title is not None or dnr is not None:
            return title, dnr
    return None, None


def _item_title(parts: list[str]) -> str:
    """The title of an agenda item from the lines of its cell (or of its plain line): up
    to the presenter, time slot, document count or minutes that follow it. A cut at a
    count that would leave less than two words is no cut (`PAUS 15 min` is a title)."""
    text = "\n".join(parts)
    cut = len(text)
    match = patterns().item_end.search(text)
    if match and len(text[: match.start()].split()) >= (1 if _CLOCK.search(match.group()) else 2):
        cut = match.start()  # a time slot ends even a one-word title (`Resursfördelningsmodell Kl 16:25-16:40`)
    for start, end in person_spans(text):
        if _is_presenter(text, start) and re.match(r"\s*(?:,|\n|$)", text[end:]):
            cut = min(cut, start)
            break
    for presenter in _PRESENTER.finditer(text):
        if _is_presenter(text, presenter.start()):
            cut = min(cut, presenter.start())
            break
    return _BROKEN_DNR.sub(r"\1\2", join_lines(text[:cut].split("\n"))).strip(" ,-–")


def _is_presenter(text: str, start: int) -> bool:
    """A name at `start` presents the item, unless the title names it (`Initiativ från …`)."""
    before = text[:start].rstrip()
    return len(before.split()) >= 2 and not _PREPOSITION_END.search(before)


def _dnr_position(text: str, dnr: str) -> int:
    """Where the (joined) diary number `dnr` begins in `text`, which may print it broken."""
    pattern = r"\s*(?:<br\s*/?>)?\s*".join(re.escape(ch) for ch in dnr)
    match = re.search(pattern, text)
    return match.start() if match else -1


def _numbered_run(candidates: list[AgendaItem]) -> list[AgendaItem]:
    """The longest run of items numbered 1, 2, 3 … in document order."""
    best: list[AgendaItem] = []
    for first, item in enumerate(candidates):
        if item.number != 1:
            continue
        run = [item]
        for later in candidates[first + 1 :]:
            if later.number == run[-1].number + 1:
                run.append(later)
        if len(run) > len(best):
            best = run
    return best
