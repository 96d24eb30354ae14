"""The document's date (`find_date`), as an ISO date. The date forms are swedish/dates.py's,
the labels data/swedish/dates.toml's.

Rules:
- the date of a protocol or agenda is its meeting's (`Sammanträde tisdagen den 18
  februari 2025`, `Sammanträdestid 29.5.2023`), not the day the agenda was drawn up;
- other documents carry theirs under a label (`Datum`, `Upprättad`); a steering document
  under `Dokumentet beslutades den:` when no `Datum` says otherwise;
- else a letter is dated by its place-and-date line (`Göteborg den 29 april 2026`), before
  any unlabelled date of the header (deadlines: `senast den 18 juni 2026`);
- dates of the body text are never taken;
- a line of only a date and a place (`2025-08-25          Kungsbacka`) is a letter's
  dateline (`is_dateline`), never a title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.municipality import municipality_patterns
from swedish.data import date_labels, municipalities
from swedish.dates import COMPACT_DATE, FINNISH_DATE, ISO_DATE, SIGNED, TEXT_DATE, date_of, iso_date
from swedish.fold import fold, ocr_tolerant


@lru_cache(maxsize=1)
def _date_label_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(document, decision, meeting, other-date) labels of data/swedish/dates.toml."""
    labels = date_labels()

    def words(kind: str, suffix: str = "") -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(ocr_tolerant(word) for word in labels[kind]) + rf"){suffix}\b", re.IGNORECASE)

    return words("document"), words("decision"), words("meeting", r"\w*"), words("other_dates")


def find_date(header: str, meeting: bool = False, text: str = "") -> str:
    """The document's date: a date labelled in the header (`Datum`, `Upprättad`, else
    a steering document's `Dokumentet beslutades den:`) or, for a protocol or agenda
    (`meeting`), its meeting's (`Sammanträde … den 18 februari 2025`,
    `Sammanträdestid 29.5.2023`), which comes first there; else the place and date a
    letter is signed with (`Göteborg den 9 april 2024`, on a line of its own in
    `text`); else the header's first date.
    Other dates are deadlines and events (`senast den 18 juni 2026`, the meeting a report
    goes to), never the document's date."""
    document_label, decision_label, meeting_label, other_label = _date_label_patterns()
    signed_rank = 3
    # (rank, place, order on the place, date); several dates after one label on a line are
    # its revisions (`Uppdaterad: 2024-08-28, 2025-05-02`): the latest is the document's
    candidates = [(signed_rank, start, 0, date) for start, date in _signing_dates(text or header)]
    for pattern in (ISO_DATE, TEXT_DATE, FINNISH_DATE):
        for match in pattern.finditer(header):
            date = iso_date(match)
            if not date:
                continue
            line_start = header.rfind("\n", 0, match.start()) + 1
            before = header[line_start : match.start()]
            on_its_line = bool(before.strip())
            if not on_its_line:  # the label on the line above: `Datum` / `2024-05-02`
                before = header[:line_start].rstrip().rsplit("\n", 1)[-1]
            if _in_range(header, match):
                continue  # a period: `Inkomna skrivelser för tiden 2024-09-09 -- 2024-10-07`
            if on_its_line and other_label.search(before):
                continue  # a deadline (`… diarium senast | 2025-09-19`) or `Giltig från 2026-06-25`
            labels = [bool(label.search(before)) for label in (meeting_label, document_label, decision_label)]
            order = (0, 1, 2) if meeting else (4, 0, 1)  # the rank each label gives; unlabelled: 5
            rank = min((order[n] for n, found in enumerate(labels) if found), default=5)
            if rank < 5 and on_its_line and _revisions(before):
                candidates.append((rank, line_start, -int(date.replace("-", "")), date))
            else:
                candidates.append((rank, match.start(), 0, date))
    for match in COMPACT_DATE.finditer(header):
        # `Datum: 20251028`: eight digits are a date only after the label, on its line
        line_start = header.rfind("\n", 0, match.start()) + 1
        before = header[line_start : match.start()]
        label = document_label.search(before)
        date = iso_date(match)
        if label and date and not before[label.end() :].strip(" \t:"):
            candidates.append((0, match.start(), 0, date))
    return min(candidates)[3] if candidates else ""


@lru_cache(maxsize=1)
def _date_list() -> re.Pattern:
    """Dates before the next one on its line, joined by commas or a word of
    data/swedish/dates.toml (`2024-08-28, ` or `2024-08-28 och `)."""
    link = "|".join(re.escape(word) for word in date_labels()["list_links"])
    return re.compile(rf"(?:[ \t]*(?:,|{link})?[ \t]*{ISO_DATE.pattern})+[ \t,]*(?:(?:{link})[ \t]*)?$")


@lru_cache(maxsize=1)
def _period_ends() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(what follows a period's first date, what precedes its last): the other date joined
    by a dash or by a word of data/swedish/dates.toml."""
    words = "|".join(re.escape(word) for word in date_labels()["period_links"])
    link = rf"[ \t]*(?:--|[-–—]|(?:{words})(?![\wåäö]))[ \t]*"
    return re.compile(link + ISO_DATE.pattern, re.IGNORECASE), re.compile(ISO_DATE.pattern + link + "$", re.IGNORECASE)


def _in_range(header: str, match: re.Match) -> bool:
    """Whether an ISO date begins or ends a period (`2024-09-09 -- 2024-10-07`, `… till
    2024-10-07`): a period dates what a list covers, not the document."""
    starts, ends = _period_ends()
    after = header[match.end() : match.end() + 16]
    before = header[max(0, match.start() - 24) : match.start()]
    return bool(starts.match(after) or ends.search(before))


def _revisions(before: str) -> bool:
    """Whether a date follows its label and only dates before it on its line
    (`Uppdaterad: 2024-08-28, 2025-05-02`, `… 2024-08-28 och 2025-05-02`): the label dates
    each of them."""
    rest = _date_list().sub("", before).rstrip(" \t,")
    return bool(rest) and rest != before.rstrip(" \t,") and rest.rstrip().endswith(":")


def _signing_dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of the lines that give the place and date a letter is signed
    with: `Göteborg den 9 april 2024`, `Kungsbacka den 7 maj 2024`, `Nykarleby 29.5.2023`
    (a municipality's name, or any place before `den`)."""
    names = {fold(m.name) for m in municipalities()}
    found = []
    for line in SIGNED.finditer(text):
        date = date_of(line.group("date"))
        if date and (fold(line.group("place")) in names or line.group("den")):
            found.append((line.start(), date))
    return found


def is_dateline(line: str) -> bool:
    """A letter's date and place on one line (`2025-08-25          Kungsbacka`): no title."""
    date = ISO_DATE.search(line) or TEXT_DATE.search(line)
    if not date:
        return False
    place = " ".join((line[: date.start()] + " " + line[date.end() :]).split()).strip(" ,")
    return bool(municipality_patterns().names.fullmatch(place))
