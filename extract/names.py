"""Person names: a first name followed by one or two capitalised surnames, a particle
allowed before a surname, apart or written together with it (`Malin de Verdier`, `Sarah
von Zweigbergk`, `Malin deVerdier`), as in
handläggare lines, signatures, attendance lists and motions (`Cecilia Gyllenberg
Bergfasth (MP)`). The first name comes from the first-name list; a first name the list
does not know makes a name only where the context vouches for it: a party after it
(`Heinrich Kaufmann (C)`), a role (`Kasra Hassirian, förvaltningsjurist`), a common
surname (`Stigert Pettersson`) or another name right before it on the line (signatures
side by side: `Göran Hjertstrand Kamilla Juhlin`). First names are compared folded, so OCR-damaged names
(`Asa Abom` for `Åsa Åbom`) are still found. A name does not run across a line break
(`Amanda Toresson` / `Paragrafer`) except in a motion list (`Cecilia Gyllenberg` /
`Bergfasth (MP)`). Word lists: data/swedish/names.toml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from swedish.data import first_names, last_names, name_words, party_marks_pattern, stopwords
from swedish.fold import fold

_WORD = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéèüA-ZÅÄÖ&]*(?:-[A-ZÅÄÖÉ][a-zåäöéèü&]+)*")
_SURNAME_SHAPE = re.compile(r"^[A-ZÅÄÖÉÜ][a-zåäöéèü&]+(?:-[A-ZÅÄÖÉ][a-zåäöéèü&]+)?$")
_ROLE = re.compile(r"^,[^,\d]+$")  # `, förvaltningschef` after a name
_COVERED = 0.8  # share of a line's letters that its names must cover


@lru_cache(maxsize=1)
def _not_surnames() -> frozenset[str]:
    return frozenset(fold(word) for word in name_words()["not_surnames"])


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(particle gap, party after a name, role after a name)."""
    data = name_words()
    particles = "|".join(data["particles"])
    abbreviations = party_marks_pattern()
    roles = "|".join(re.escape(ending) for ending in data["role_endings"])
    return (
        re.compile(rf" (?:{particles}) ?"),  # `de Verdier` or `deVerdier`
        re.compile(rf"\s*\((?:{abbreviations})\)"),
        re.compile(rf",\s*[a-zåäö-]*(?:{roles})\b"),
    )


def is_first_name(word: str) -> bool:
    parts = word.split("-")
    return all(fold(part) in first_names() for part in parts) and all(part[:1].isupper() for part in parts)


def _is_surname(word: str) -> bool:
    return bool(_SURNAME_SHAPE.match(word)) and fold(word) not in _not_surnames() and not is_first_name(word)


def _may_be_first_name(word: str) -> bool:
    """A capitalised word the first-name list does not know, shaped like a name."""
    folded = fold(word)
    return bool(_SURNAME_SHAPE.match(word)) and folded not in _not_surnames() and folded not in stopwords()


def _vouched(text: str, surname: str, end: int) -> bool:
    """Whether the context makes a name of an unknown first name and `surname` ending at `end`."""
    _, party, role = _patterns()
    return fold(surname) in last_names() or bool(party.match(text, end) or role.match(text, end))


def person_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every person name in `text`."""
    particle, party, _ = _patterns()
    words = list(_WORD.finditer(text))
    i, last_end = 0, -2
    while i < len(words):
        first = words[i]
        known = is_first_name(first.group())
        if not known and not _may_be_first_name(first.group()):
            i += 1
            continue
        end, j = first.end(), i + 1
        while j < len(words) and j - i <= 2:
            gap = text[end : words[j].start()]
            # a name continues on the next line only in a motion list: `Cecilia Gyllenberg\nBergfasth (MP)`
            continues = gap == " " or particle.fullmatch(gap) or (gap == "\n" and party.match(text, words[j].end()))
            if not continues or not _is_surname(words[j].group()):
                break
            if j == i + 2 and _starts_a_name(text, words, j):
                break  # `Göran Hjertstrand Kamilla Juhlin`: names side by side, not a double surname
            end, j = words[j].end(), j + 1
        if j == i + 1 and known and j < len(words) and _first_name_as_surname(text, end, words[j]):
            end, j = words[j].end(), j + 1  # `Marie-Louise Rolf (L)`
        if j > i + 1 and (known or _vouched(text, words[i + 1].group(), end) or text[last_end : first.start()] == " "):
            yield first.start(), end
            last_end, i = end, j
        else:
            i += 1


def _starts_a_name(text: str, words: list[re.Match], j: int) -> bool:
    """Whether word j, after a first name and a surname, begins another name: a word
    shaped like a surname follows it on the same line."""
    return j + 1 < len(words) and text[words[j].end() : words[j + 1].start()] == " " and bool(_SURNAME_SHAPE.match(words[j + 1].group()))


def _first_name_as_surname(text: str, end: int, word: re.Match) -> bool:
    """A first name that is the surname (`Rolf`): right after the first name, before a party."""
    _, party, _ = _patterns()
    return text[end : word.start()] == " " and is_first_name(word.group()) and bool(party.match(text, word.end()))


def looks_like_person(line: str) -> bool:
    """True if the whole line is one or more person names, each perhaps followed by its
    role or party (`Katarina Öryd, förvaltningschef Kasra Hassirian, förvaltningsjurist`)."""
    line = line.strip()
    spans = list(person_spans(line))
    covered = 0
    for n, (start, end) in enumerate(spans):
        following = line[end : spans[n + 1][0] if n + 1 < len(spans) else len(line)]
        covered += _letters(line[start:end]) + (_letters(following) if _ROLE.match(following) else 0)
    return bool(spans) and covered >= _letters(line) * _COVERED


def _letters(text: str) -> int:
    return len(re.sub(r"\s", "", text))
