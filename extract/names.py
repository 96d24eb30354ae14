"""Person names: a Swedish first name (from the first-name list) followed by one or two
capitalised surnames, as in handläggare lines, signatures and motions (`Cecilia
Gyllenberg Bergfasth (MP)`). First names are compared folded, so OCR-damaged names
(`Asa Abom` for `Åsa Åbom`) are still found."""

from __future__ import annotations

import re
from collections.abc import Iterator

from swedish.fold import fold
from swedish.data import first_names

_WORD = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéèüA-ZÅÄÖ&]*(?:-[A-ZÅÄÖÉ][a-zåäöéèü&]+)*")
# Capitalised words that follow a name in headers and signatures but are not surnames.
_NOT_SURNAMES = frozenset(
    fold(word)
    for word in (
        "Dnr", "Datum", "Telefon", "Tel", "Handläggare", "Diarienummer", "Ärendenummer", "Sida", "Till", "Från", "Och",
        "Kommun", "Stad", "Direktör", "Chef", "Avdelningschef", "Förvaltningschef", "Enhetschef", "Kommundirektör",
        "Stadsdelsdirektör", "Utredare", "Strateg", "Handläggare", "Sekreterare", "Telefon", "Mobil", "E-post", "Vår", "Er",
    )
)
_SURNAME_SHAPE = re.compile(r"^[A-ZÅÄÖÉÜ][a-zåäöéèü&]+(?:-[A-ZÅÄÖÉ][a-zåäöéèü&]+)?$")
_MOTION_PARTY = re.compile(r"\s*\((?:S|M|SD|C|V|KD|L|MP|FI)\)")


def is_first_name(word: str) -> bool:
    parts = word.split("-")
    return all(fold(part) in first_names() for part in parts) and all(part[:1].isupper() for part in parts)


def _is_surname(word: str) -> bool:
    return bool(_SURNAME_SHAPE.match(word)) and fold(word) not in _NOT_SURNAMES and not is_first_name(word)


def person_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every person name in `text`."""
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        first = words[i]
        if not is_first_name(first.group()):
            i += 1
            continue
        end, j = first.end(), i + 1
        while j < len(words) and j - i <= 2:
            gap = text[end : words[j].start()]
            # a name continues on the next line only in a motion list: `Cecilia Gyllenberg\nBergfasth (MP)`
            continues = gap == " " or (gap == "\n" and _MOTION_PARTY.match(text, words[j].end()))
            if not continues or not _is_surname(words[j].group()):
                break
            end, j = words[j].end(), j + 1
        if j > i + 1:
            yield first.start(), end
            i = j
        else:
            i += 1


def looks_like_person(line: str) -> bool:
    """True if the whole line (minus a trailing `, title`) is one or more person names."""
    line = line.split(",")[0].strip() if line.count(",") == 1 else line.strip()
    spans = list(person_spans(line))
    covered = sum(end - start for start, end in spans)
    return bool(spans) and covered >= len(re.sub(r"\s", "", line)) * 0.8
