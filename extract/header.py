"""The header as the field rules read it (extract/title.py, body.py, diary_numbers.py,
municipality.py, metadata.py): its blocks, where its prose begins, its label rows and
label values, and the endings of organisations' names.

The header (the text before the first heading, extract/sections.py) holds the letterhead,
the labels with their values and the subject line, in any of the usual layouts: label and
value on one line (`Datum: 2023-11-08`), in two columns (`Dnr   MN-2024-3456`), or the
value on a line after its label (`Diarienummer` / `KS-2024-00605`). Rules:
- the header's blocks are separated by blank lines, but a block that starts in lower case
  goes on the one before (the PDF layer's blank line inside a title), and a block whose
  lines begin a paragraph of prose after a title's lines is two (`header_blocks`), unless
  its first line is as long as the paragraph's own (its first line, wrapped at the width);
- a paragraph of prose is a block in which a sentence ends, or one long sentence
  (`is_prose`); a header without headings may hold the whole text, so the letterhead and
  subject line are the header up to its first paragraph of prose (`before_prose`);
- a metadata table's row of column headings (`Beslutad av:  Gäller för:  Diarienummer:`,
  the values on the line below) holds two or more labels and nothing else (`label_row`);
- a label's value after a name on its line (`Dnr …`, `Datum`, a date, `Tel`) is no part
  of the name (`strip_label_values`);
- a template's field left unfilled (`«Diarienr»`, `"[Skriv nämndens namn]"`, `[Klicka och
  skriv beslutsinstans, datum och paragraf]`) is no value (`is_template_field`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from swedish.data import bodies, body_endings
from swedish.dnr import DNR_BARE
from swedish.fold import fold, ocr_tolerant

_LABEL_VALUES = re.compile(r"\s+(?:" + ocr_tolerant("dnr") + r"|datum|\d{4}-\d\d-\d\d|tel)\b", re.IGNORECASE)
_ROW_LABEL = re.compile(r"(?:^|(?<=\s))[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,3}:(?=\s|$)")  # `Gäller för:`
RUNS_ON = re.compile(r"(?:\b(?:i|om|av|för|och|till|med|samt|på|vid|inom|från|avseende|gällande)|[–&,-])$", re.IGNORECASE)
_FULL_WIDTH_SHARE = 0.9  # of the paragraph's median line: a first line this long wrapped with them
SENTENCE_INSIDE = re.compile(r"[a-zåäö]{3}[.!?]\s+[A-ZÅÄÖ]")
_ENDING_DNR = re.compile(rf"(?:{DNR_BARE.pattern})\.$")
_TEMPLATE_FIELD = re.compile(r'^(?:«[^»]*»|"?\[[^\]]*\]"?)$')


def label_row(line: str) -> list[str]:
    """The labels of a metadata table's row of column headings (`Beslutad av:  Gäller för:
    Diarienummer:`, the values on the line below): two or more labels and nothing else."""
    labels = _ROW_LABEL.findall(line)
    return labels if len(labels) >= 2 and not _ROW_LABEL.sub("", line).strip() else []


@lru_cache(maxsize=1)
def organisation_words() -> tuple[str, ...]:
    """Endings of the names of bodies and of the administrations serving them."""
    return body_endings() + tuple(fold(s) for s in bodies()["administration_suffixes"])


def is_template_field(value: str) -> bool:
    """A template's field left unfilled: `«Diarienr»`, `"[Klicka och skriv …]"`."""
    return bool(_TEMPLATE_FIELD.match(value.strip()))


def strip_label_values(line: str) -> str:
    """`John Fristedt, Irene Johansson Dnr KS 2021-257` → `John Fristedt, Irene Johansson`."""
    return _LABEL_VALUES.split(line)[0].strip()


def is_prose(block: str) -> bool:
    """A paragraph, not a subject line: a sentence ends inside it, or it is one long one. A
    subject line that ends in the number of the matter it answers (`… byggd miljö (SOU
    2025:5), KS-2025-00153.`) ends no sentence."""
    one_line = " ".join(block.split())
    inside = bool(SENTENCE_INSIDE.search(one_line))
    ends = one_line.endswith(".") and (inside or not _ENDING_DNR.search(one_line))
    return (ends and (len(one_line) > 100 or inside)) or (inside and len(one_line) > 100)


def header_blocks(header: str) -> list[str]:
    """The header's blank-line separated blocks, as a title reads them: a block that
    starts in lower case goes on the one before (a PDF layer's blank line inside a title:
    `… interna och externa` / blank / `priser och utmärkelser …`), and a block whose
    lines begin a paragraph of prose after a title's lines is two (`Yttrande över … energi,`
    / `KN2024/02249` / `Byggnadsnämnden ser positivt på …`)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", header):
        block = block.strip()
        if not block:
            continue
        if blocks and block[:1].islower() and not blocks[-1].endswith("."):
            blocks[-1] += "\n" + block
        else:
            blocks.append(block)
    return [part for block in blocks for part in _title_then_prose(block)]


def _title_then_prose(block: str) -> list[str]:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    for i in range(1, len(lines)):
        head, rest = "\n".join(lines[:i]), "\n".join(lines[i:])
        previous = lines[i - 1]
        if lines[i][:1].isupper() and not RUNS_ON.search(previous) and not previous.endswith(".") and is_prose(rest) and not is_prose(head):
            if i == 1 and _full_line(previous, lines[1:]):
                break  # the paragraph's own first line (`… har avslutat granskningen av Göteborgs` / `Stads arbete …`)
            return [head, rest]
    return [block]


def _full_line(line: str, paragraph: list[str]) -> bool:
    """A line as long as the paragraph's own lines (their median): it wrapped at the text's width."""
    widths = sorted(len(other) for other in paragraph)
    return len(widths) >= 2 and len(line) >= _FULL_WIDTH_SHARE * widths[len(widths) // 2]


def before_prose(header: str) -> str:
    """The header up to its first paragraph of prose: the letterhead and subject line."""
    for block in header_blocks(header):
        if is_prose(block):
            first_line = block.split("\n")[0]
            return header[: header.find(first_line)] if first_line in header else header
    return header
