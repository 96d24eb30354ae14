"""Dates as Swedish (and Finland-Swedish) documents print them: `2024-05-23`,
`23 maj 2024`; `iso_date` gives the ISO form of a match."""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_NAMES = "|".join(MONTHS)

ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
TEXT_DATE = re.compile(rf"\b(?P<d>[0-3]?\d)\s+(?P<month>{MONTH_NAMES})\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)


def iso_date(match: re.Match) -> str:
    """The ISO form of an ISO_DATE or TEXT_DATE match."""
    if "month" in match.groupdict():
        return f"{match.group('y')}-{MONTHS[match.group('month').lower()]:02d}-{int(match.group('d')):02d}"
    return match.group(0)
