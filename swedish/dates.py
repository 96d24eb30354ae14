"""Dates as Swedish (and Finland-Swedish) documents print them: `2024-05-23`,
`23 maj 2024`, `8 nov. 2023`, Finland's `15.9.2022` and `09.05.2023`; `iso_date` gives the ISO form of
a match of any of them, `date_of` of a text that is one. `SIGNED` is the line a letter
closes with before its signatures: place and date (`Göteborg den 9 april 2024`)."""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_NAMES = "|".join(MONTHS)
# Abbreviated months in printed dates (`8 nov. 2023`, `1 sept 2024`).
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12}
_MONTH = MONTH_NAMES + "|" + "|".join(rf"{name}\.?" for name in sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))

ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
# Its parts may be broken over a line, not over a blank line (`… sammanträdesdagen 10 december` /
# blank / `2025 ........ 21` is a contents entry and its page's year, no date).
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
TEXT_DATE = re.compile(rf"\b(?P<d>[0-3]?\d){_GAP}(?P<month>{_MONTH}){_GAP}(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
# a date with its weekday, as minutes head themselves (`Måndag 28 april 2025`, `tisdagen den 18 februari 2025`)
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
WEEKDAY_DATE = re.compile(rf"(?:{'|'.join(WEEKDAYS)})(?:en)?(?:[ \t]+den)?[ \t]+{TEXT_DATE.pattern}", re.IGNORECASE)
# a month of a year, as a cover page dates a report (`Januari 2025`): no day, no document date
MONTH_OF_YEAR = re.compile(rf"(?P<month>{MONTH_NAMES})[ \t]+(?P<y>(?:19|20)\d\d)", re.IGNORECASE)
# day.month.year, as Finland-Swedish documents print dates (`Sammanträdestid 29.5.2023`)
FINNISH_DATE = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b")
# year, month and day run together (`Datum: 20251028`): a date only right after a date label
COMPACT_DATE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?![\d-])")


def iso_date(match: re.Match) -> str:
    """The ISO form of an ISO_DATE, TEXT_DATE or FINNISH_DATE match; "" if it names no
    real day (`31.13.2023`)."""
    groups = match.groupdict()
    name = groups["month"].lower().rstrip(".") if groups.get("month") else ""
    month = MONTHS.get(name) or MONTH_ABBREVIATIONS[name] if name else int(groups["m"])
    day = int(groups["d"])
    return f"{match.group('y')}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""

# The place and date a letter is signed with, on a line of its own: `Göteborg den 9 april
# 2024`, `Kungsbacka den 7 maj 2024`, `Nykarleby 29.5.2023`.
SIGNED = re.compile(r"(?m)^[ \t]*(?P<place>[A-ZÅÄÖ][\wåäö-]+),?[ \t]+(?P<den>den[ \t]+)?(?P<date>\d[\w. -]*\d)[ \t]*$")


def date_of(text: str) -> str:
    """The ISO date that `text` is, in any printed form, or ""."""
    for pattern in (ISO_DATE, TEXT_DATE, FINNISH_DATE):
        match = pattern.fullmatch(text)
        if match:
            return iso_date(match)
    return ""
