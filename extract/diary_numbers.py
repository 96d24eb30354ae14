"""The document's own diary numbers (`find_dnr`), as printed. What a diary number looks
like (`KS 2023/553`, `VO- 2026-00017`, `NKBY/497/12.03.01/2022` …) and the key numbers are
compared under are swedish/dnr.py's; this module says which of them are the document's.

Rules:
- the header's numbers are its letterhead's, before its first paragraph of prose: a
  report's footnotes cite other cases, and a number in running text refers to another
  case;
- there a number counts after `Dnr` / `Diarienummer` (on its line or below it, or under
  such a column heading of a metadata table), printed bare with a registry prefix of a few
  capitals (`SBN 475/2022`), or Finland-Swedish; one number printed twice is given once;
- so do the numbers that a list in the text introduces line by line (`Dnr IF-2026-00025.
  Placeringsavtal …`), each with another within a few lines or followed by its entry's
  description (`Dnr IF-2025-00239. Inkomna klagomål …`): a lone `Ärendenummer …` is an
  attached extract's or letter's (`listed_dnr`); and those that begin the lines of a text
  table under its `Diarienr.` column heading;
- and those of a Markdown table's column of diary numbers, whatever its heading
  (`Tillhör ärende`);
- in OCR-damaged text a registry prefix read without its Ä/Å/Ö (`ALN-2023-01234`) gets it
  back from the header's body name (`restore_prefix_diacritic`);
- the recipient's number (`Ert diarienummer`, on its line or in its place under a stack of
  labels) is not the document's;
- a line that is only a diary number (`is_dnr_line`) is never a title.
"""

from __future__ import annotations

import re

from extract.header import before_prose, label_row, organisation_words
from swedish.dates import ISO_DATE
from swedish.dnr import DNR, DNR_BARE, DNR_FINNISH, DNR_INTRO, DNR_LABEL_WORDS, DNR_NUMBER, dnr_in, dnr_key, printed_dnr
from swedish.fold import fold

