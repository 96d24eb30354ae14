"""The Swedish facts in data/swedish/, loaded in one place: section headings, deciding
bodies and document types, date labels, diary-number labels, municipalities (Sweden's and Finland's Swedish-speaking
ones), organisations, places, parties, stopwords, page furniture (layout.toml), the
words of person names (names.toml), and the name lists of Faker's sv_SE provider."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from config import SWEDISH_DATA
from swedish.fold import fold, ocr_tolerant

def _load(name: str) -> dict:
    return tomllib.loads((SWEDISH_DATA / name).read_text(encoding="utf-8"))


def heading_regex(pattern: str) -> str:
    """A heading pattern from sections.toml with OCR tolerance for å/ä/ö."""
    return "".join(f"(?:{ocr_tolerant(ch)})" if ch in "åäö" else ch for ch in pattern)


@dataclass(frozen=True)
class SectionRule:
    label: str
    pattern: re.Pattern[str]
    weak: bool = False
    colon: bool = False  # a heading only when its line ends in a colon


# sections.toml's pattern lists: key -> (weak, colon)
_PATTERN_KINDS = {"patterns": (False, False), "weak": (True, False), "colon_patterns": (False, True)}


@lru_cache(maxsize=1)
def section_rules() -> tuple[SectionRule, ...]:
    rules = []
    for entry in _load("sections.toml")["label"]:
        for key, (weak, colon) in _PATTERN_KINDS.items():
            for pattern in entry.get(key, []):
                rules.append(SectionRule(entry["label"], re.compile(rf"^(?:{heading_regex(pattern)})$", re.IGNORECASE), weak, colon))
    return tuple(rules)


@lru_cache(maxsize=1)
def _section_labels() -> tuple[str, ...]:
    # read from the file, not from section_rules(): compiling its hundred patterns costs
    # 20 ms, which every command would pay for the CLI's --section choices
    labelled = [entry["label"] for entry in _load("sections.toml")["label"] if any(entry.get(key) for key in _PATTERN_KINDS)]
    return tuple(dict.fromkeys(["header", *labelled, "signatures", "other"]))


def section_labels() -> list[str]:
    """All canonical labels, in the data file's order, plus `header` and `other`."""
    return list(_section_labels())


@lru_cache(maxsize=1)
def bodies() -> dict:
    return _load("bodies.toml")


@lru_cache(maxsize=1)
def body_endings() -> tuple[str, ...]:
    """The endings of a deciding body's name, folded (bodies.toml `body_suffixes`: `nämnden`,
    `styrelsen`, `fullmäktige` …)."""
    return tuple(fold(suffix) for suffix in bodies()["body_suffixes"])


@lru_cache(maxsize=1)
def organisations() -> dict:
    return _load("organisations.toml")


@lru_cache(maxsize=1)
def places() -> dict:
    return _load("places.toml")


@lru_cache(maxsize=1)
def date_labels() -> dict[str, list[str]]:
    """The labels that date a document or its meeting (data/swedish/dates.toml)."""
    return _load("dates.toml")


@lru_cache(maxsize=1)
def layout() -> dict:
    """Page furniture of text input: signature stamps, footer cues, letterhead words."""
    return _load("layout.toml")


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
    registers: tuple[str, ...] = ()  # registry prefixes of its diary numbers (`NKBY`)
    bodies: tuple[str, ...] = ()  # names of its nämnder that no other municipality uses


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
                registers=tuple(entry.get("registers", [])),
                bodies=tuple(entry.get("bodies", [])),
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
def name_words() -> dict:
    """Particles inside surnames, words that are no surnames, and role endings
    (data/swedish/names.toml)."""
    return _load("names.toml")


@lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    """Folded common Swedish surnames (Skatteverket's top 500, from Faker's sv_SE provider)."""
    from faker.providers.person.sv_SE import Provider

    return frozenset(fold(name) for name in Provider.last_names)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words that carry no topic (data/swedish/stopwords.txt): left out of the
    lexical index and of query terms."""
    path = SWEDISH_DATA / "stopwords.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def matter_rules() -> dict:
    """How protocols and agendas print their matters (data/swedish/matters.toml): the
    forms of a § and an agenda item, the headings inside a §, withheld-§ phrases."""
    return _load("matters.toml")


@lru_cache(maxsize=1)
def function_words() -> dict[str, tuple[str, ...]]:
    """data/swedish/function_words.toml: the words after a suspended compound's hyphen, the
    commonest Swedish and English function words, the words a finished line does not end on."""
    return {key: tuple(values) for key, values in _load("function_words.toml").items()}


def line_continuing_pattern() -> str:
    """A regular expression alternation of the words a finished line does not end on
    (data/swedish/function_words.toml `line_continuing`)."""
    return "|".join(re.escape(word) for word in function_words()["line_continuing"])


@lru_cache(maxsize=1)
def dnr_words() -> dict[str, tuple[str, ...]]:
    """data/swedish/dnr.toml: the words that introduce a diary number in running text, and
    those that label one only as a field or column label."""
    return {key: tuple(values) for key, values in _load("dnr.toml").items()}


def party_marks_pattern() -> str:
    """A regular expression alternation of the parties' abbreviations (`SD`, `S`, `KD`),
    longest first."""
    return "|".join(sorted({re.escape(a) for party in parties() for a in party["abbreviations"]}, key=len, reverse=True))


def suspended_links_pattern() -> str:
    """A regular expression alternation of the words that follow a suspended compound part."""
    return "|".join(re.escape(word) for word in function_words()["suspended_compound_links"])
