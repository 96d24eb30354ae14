"""Swedish facts used by extraction, in one place: the data files under data/swedish/
are loaded here, and the few rules that are patterns rather than lists (diarienummer
and date formats, month names) are defined here."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from config import SWEDISH_DATA
from extract.folding import fold, ocr_tolerant

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_NAMES = "|".join(MONTHS)


def _load(name: str) -> dict:
    return tomllib.loads((SWEDISH_DATA / name).read_text(encoding="utf-8"))


# Diarienummer. The number is `2021-459`, `2023/553`, `475/2022`, `0934/21` or
# `2023-01234`, optionally after a registry prefix joined by a space or hyphen (`SON
# 2021-459`, `ÄLN-2023-01234`, `Sbn 475/2022`). The introducing word (`Dnr`,
# `Diarienummer`, `Ärendenummer` …) is required in running text so that dates and phone
# numbers are never taken for a dnr.
DNR_INTRO = r"(?i:dnr|diarienr|diarienummer|" + ocr_tolerant("ärendenummer") + "|" + ocr_tolerant("ärendenr") + r"|beteckning)"
DNR_PREFIX = r"(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}(?:[ -]|(?=\d)))"
DNR_NUMBER = r"(?:(?:19|20)\d\d[-/.]\d{1,6}(?:[-:/]\d{1,4})?|\d{1,6}/(?:19|20)?\d\d)"
DNR_VALUE = rf"(?P<dnr>{DNR_PREFIX}?{DNR_NUMBER})(?![\d/-]*\d)"
DNR = re.compile(rf"\b{DNR_INTRO}\.?:?[ \t]*(?:\n[ \t]*)?{DNR_VALUE}")
# A bare prefixed number (`SBN 475/2022`, `KS 2024/187`) anywhere it is printed.
DNR_BARE = re.compile(rf"\b(?P<dnr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{{0,4}}[A-ZÅÄÖ]?[ -]{DNR_NUMBER})(?![\d/-]*\d)")

ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
TEXT_DATE = re.compile(rf"\b(?P<d>[0-3]?\d)\s+(?P<month>{MONTH_NAMES})\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)


def iso_date(match: re.Match) -> str:
    """The ISO form of an ISO_DATE or TEXT_DATE match."""
    if "month" in match.groupdict():
        return f"{match.group('y')}-{MONTHS[match.group('month').lower()]:02d}-{int(match.group('d')):02d}"
    return match.group(0)


def heading_regex(pattern: str) -> str:
    """A heading pattern from sections.toml with OCR tolerance for å/ä/ö."""
    return "".join(f"(?:{ocr_tolerant(ch)})" if ch in "åäö" else ch for ch in pattern)


@dataclass(frozen=True)
class SectionRule:
    label: str
    pattern: re.Pattern[str]
    weak: bool = False


@lru_cache(maxsize=1)
def section_rules() -> tuple[SectionRule, ...]:
    rules = []
    for entry in _load("sections.toml")["label"]:
        for key, weak in (("patterns", False), ("weak", True)):
            for pattern in entry.get(key, []):
                rules.append(SectionRule(entry["label"], re.compile(rf"^(?:{heading_regex(pattern)})$", re.IGNORECASE), weak))
    return tuple(rules)


def section_labels() -> list[str]:
    """All canonical labels, in the data file's order, plus `header` and `other`."""
    return list(dict.fromkeys(["header"] + [rule.label for rule in section_rules()] + ["signatures", "other"]))


@lru_cache(maxsize=1)
def bodies() -> dict:
    return _load("bodies.toml")


@lru_cache(maxsize=1)
def organisations() -> dict:
    return _load("organisations.toml")


@lru_cache(maxsize=1)
def places() -> dict:
    return _load("places.toml")


@lru_cache(maxsize=1)
def parties() -> list[dict]:
    return _load("parties.toml")["party"]


def _ascii_domain(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.lower())
    return "".join(ch for ch in plain if ch.isalnum() and ch.isascii()) + ".se"


def genitive(name: str) -> str:
    return name if name[-1].lower() in "aeiouyåäösxz" else name + "s"


@dataclass(frozen=True)
class Municipality:
    name: str
    county: str
    aliases: tuple[str, ...]  # organisational names: `Linköpings kommun`, `Göteborgs Stad`
    domains: tuple[str, ...]
    units: tuple[str, ...]  # stadsdelar and districts
    ambiguous: bool  # the bare name is also a common word: only aliases identify it


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    data = _load("municipalities.toml")
    ambiguous = set(data.get("ambiguous", []))
    result = []
    for entry in data["municipality"]:
        name = entry["name"]
        gen = entry.get("genitive", genitive(name))
        aliases = [f"{gen} kommun", f"{name} kommun", f"{gen} stad", f"{gen} Stad"]
        if "official" in entry:
            aliases.insert(0, entry["official"])
        result.append(
            Municipality(
                name=name,
                county=entry["county"],
                aliases=tuple(dict.fromkeys(aliases)),
                domains=tuple(entry.get("domains", [_ascii_domain(name)])),
                units=tuple(data["units"].get(name, [])),
                ambiguous=name in ambiguous,
            )
        )
    return tuple(result)


@lru_cache(maxsize=1)
def counties() -> tuple[str, ...]:
    return tuple(sorted({m.county for m in municipalities()}))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded Swedish first names: the 500 most common female and male names (Isof
    2023) shipped with Faker's sv_SE person provider."""
    from faker.providers.person.sv_SE import Provider

    return frozenset(fold(name) for name in Provider.first_names)


@lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    """Folded common Swedish surnames (Skatteverket's top 500, from Faker's sv_SE provider)."""
    from faker.providers.person.sv_SE import Provider

    return frozenset(fold(name) for name in Provider.last_names)