_DNR_LABEL = re.compile(r"^" + DNR_LABEL_WORDS + r"\.?:?$", re.IGNORECASE)
_RECIPIENT_LABEL = re.compile(r"^(?:ert|er)\s+(?:diarienummer|diarienr|dnr|beteckning|referens)\b\.?:?\s*(?P<value>.*)$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(DNR_NUMBER)
_LIST_GAP_LINES = 12  # the most lines between two entries of a list of diary numbers
_LISTED_DNR = re.compile(r"(?m)^[ \t]*(?=[A-ZÅÄÖ])" + DNR.pattern)  # `Dnr IF-2026-00025. …`, not a sentence's `dnr` wrapped to a line start
# in such a list, a line led by a registry's number without `Dnr` (`AVTAL-2025-00385. Handledning …`)
_ENTRY_TEXT = re.compile(r"\.[ \t]+[A-ZÅÄÖ][a-zåäö]+ ")  # the entry's description after its number: `Dnr IF-2025-00239. Inkomna klagomål …`
_LISTED_BARE = re.compile(r"(?m)^[ \t]*" + DNR_BARE.pattern + r"\.(?=[ \t]|$)")
# a text table's heading row that starts with the diary-number column (`Diarienr.  Beslut enligt …`),
# and the numbers that begin the lines under it
_DNR_COLUMN = re.compile(r"(?m)^[ \t]*" + DNR_INTRO + r"\.?[ \t]+[A-ZÅÄÖ][a-zåäö]{2}")  # a heading word, not a registry prefix (`Dnr KS 2024/12`)
_LINE_START_BARE = re.compile(r"(?m)^[ \t]*" + DNR_BARE.pattern + r"(?=[ \t]|$)")
_REGISTRY_PREFIX = 4  # letters at most in a registry prefix printed without `Dnr`: `KS`, `SBN`, `KFT` (not `AVTAL 5/2022`)


def find_dnr(header: str, text: str = "") -> list[str]:
    """The document's own diary numbers, as printed: in the header's letterhead (before
    its first paragraph of prose: the numbers of a report's footnotes are other cases'),
    introduced by Dnr/Diarienummer (on its line or below it), printed bare with a
    registry prefix (`SBN 475/2022`) or Finland-Swedish; then those that `text` lists
    (see `listed_dnr`). One number printed twice (`KFT-2025-00054`, `KFT 2025-00054`) is
    given once."""
    header = before_prose(header)
    found = [printed_dnr(match.group("dnr")) for match in DNR.finditer(header)]
    lines = [line.strip() for line in header.split("\n")]
    for i, line in enumerate(lines):
        if _DNR_LABEL.match(line):
            value = next((later for later in lines[i + 1 : i + 4] if later), "")
            found += dnr_in(value.split("  ")[0])
    for match in DNR_BARE.finditer(header):
        prefix = re.split(r"[ \-‐‑–—]", match.group("dnr"))[0]
        number = match.group("dnr")[len(prefix) + 1 :]
        if ISO_DATE.fullmatch(number):
            continue  # a name's capitals before a date: `E.ON  2024-10-02` under `Till  Datum`
        if sum(ch.isupper() for ch in prefix) >= 2 and len(prefix) <= _REGISTRY_PREFIX:
            found.append(printed_dnr(match.group("dnr")))
    found += [printed_dnr(match.group("dnr")) for match in DNR_FINNISH.finditer(header)]
    found += _dnr_under_label_row(lines)
    found += listed_dnr(text)
    theirs = _recipients_numbers(lines)
    unique: dict[str, str] = {}
    for number in found:
        if not ISO_DATE.fullmatch(number) and dnr_key(number) not in theirs:
            unique.setdefault(dnr_key(number), number)
    return list(unique.values())


def _recipients_numbers(lines: list[str]) -> set[str]:
    """Keys of the numbers the header gives under `Ert diarienummer` (the recipient's case,
    not the document's): on its line, or, where labels stand one under the other over their
    values in the same order (`Diarienummer` / `Ert diarienummer` / `MH-2026-04470` / `BN
    2026-00198`), the value in its place."""
    theirs: list[str] = []
    for i, line in enumerate(lines):
        match = _RECIPIENT_LABEL.match(line)
        if not match:
            continue
        value = match.group("value")
        if value and _DNR_LABEL.match(value) and not _numbers(value):
            # a row of labels over a column each (`Ert diarienummer   Diarienummer` / `BN 2026–00158` /
            # `MH-2026-04033`): the first value under it is the recipient's
            following = next((line for line in lines[i + 1 : i + 3] if line.strip()), "")
            theirs += _numbers(following)
            continue
        if value:
            theirs += _numbers(value)
            continue
        first, last = i, i
        while first > 0 and _is_label(lines[first - 1]):
            first -= 1
        while last + 1 < len(lines) and _is_label(lines[last + 1]):
            last += 1
        values = [value for value in lines[last + 1 : last + 4 + (last - first)] if value][: last - first + 1]
        if i - first < len(values):
            theirs += _numbers(values[i - first])
    return {dnr_key(number) for number in theirs}


def _is_label(line: str) -> bool:
    match = _RECIPIENT_LABEL.match(line)
    return bool(_DNR_LABEL.match(line) or (match and not match.group("value")))


def _numbers(value: str) -> list[str]:
    """The diary numbers of one value, whatever their form (`Dnr: KS 2019/0299`, `BN 2026-00198`)."""
    return [m.group("dnr") for m in DNR.finditer(value)] + [m.group("dnr") for m in DNR_BARE.finditer(value)] + dnr_in(value)


def _dnr_under_label_row(lines: list[str]) -> list[str]:
    """The number under a `Diarienummer:` column heading of a metadata table whose
    columns a text layer has squeezed (`Beslutad av: Gäller för: Diarienummer:` /
    `Stadsdirektör Stadsledningskontoret 0451/23`): the value line's one token that is
    a diary number's number and nothing else."""
    found = []
    for i, line in enumerate(lines):
        if any(_DNR_LABEL.match(label.strip()) for label in label_row(line)):
            for later in lines[i + 1 : i + 4]:
                numbers = [token for token in later.split() if _NUMBER_ONLY.fullmatch(token) and not ISO_DATE.fullmatch(token)]
                if numbers:
                    found += numbers[:1]
                    break
    return found


def listed_dnr(text: str) -> list[str]:
    """Diary numbers that `text` lists: at the start of a line after `Dnr`, beside another such line (`Dnr
    IF-2026-00025. Placeringsavtal …`) or followed by the entry's description even alone (a
    report of one complaint: `Dnr IF-2025-00239. Inkomna klagomål …`) and, in such a list, without it (`AVTAL-2025-00385.
    Handledning …`), or under a text table's heading row that begins with the column of
    diary numbers (`Diarienr.   Beslut enligt …` / `AVTAL-2026-00161   2.1.10 …`), or in a
    Markdown table's column of diary numbers:
    the one headed so (`| Diarie |` … `| KFT 2025-<br>00141 |`), or one whose every
    filled cell is a diary number and nothing else, whatever its heading (`Tillhör
    ärende`) and also where a table goes on on the next page without its heading row."""
    listed = list(_LISTED_DNR.finditer(text))
    in_list = _in_a_list(listed, text)
    found = [printed_dnr(match.group("dnr")) for match in listed if match in in_list or _ENTRY_TEXT.match(text, match.end())]
    if found:
        found += [printed_dnr(match.group("dnr")) for match in _LISTED_BARE.finditer(text)
                  if sum(ch.isupper() for ch in match.group("dnr")[:8]) >= 2]  # a registry's capitals, not a word
    heading = _DNR_COLUMN.search(text)
    if heading:  # `Diarienr.   Beslut enligt …` over `AVTAL-2026-00161   2.1.10 …`: a text table's column
        column = [match for match in _LINE_START_BARE.finditer(text, heading.end()) if sum(ch.isupper() for ch in match.group("dnr")[:8]) >= 2]
        found += [printed_dnr(match.group("dnr")) for match in _in_a_list(column, text)]
    for table in _tables(text):
        headed = next((n for n, cell in enumerate(table[0]) if _DNR_LABEL.match(fold(cell))), None)
        heading_row = len(table) > 1 and all(set(cell) <= set("-: ") for cell in table[1])
        for column in range(max(len(row) for row in table)):
            cells = [row[column] for row in table if column < len(row) and not set(row[column]) <= set("-: ")]
            if heading_row and cells and not _only_dnr(cells[0]):
                cells = cells[1:]  # the column's heading (`Tillhör ärende`)
            if column != headed and not (cells and all(_only_dnr(cell) for cell in cells)):
                continue
            for cell in cells:
                found += dnr_in(cell)
    return found


def _in_a_list(matches: list[re.Match], text: str) -> list[re.Match]:
    """The line-start numbers that stand in a list: each with another within
    `_LIST_GAP_LINES` lines. A lone `Ärendenummer FFS-2026-00773` far from any other is
    the number of an attached extract or letter, not an entry of a list the document makes."""
    lines = [text.count("\n", 0, match.start()) for match in matches]
    return [match for n, match in enumerate(matches)
            if any(abs(lines[n] - other) <= _LIST_GAP_LINES for m, other in enumerate(lines) if m != n)]


def _tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables of `text`, each a list of rows of cells (`<br>` a line break)."""
    tables: list[list[list[str]]] = []
    in_table = False
    for line in text.split("\n"):
        if not line.lstrip().startswith("|"):
            in_table = False
            continue
        cells = [re.sub(r"<br\s*/?>", "\n", cell).strip() for cell in line.strip().strip("|").split("|")]
        if not in_table:
            tables.append([])
        tables[-1].append(cells)
        in_table = True
    return tables


def _only_dnr(cell: str) -> bool:
    """A table cell that is one diary number (`SE-2025-00266`, `KFT 2025-\n00141`), perhaps
    after its label (`Diarienummer VO-2024-00363`)."""
    numbers = dnr_in(cell)
    value = _CELL_LABEL.sub("", " ".join(cell.split()))
    return len(numbers) == 1 and len(numbers[0]) >= len(value) - 1


_CELL_LABEL = re.compile(r"^" + DNR_LABEL_WORDS + r"\.?:?\s+", re.IGNORECASE)


_PREFIX = re.compile(r"^[A-Za-z]{2,6}(?=[ -])")


def restore_prefix_diacritic(dnr: str, header: str) -> str:
    """`ALN-2023-01234` in a document of `Äldrenämnden` → `ÄLN-2023-01234`.

    A registry prefix abbreviates the body or administration that keeps the register,
    and English OCR reads its leading Ä/Å/Ö as A/O. Restoration leaves such short
    capitals alone (they cannot be told from other abbreviations by themselves), but the
    header's own, restored, body name tells: its first letter folds to the prefix's and
    the prefix's letters appear in it in order. Call this only for OCR-damaged text."""
    prefix = _PREFIX.match(dnr)
    if not prefix or prefix.group()[0] not in "AO":
        return dnr
    letters = prefix.group().lower()
    for word in re.findall(r"\b[ÅÄÖ][a-zåäö]+", header):
        folded = fold(word)
        if folded.endswith(organisation_words()) and folded[0] == letters[0] and _in_order(letters, folded):
            return word[0] + dnr[1:]
    return dnr


def _in_order(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(letter in rest for letter in letters)


# The register's code before a diary number that begins with it: `SE SE-2025-00027`.
_REGISTER_CODE = re.compile(r"^(?P<code>[A-ZÅÄÖ]{1,6})\s+(?=(?P=code)\s*[-–])")


def is_dnr_line(line: str) -> bool:
    """A line that is a diary number: `GA-2026-00001`, `2024-00181`, also after the
    register's code (`SE SE-2025-00027`: the Diarienummer field printing the series)."""
    line = _REGISTER_CODE.sub("", line.strip())
    return len("".join(dnr_in(line))) >= len(line.strip()) - 1
