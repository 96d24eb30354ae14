"""Dates as Swedish (and Finland-Swedish) documents print them: `2024-05-23`,
`23 maj 2024`, Finland's `15.9.2022` and `09.05.2023`; `iso_date` gives the ISO form of
a match of any of them."""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_NAMES = "|".join(MONTHS)

ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
TEXT_DATE = re.compile(rf"\b(?P<d>[0-3]?\d)\s+(?P<month>{MONTH_NAMES})\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
# day.month.year, as Finland-Swedish documents print dates (`Sammanträdestid 29.5.2023`)
FINNISH_DATE = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b")


def iso_date(match: re.Match) -> str:
    """The ISO form of an ISO_DATE, TEXT_DATE or FINNISH_DATE match; "" if it names no
    real day (`31.13.2023`)."""
    groups = match.groupdict()
    month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["m"])
    day = int(groups["d"])
    return f"{match.group('y')}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
