"""Swedish facts used by extraction, in one place: the data files under
data/swedish/ are loaded here, and the few rules that are patterns rather than lists
(diarienummer and date formats, month names) are defined here."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from config import SWEDISH_DATA
from extract.folding import fold

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

# Diarienummer. A registry prefix (`SON`, `KS`, `Sbn`) is optional; the number is
# `2021-459`, `2023/553`, `475/2022` or `0934/21`. The introducing word is required so
# that dates and phone numbers are never taken for a dnr.
DNR_INTRO = r"(?:dnr|diarienummer|diarienr|dnr\.|dnr:|ärendenummer|ärende\s*nr)"
DNR_PREFIX = r"(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,5}(?:[ -][A-ZÅÄÖ]{1,4})?)"
DNR_NUMBER = r"(?:\d{4}[-/.]\d{1,6}(?:[-:]\d{1,3})?|\d{1,6}/\d{2,4})"
DNR = re.compile(
    rf"\b{DNR_INTRO}\.?:?\s*(?P<dnr>(?:{DNR_PREFIX}\s+)?{DNR_NUMBER})\b",
    re.IGNORECASE,
)
# A bare prefixed number in a header (`SBN 475/2022`) when no introducing word is used.
DNR_BARE = re.compile(rf"\b(?P<dnr>[A-ZÅÄÖ][A-Za-zåäö]{{1,4}}\s+(?:\d{{4}}[-/]\d{{1,6}}|\d{{1,6}}/\d{{4}}))\b")

ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
TEXT_DATE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SectionRule:
    label: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def section_rules() -> tuple[SectionRule, ...]:
    data = tomllib.loads((SWEDISH_DATA / "sections.toml").read_text(encoding="utf-8"))
    rules = []
    for entry in data["label"]:
        for pattern in entry["patterns"]:
            rules.append(SectionRule(entry["label"], re.compile(rf"^(?:{pattern})$")))
    return tuple(rules)


def section_labels() -> list[str]:
    """All canonical labels, in the data file's order, plus `header` and `other`."""
    seen = dict.fromkeys(["header"] + [rule.label for rule in section_rules()] + ["signatures", "other"])
    return list(seen)


@lru_cache(maxsize=1)
def bodies() -> dict:
    return tomllib.loads((SWEDISH_DATA / "bodies.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Municipality:
    name: str
    aliases: tuple[str, ...]  # folded
    domains: tuple[str, ...]
    units: tuple[str, ...]  # folded


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    data = tomllib.loads((SWEDISH_DATA / "municipalities.toml").read_text(encoding="utf-8"))
    return tuple(
        Municipality(
            name=entry["name"],
            aliases=tuple(fold(alias) for alias in entry.get("aliases", [])),
            domains=tuple(entry.get("domains", [])),
            units=tuple(fold(unit) for unit in entry.get("units", [])),
        )
        for entry in data["municipality"]
    )
