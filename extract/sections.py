"""Split a normalized text into labelled sections by recognizing headings.

A heading is a short line standing alone that matches one of the patterns in
data/swedish/sections.toml (OCR-tolerant for å/ä/ö, so `Arende` and `Forslag till
beslut` are found), or such a heading ending in a colon with its text on the same line
(`Beredning: personalchef Kristina Wikblad`). A heading broken over two lines
(`Information eller förhandling enligt lag (1976:580) om` + `medbestämmande i
arbetslivet`) is joined. Text before the first heading is the `header` section; a
heading-like line that matches no pattern but introduces a paragraph starts an `other`
section; a block of names and titles closing the text of a section (the signatures)
becomes a `signatures` section, and so does the signature block of a cover letter that
opens the header (`Missiv till …` … `Jonas Ransgård  Torbjörn Rigemar`). Signers' names
over a line of their roles are no `other` heading; a name over a role is a signer even when the first-name list does not
know the name (`Felicien Ilunga` / `Livsmedelsinspektör`); lines drawn to sign on by hand
(`_______`) are the block's layout, not its text. A block above the signers is
their unit only when the block before it does not run on into it (`… Skällared 3.55 mfl
i` / blank / `Gottskär Kungsbacka kommun – Följebrev`: the tail of a list entry, not a
unit). A sub-heading right under a known heading (`Beskrivning av ärendet` /
`Elevhälsans organisation` / text) is a heading of its own: the known heading's section
is then empty and the `other` section follows.

Page furniture (extract/furniture.py: counters, running headers, a letterhead footer,
the digital-signature stamp) is never a heading and never section text: where it
interrupts a section, the section goes on after it as a second section with the same
label and heading, so that every section's text is one stretch of the document's text
(its offsets, pages and chunks stay exact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from document import Section
from extract.furniture import furniture_lines, is_counter
from extract.names import looks_like_person, person_spans
from swedish.data import bodies, body_endings, line_continuing_pattern, matter_rules, name_words, party_marks_pattern, section_rules, stopwords
from swedish.fold import fold, ocr_tolerant

MAX_HEADING_CHARS = 90
# A sentence that introduces the decisions (a colon heading) may be long: `Moderaterna, Liberalerna,
# Centerpartiet och Kristdemokraterna i Nämnden för Individ och Familjeomsorg föreslår följande:`
_MAX_COLON_HEADING_CHARS = 160
_INLINE_HEADING_CHARS = 40
_UNKNOWN_HEADING_MAX_WORDS = 7
_SENTENCE_END = re.compile(r"[.,;:!?]\s*$")
_STARTS_LIKE_HEADING = re.compile(r"^[A-ZÅÄÖÉ&6]")
# A heading line ending in one of these words (or `&`) continues on the next line.
_DANGLING = re.compile(rf"(?:\b(?:{line_continuing_pattern()})|\s&|(?<=[a-zåäö])-)$", re.IGNORECASE)  # `… Familje-` / `omsorg föreslår följande:`
_PROSE_CHARS = 50
_SIDE_BY_SIDE_WORDS = 8  # two or three signers' names on one line
_WRAPPED_HEADING_CHARS = 45
_NAME_WORD = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?$")
# Sections that may end with the signature block (before distribution and attachments).
_AFTER_SIGNATURES = {"distribution", "attachments", "beslutsunderlag", "signatures"}
# Sections that are lists: a signature block may follow their last entry without a gap.
_LISTS = {"distribution", "attachments", "beslutsunderlag"}
# A line of a Markdown table (`| VA-omvandling | 12,6% |`): a PDF's tables, converted,
# come at the end of their page, after the signatures when those close it.
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")


@dataclass
class _Line:
    text: str
    start: int


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(raw, offset))
        offset += len(raw) + 1
    return lines


def _heading_form(line: str) -> str:
    return " ".join(line.strip().lower().split()).rstrip(" :")


def heading_label(line: str, after_first: bool = True) -> str | None:
    """The canonical label of a heading line, or None if it is not a known heading.
    Weak patterns (`Yttrande`, `Konsekvenser`) count only `after_first` heading; colon
    patterns only on a line that ends in a colon. A report's chapter number before the
    heading (`1 Sammanfattning`, `2.3 Bakgrund`) is no part of it; a protocol's headings
    are never numbered so (`3 Beslut` is an agenda item)."""
    label = _heading_label(line, after_first)
    if label is None:
        numbered = _CHAPTER_NUMBER.match(line.strip())
        if numbered:
            label = _heading_label(line.strip()[numbered.end() :], after_first)
            label = None if label in _MEETING_LABELS else label
    return label


# A report's chapter number before a heading: `1 `, `2.1 `, `3.1.2. `.
_CHAPTER_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+(?=[A-ZÅÄÖ])")
# Labels of a protocol's parts, which no chapter number precedes.
_MEETING_LABELS = {"decision", "beredning", "yrkanden", "beslutsgang", "jav", "reservation", "proposals"}


def _heading_label(line: str, after_first: bool) -> str | None:
    stripped = line.strip()
    if not stripped or stripped.endswith(".") or stripped[0].islower():
        return None
    for pattern, labels, most_chars in (
        (*_heading_patterns(after_first), MAX_HEADING_CHARS),
        (*_heading_patterns(after_first, colon=True), _MAX_COLON_HEADING_CHARS),
    ):
        match = pattern.match(_heading_form(stripped)) if len(stripped) <= most_chars else None
        if match:
            return labels[match.lastindex]
        if not stripped.endswith(":"):
            return None
    return None


def inline_heading(line: str) -> tuple[str, int] | None:
    """(label, length of the heading part) of a line that starts with a known heading
    and a colon and goes on with its text: `Beredning: personalchef Kristina Wikblad`."""
    head, colon, rest = line.partition(":")
    if not colon or not rest.strip() or len(head.strip()) > _INLINE_HEADING_CHARS or head != head.lstrip():
        return None
    label = heading_label(head, after_first=False)  # `Beredning:` is a protocol's, not the weak samråd heading
    return (label, len(head) + 1) if label else None


@lru_cache(maxsize=4)
def _heading_patterns(after_first: bool, colon: bool = False) -> tuple[re.Pattern[str], dict[int, str]]:
    """The heading rules (without the weak ones before the first heading; the colon
    rules alone when `colon`) as one pattern with a group per rule, tried in order as the
    rules are, and the label of each group."""
    rules = [rule for rule in section_rules() if (after_first or not rule.weak) and rule.colon == colon]
    pattern = re.compile("|".join(f"({rule.pattern.pattern})" for rule in rules) or "(?!)", re.IGNORECASE)
    groups, labels = 1, {}
    for rule in rules:
        labels[groups] = rule.label
        groups += 1 + rule.pattern.groups
    return pattern, labels


def _next_text(lines: list[_Line], i: int, furniture: frozenset[int]) -> list[str]:
    """The non-blank lines of the paragraph after line i (skipping one blank line)."""
    j = i + 1
    while j < len(lines) and j in furniture:
        j += 1
    if j < len(lines) and not lines[j].text.strip():
        j += 1
    out = []
    while j < len(lines) and lines[j].text.strip() and j not in furniture:
        out.append(lines[j].text.strip())
        j += 1
    return out


def _is_unknown_heading(lines: list[_Line], i: int, furniture: frozenset[int]) -> bool:
    text = lines[i].text.strip()
    if not text or len(text) > 70 or _SENTENCE_END.search(text) or not _STARTS_LIKE_HEADING.match(text):
        return False
    if len(text.split()) > _UNKNOWN_HEADING_MAX_WORDS or re.search(r"\d|@|www\.|http|\(|\)|\|", text):
        return False
    if looks_like_person(text):
        return False
    if i > 0 and lines[i - 1].text.strip() and i - 1 not in furniture:
        return False
    paragraph = _next_text(lines, i, furniture)
    if paragraph and _name_shaped(text) and _is_role_line(paragraph[0]):
        return False  # signers' names over their roles (`Arian Faily   Ann-Helen Svensson` / `Förvaltningschef   …`)
    if _is_role_line(text) and _signer_above(lines, i, furniture):
        return False  # a signer's role a blank line under the name (`Per Gunnarsson` / `` / `Ledamot Kommunfullmäktige`)
    # a heading introduces prose that starts a sentence: a long line or a sentence, not a
    # list of short lines, and not the lower-case rest of a sentence the line began
    return (
        bool(paragraph)
        and not paragraph[0][:1].islower()
        and (len(paragraph[0]) >= _PROSE_CHARS or paragraph[0].endswith("."))
    )


def _signer_above(lines: list[_Line], i: int, furniture: frozenset[int]) -> bool:
    """Whether the paragraph above line i (over one blank line) is a line of names."""
    j = i - 1
    while j >= 0 and (j in furniture or not lines[j].text.strip()):
        j -= 1
    return j >= 0 and (j == 0 or not lines[j - 1].text.strip()) and _is_names_line(lines[j].text.strip())


def _heading_end(lines: list[_Line], i: int) -> int:
    """Index of the last line of the heading starting at line i (joined continuations)."""
    end = i
    while (
        _DANGLING.search(lines[end].text.strip())
        and end + 1 < len(lines)
        and lines[end + 1].text.strip()
        and len(lines[end + 1].text.strip()) < 60
        and not lines[end + 1].text.strip().endswith(".")
    ):
        end += 1
    return end


@dataclass
class _Heading:
    first: int  # first line of the heading
    last: int  # last line of the heading
    label: str
    inline: int = 0  # for an inline heading: where its text begins in the line


def _find_headings(lines: list[_Line], furniture: frozenset[int]) -> list[_Heading]:
    headings: list[_Heading] = []
    i = 0
    while i < len(lines):
        if i in furniture:
            i += 1
            continue
        after_first = bool(headings)
        label = heading_label(lines[i].text, after_first)
        if _DANGLING.search(lines[i].text.strip()) and (label is None or _heading_end(lines, i) > i):
            end = _heading_end(lines, i)
            joined = " ".join(line.text.strip() for line in lines[i : end + 1])
            joined_label = heading_label(joined, after_first)
            if joined_label is not None:
                headings.append(_Heading(i, end, joined_label))
                i = end + 1
                continue
        if label is None:
            inline = inline_heading(lines[i].text)
            if inline:
                headings.append(_Heading(i, i, inline[0], inline[1]))
                i += 1
                continue
        if label is None and headings and _is_unknown_heading(lines, i, furniture):
            label = "other"
        if label is not None:
            end = i + 1 if _wraps_on(lines, i) else i
            headings.append(_Heading(i, end, label))
            i = end
        i += 1
    return headings


def _wraps_on(lines: list[_Line], i: int) -> bool:
    """Whether a long heading goes on in a short lower-case line right below it
    (`Förslag till beslut i kommunstyrelsen under förutsättning av kommunfullmäktiges` /
    `beslut ovan`): an item or a paragraph would begin with a capital or `att`."""
    if len(lines[i].text.strip()) < _WRAPPED_HEADING_CHARS or i + 1 >= len(lines):
        return False
    below = lines[i + 1].text.strip()
    return bool(below) and below[0].islower() and len(below) < 40 and not below.endswith(".") and not below.startswith("att ")


def _runs(lines: list[_Line], first: int, end: int, breaks: frozenset[int]) -> list[tuple[int, int]]:
    """(first, end) line ranges of lines first..end-1 between the furniture `breaks`."""
    runs, start = [], first
    for i in range(first, end + 1):
        if i == end or i in breaks:
            if any(lines[k].text.strip() for k in range(start, i)):
                runs.append((start, i))
            start = i + 1
    return runs


def _piece(text: str, lines: list[_Line], first: int, end: int, skip: int = 0) -> tuple[str, int]:
    """(stripped text, offset of that text) of lines first..end-1, the first line from
    character `skip` on."""
    begin = lines[first].start + skip
    stop = lines[end - 1].start + len(lines[end - 1].text)
    raw = text[begin:stop]
    return raw.strip(), begin + len(raw) - len(raw.lstrip())


def _blocks(text: str) -> list[tuple[int, str]]:
    """(offset, block) for the blank-line separated blocks of `text`."""
    out, offset = [], 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            out.append((offset + len(part) - len(part.lstrip()), part.strip()))
        offset += len(part)
    return out


# A line drawn to sign on by hand (`___________   ___________`, Markdown-escaped `\\_\\_…`):
# layout of a signature block, not text.
_SIGNING_LINE = re.compile(r"(?:\\?_|\s)+")


def _short_lines(block: str) -> list[str] | None:
    lines = [line.strip() for line in block.split("\n") if line.strip() and not _SIGNING_LINE.fullmatch(line)]
    return lines if all((len(" ".join(line.split())) <= 70 or _politicians(line)) and not line.endswith(".") for line in lines) else None


def _politicians(line: str) -> bool:
    """Several politicians on one line: `Annika Hedman (C), Maria Gathendahl (M) … och Birgitta Gustafsson (L)`."""
    signers = re.split(r",\s+|\s+och\s+", line.strip())
    return len(signers) > 1 and all(_party_mark().search(signer) and looks_like_person(_party_mark().sub("", signer)) for signer in signers)


def _is_names_line(line: str) -> bool:
    """A line of names: a person's name, or names side by side of which the first-name
    list knows one (`Göran Hjertstrand Kamilla Juhlin`). A politician signs with a party
    mark after the name (`Stefan Jägnert (SD)`, `Stefan Jägnert / SD Kungsbacka`), also with
    the role before it, names side by side (`Marianne Wallengren (Ledamot M) Thure Sandén
    (Ordförande M)`), or with the role after a comma (`Niclas Nilsson, ordförande`); several
    politicians on one line (`Annika Hedman (C), Maria Gathendahl (M) och Birgitta Gustafsson (L)`)."""
    if _politicians(line):
        return True
    line = _party_mark().sub("", _role_and_party().sub("", line))
    name, comma, role = line.partition(",")
    if comma and _is_role_line(role.strip()) and looks_like_person(name):
        return True  # the role after a comma: `Niclas Nilsson, ordförande`
    words = line.split()
    named = all(_NAME_WORD.match(word) for word in words)
    paired = 2 <= len(words) <= 6 and len(words) % 2 == 0 and named
    if named and 4 < len(words) <= _SIDE_BY_SIDE_WORDS:
        # names side by side, one with two surnames (`Julia Tryggvadottir Tollesson Sandra Ohlsson`)
        spans = list(person_spans(line))
        if len(spans) >= 2 and spans[0][0] == 0:
            return True
    return looks_like_person(line) or (paired and next(person_spans(line), None) is not None)


def _is_signature_block(block: str, below: str = "") -> bool:
    """A block with a name, or with lines shaped like names over role lines (in the
    block or the next one): `Xandra Ylvén` / `Förvaltningschef`, whatever the first-name
    list knows."""
    lines = _short_lines(block)
    if not lines:
        return False
    if any(_is_names_line(line) for line in lines):
        return True
    roles = [line for line in lines + (_short_lines(below) or []) if _is_role_line(line)]
    first = _party_mark().sub("", lines[0])  # `Shabnam Zamani (S)` / `Ledamot Kommunfullmäktige`
    return bool(roles) and _name_shaped(first) and not _is_role_line(first)


@lru_cache(maxsize=1)
def _party_mark() -> re.Pattern[str]:
    """A party's abbreviation after a signer's name: `(SD)`, `/ SD Kungsbacka`, `, SD, ledamot
    nämnden Vård och Omsorg` (the role after it)."""
    marks = party_marks_pattern()
    return re.compile(rf"\s*(?:\((?:{marks})\)|/\s*(?:{marks})\b.*|,\s*(?:{marks})(?:,.*)?)$")


@lru_cache(maxsize=1)
def _role_and_party() -> re.Pattern[str]:
    """A politician's role and party in parentheses after the name, anywhere on a line of
    names: `(Ledamot M)`, `(Vice ordförande C)`."""
    return re.compile(rf"\s*\((?:[^()\d]{{1,40}}\s)?(?:{party_marks_pattern()})\)")


def _name_shaped(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(word) for word in words)


def _is_role_line(line: str) -> bool:
    """A line of roles: `Förvaltningschef   Nämndsekreterare`, `Enhetschef Ekonomi`."""
    words = line.split()
    return 0 < len(words) <= 8 and not re.search(r"\d", line) and fold(words[0]).endswith(_role_endings())


@lru_cache(maxsize=1)
def _role_endings() -> tuple[str, ...]:
    return tuple(fold(ending) for ending in name_words()["role_endings"])


def _is_recipient(block: str) -> bool:
    """A list entry that names a body or a role, not a signer's unit: `Nämnden för Miljö &
    Hälsoskydd`, `Kommunstyrelsen`, `Valsamordnare`, or a unit and its administration's
    field after a comma as the list writes them (`Myndighetsenheten, Vård & Omsorg`)."""
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    return any(
        _is_role_line(line) or _RECIPIENT_UNIT.match(line) or any(fold(word).endswith(body_endings()) for word in line.split())
        for line in lines
    )


_RECIPIENT_UNIT = re.compile(r"^[A-ZÅÄÖ][\wåäö-]+, [A-ZÅÄÖ][\wåäö]*(?: (?:&|och) [A-ZÅÄÖ][\wåäö]*)?$")


def _is_role_block(block: str) -> bool:
    """A unit or a role without a person: `Kulturförvaltningen`, `Förvaltningschef`."""
    lines = _short_lines(block)
    return bool(lines) and len(lines) <= 2 and not any(_is_names_line(line) or _SENTENCE_END.search(line) or re.search(r"\d", line) for line in lines)


def _signature_start(text: str, is_list: bool) -> int | None:
    """Offset in `text` where a closing signature block begins (0: all of it is one), if
    the text ends with one.

    From the end: role lines (`Förvaltningschef   Nämndsekreterare`), then a block with a
    person's name; above it, more names only where names alternate with units and roles
    (`Kommunledningsförvaltningen` / `Paul Håkansson` / `Omsorgskontoret` / `Linda
    Ljungqvist`) or a block holds both: a list of names right above the signatures
    (`Beslutet skickas till` … `Eva Holmberg` / `Sofia Jonsson`) is not signed by them.
    In a list (`is_list`), a body or a role right above the names is the list's last
    entry (`Nämnden för Miljö & Hälsoskydd`, `Valsamordnare`), unless a name stands above
    it too; an administration there is the signer's (`Äldreförvaltningen` / `Lena Roos`)."""
    blocks = _blocks(text)
    k = len(blocks)
    def below(k: int) -> str:
        return blocks[k][1] if k < len(blocks) else ""

    while k > 1 and _is_role_block(blocks[k - 1][1]) and not _is_signature_block(blocks[k - 1][1], below(k)):
        k -= 1
    if k == 0 or not _is_signature_block(blocks[k - 1][1], below(k)):
        return None
    k -= 1
    while k > 1:
        block, below = blocks[k - 1][1], blocks[k][1]
        has_role = any("," in line or not _is_names_line(line) for line in (_short_lines(block) or []))
        alternates = not (is_list and _is_recipient(block)) or (k > 2 and _is_signature_block(blocks[k - 2][1], block))
        if _is_role_block(block) and _is_signature_block(below) and alternates and not (k > 1 and _goes_on(blocks[k - 2][1])):
            k -= 1
        elif _is_signature_block(block) and (
            has_role or not _is_signature_block(below) or _opens_with_role(below) or (_party_signed(block) and _party_signed(below))
        ):
            k -= 1  # a name whose role opens the block below (`Per Gunnarsson` / `` / `Ledamot Kommunfullmäktige`) signs
        else:
            break
    offset, block = blocks[k]
    if is_list:
        # a list entry glued to the names: `Dataskyddsombud` / `Katarina Öryd   Tina Carlson`
        lines = block.split("\n")
        first_person = next(n for n, line in enumerate(lines) if _is_names_line(line.strip()) or n == len(lines) - 1 or _signer_over_role(lines, n))
        offset += sum(len(line) + 1 for line in lines[:first_person])
    return offset


def _party_signed(block: str) -> bool:
    """Whether every line of a block is a name with a party mark (`Renée Sylvan (S)`):
    politicians signing one under the other, not a list of recipients."""
    lines = _short_lines(block)
    return bool(lines) and all(_party_mark().search(line) and _is_names_line(line) for line in lines)


def _opens_with_role(block: str) -> bool:
    """Whether a block's first line is a role line (`Ledamot Kommunfullmäktige`): the role of
    the name above it, not a further signer."""
    lines = _short_lines(block)
    return bool(lines) and _is_role_line(lines[0])


def _goes_on(block: str) -> bool:
    """Whether a block's last line runs on into the next block (it ends in a comma, a dash
    or a function word: `Granskningsutskick 2 - Detaljplan … mfl i` / blank / `Gottskär
    Kungsbacka kommun – Följebrev`): the next block is its tail, not a signer's unit."""
    last = block.rstrip().split("\n")[-1].split()
    return bool(last) and (last[-1][-1] in ",;:&–-" or fold(last[-1]) in stopwords())


def _signer_over_role(lines: list[str], n: int) -> bool:
    """A name-shaped line over a role line (`Felicien Ilunga` / `Livsmedelsinspektör`):
    a signer whose first name the first-name list does not know."""
    return n + 1 < len(lines) and _name_shaped(lines[n].strip()) and _is_role_line(lines[n + 1].strip())


def _only_signers(section: Section) -> bool:
    """A list left empty whose only lines are signers' names over their roles
    (`Beslutet skickas till` / `Stigert Pettersson Frida Byrsten` / `Förvaltningschef …`)."""
    lines = [line.strip() for line in section.text.split("\n") if line.strip()]
    return section.label in _LISTS and len(lines) == 2 and _is_names_line(lines[0]) and _is_role_line(lines[1])


def _split_signatures(sections: list[Section], text: str) -> list[Section]:
    """Move the signature block that closes the last body section or one of the sections
    after it (distribution, attachments …), or a text without headings, into its own
    section."""
    result = list(sections)
    tables = {n for n, s in enumerate(result) if _is_table(s.text)}
    body = [n for n, s in enumerate(result) if s.label not in _AFTER_SIGNATURES and s.label != "header" and n not in tables]
    for n in range(len(result) - 1, (body[-1] if body else 0) - 1, -1):
        section = result[n]
        if section.label == "signatures" or not section.text:
            continue
        trailer = trailer_pattern().search(section.text)  # the e-signing service's pages after the signatures
        offset = _signature_start(section.text[: trailer.start()] if trailer else section.text, section.label in _LISTS)
        continued = not text.startswith(section.heading, section.start)  # the rest of a section after furniture
        if offset is None or (offset == 0 and not continued and not _only_signers(section)):
            continue
        text_start = text.index(section.text, section.start)
        if offset == 0 and not continued:  # a list left empty above the signers: the list stays, empty
            result[n] = Section(label=section.label, heading=section.heading, text="", start=section.start)
            result.insert(n + 1, Section(label="signatures", heading="", text=section.text, start=text_start))
            break
        if offset == 0:  # signatures alone on the last page
            result[n] = Section(label="signatures", heading="", text=section.text, start=text_start)
            break
        signatures = Section(label="signatures", heading="", text=section.text[offset:].strip(), start=text_start + offset)
        result[n] = Section(label=section.label, heading=section.heading, text=section.text[:offset].strip(), start=section.start)
        result.insert(n + 1, signatures)
        break
    return result


@lru_cache(maxsize=1)
def trailer_pattern() -> re.Pattern[str]:
    """A line that begins what follows a text and its signatures: the appeal instructions and the
    signing service's pages (`Undertecknat av följande personer`; data/swedish/matters.toml);
    extract/matter_lines.py ends a protocol's last § there."""
    phrases = "|".join(ocr_tolerant(phrase) for phrase in matter_rules()["headings"]["trailer"])
    return re.compile(rf"(?im)^[ \t]*(?:{phrases})\b")


def _split_cover_letter(sections: list[Section]) -> list[Section]:
    """A header that opens with a cover letter (`Missiv till kommunstyrelsen`) signed
    before the report it introduces begins: the letter's signature block is a
    `signatures` section between the letter and the rest of the header (the report's
    title), as a letter's signatures are at the end of a text."""
    if not sections or sections[0].label != "header":
        return sections
    header = sections[0]
    blocks = _blocks(header.text)
    if not any(fold(block).startswith(cover_letter_words()) for _, block in blocks[:3]):
        return sections
    for k in range(1, len(blocks) - 1):
        end = blocks[k][0] + len(blocks[k][1])
        offset = _signature_start(header.text[:end], False)
        if offset:
            rest = blocks[k + 1][0]
            return [
                Section(label="header", heading="", text=header.text[:offset].strip(), start=header.start),
                Section(label="signatures", heading="", text=header.text[offset:end].strip(), start=header.start + offset),
                Section(label="header", heading="", text=header.text[rest:].strip(), start=header.start + rest),
            ] + sections[1:]
    return sections


@lru_cache(maxsize=1)
def cover_letter_words() -> tuple[str, ...]:
    """The words a cover letter's heading begins with (`Missiv`, `Följebrev`), folded."""
    return tuple(fold(word) for word in bodies()["cover_letters"])


def _is_table(text: str) -> bool:
    """A section's text that is only a Markdown table."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_TABLE_LINE.match(line) for line in lines)


def _breaks(lines: list[_Line], furniture: frozenset[int]) -> frozenset[int]:
    """The furniture lines that interrupt a section: all but a bare page break and a lone
    page counter between text lines, which a paragraph goes on after (`2 (5)` that ingest
    left inside a PDF page)."""

    def nearest(i: int, step: int) -> int | None:
        k = i + step
        while 0 <= k < len(lines) and (not lines[k].text.strip() or lines[k].text == "\f"):
            k += step
        return k if 0 <= k < len(lines) else None

    return frozenset(
        i for i in furniture
        if lines[i].text != "\f" and not (is_counter(lines[i].text) and nearest(i, -1) not in furniture and nearest(i, 1) not in furniture)
    )


def split_sections(text: str) -> list[Section]:
    lines = _lines(text)
    furniture = furniture_lines(text)
    breaks = _breaks(lines, furniture)
    headings = _find_headings(lines, furniture)
    sections: list[Section] = []
    header_end = headings[0].first if headings else len(lines)
    for first, end in _runs(lines, 0, header_end, breaks):
        piece, start = _piece(text, lines, first, end)
        sections.append(Section(label="header", heading="", text=piece, start=start))
    for n, heading in enumerate(headings):
        end = headings[n + 1].first if n + 1 < len(headings) else len(lines)
        title = " ".join(line.text.strip() for line in lines[heading.first : heading.last + 1])
        if heading.inline:
            title = lines[heading.first].text[: heading.inline].strip()
            runs = _runs(lines, heading.first, end, breaks)
            skip = {heading.first: heading.inline}
        else:
            runs = _runs(lines, heading.last + 1, end, breaks) or [(heading.last + 1, heading.last + 1)]
            skip = {}
        for number, (first, last) in enumerate(runs):
            piece = _piece(text, lines, first, last, skip.get(first, 0))[0] if last > first else ""
            start = lines[heading.first].start if number == 0 else _piece(text, lines, first, last)[1]
            sections.append(Section(label=heading.label, heading=title, text=piece, start=start))
    return _split_signatures(_split_cover_letter(sections), text)
