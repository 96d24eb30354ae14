"""Structure the proposed decisions: one `Proposal` per deciding body with its items.

The body comes from the heading (`Förslag till kommunstyrelsens beslut` →
`kommunstyrelsen`, `Förslag till beslut i nämnden för Kultur & Fritid` → `Nämnden för
Kultur & Fritid`), else from a line inside the section that opens a list of decisions
(`Kulturnämnden beslutar`, `Äldrenämnden föreslås besluta`, `I utbildningsnämnden:`),
else from the subject of the first decision (`Nämnden för Teknik godkänner …`), else it
is the body the document is addressed to.

Items are numbered points (`1.`, OCR'd `1,`, a Markdown-escaped `1\\.`; `1` without its
full stop or `a)` only when they count 1, 2 … or a, b …), `att`-clauses (`att`, `Att`)
or bullets (`-`, `•`, an escaped `\\-`) when the list stands alone, else the sentences
that begin a line: a decision ends with a full stop at
the end of a line, and the next line starting with a capital begins the next one, with
or without a blank line between them (a blank line inside a sentence is the PDF
layer's, not a new decision); a letter's place-and-date line (`Göteborg den 9 april
2024`) ends them. Bullets and lines after a colon (`… yttrande över
förslaget att:` / `− se över …`) belong to the sentence they end. The number is dropped,
an `att` is kept, and a trailing `, samt` is removed. On the 67 TUNE documents with
proposals all item counts are right (docs/eval-real.md), the 30 of the second batch
(lists after a colon, a proposing sentence as heading) and the 9 of the third (escaped
dash bullets, a blank line inside a decision) included.

When one body proposes to another (`Kommunstyrelsen föreslår kommunfullmäktige besluta`,
`… föreslår att fullmäktige beslutar:`), the body proposed to decides; an intro line
that names only a generic `Nämnden` leaves the body to the document. A decision that
proposes without spelling out the other body's decision (`Nämnden föreslår att
kommunfullmäktige anser att motionen är besvarad`, a remissvar) is its subject's own, and
so is a heading that names the proposing body (`Nämnden för Individ och Familjeomsorgs
förslag till Kommunstyrelsen`).

What the sixth TUNE batch taught (Kungsbacka nämnder of 2024 and 2026): a body's name
after `&` may go on in lower case (`Nämnden för Vård & omsorg antar …`); a line that
begins with a body's name followed by a preposition (`Kommunstyrelsen på att:`) goes on
the decision above it; a paragraph stating the remiss a body answers (`… har fått
tillfälle att yttra sig över motion …`) is no decision when a decision follows it.

What the seventh taught: a heading's body that differs from the first decision's subject by
a letter or two is a misreading (`Förslag till beslut i kommyúnstyrelsen` over
`Kommunstyrelsen godkänner …`): the subject's spelling is the body's; a sentence under
the proposal heading after the decisions that the summary opens with, word for word
(`Nämnden … redovisar en positiv budgetavvikelse på 20,7 miljoner kronor …`) is the
summary's statement, not a decision.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from document import Proposal, Section
from swedish.data import bodies, body_endings, function_words, stopwords
from swedish.dates import SIGNED, date_of
from swedish.fold import fold, ocr_tolerant

# A list mark may carry a Markdown escape (`\-  att godkänna …`, `2\. …`): text converted
# from PDF to Markdown escapes a mark that begins a line.
_NUMBERED = re.compile(r"(?m)^[ \t]*\d{1,2}\\?[.),][ \t]+")
# Points numbered without a mark (`1 Kommunstyrelsen godkänner …`, a lost full stop) or
# lettered (`a) Nämnden …`): items only when they count on from the first, 1, 2 … or a, b …
_BARE_NUMBERED = re.compile(r"(?m)^[ \t]*(?P<n>\d)[ \t]+(?=[A-ZÅÄÖ])")
_LETTERED = re.compile(r"(?m)^[ \t]*(?P<n>[a-h])\)[ \t]+")
_ATT_CLAUSE = re.compile(r"(?m)^[ \t]*(?:\\?[-–•][ \t]*)?(?=[Aa]tt[ \t])")
_BULLET = re.compile(r"(?m)^[ \t]*\\?[-–−•][ \t]+")
_LONE_BODY_WORDS = 5  # a body's name alone on a lead-in line: `Kultur- och fritidsnämndens arbetsutskott`
_LIST_START = re.compile(r"[ \t]*[-–−•][ \t]*(?=\w)")  # a decision's first item, its dash perhaps glued on (`-Barn- och …`)
_ATT = re.compile(r"^\s*(?:[Aa]tt)\s+")
_TRAILING = re.compile(r"(?:,?\s+(?:samt|och))?\s*[,;]?\s*$")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
_RUNS_ON = re.compile(r"[,:;&–-]\s*$")
# A subject that ends in a joining word lost the rest of its name to the lower case:
# `Nämnden för` of `Nämnden för teknik godkänner …` is `Nämnden`.
_DANGLING_JOIN = re.compile(r"(?:\s+(?:för|och|&))+$")
_DECIDES = re.compile(r"\b(?:besluta[rs]?|föreslås|föreslår)(?:\s+att)?\s*$")
_INTRO_CHARS = 100
# A heading's body and a decision's subject this alike are one name, one of them misread.
_MISREAD_CHARS, _MISREAD_RATIO = 3, 0.9
# Sections that tell the matter; a decision after the first that one of them opens with,
# word for word (and this long, not a short formula), is their statement, not a decision.
_TELLING = {"summary", "arende", "background"}
_RESTATED_CHARS = 40
# A meeting's parts: after a single-matter document's own proposals one of them begins an
# attached protocol extract, whose proposals are the extract's, not the document's.
_PROTOCOL_PARTS = {"decision", "yrkanden", "beslutsgang", "reservation"}
_HEADING_BODY = re.compile(
    r"(?:(?P<by>.+?):?s\s+)?" + ocr_tolerant("förslag till ") + r"(?:(?P<body>.+?):?s\s+beslut|beslut\s+(?:i|för|till)\s+(?P<in>.+)|(?P<to>(?!beslut\b).+))", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _subject() -> re.Pattern[str]:
    """The subject of a decision: capitalised words joined by `för`, `och`, `&`, a
    body word in lower case after them (`Miljö- och hälsoskyddsnämnden`), any word
    after `&`, which joins the parts of a name only (`Nämnden för Vård & omsorg antar …`),
    and lower-case words joined by `och` or `&` after `för` (`Nämnden för förskola och
    grundskola har …`: a two-part name written in lower case), before the verb."""
    body_word = "|".join(sorted(bodies()["body_suffixes"], key=len, reverse=True))
    lower_parts = r"för\s+[a-zåäö][\w-]*(?:\s+(?:och|&)\s+[a-zåäö][\w-]*)+"
    return re.compile(rf"^(?P<body>[A-ZÅÄÖ][\w-]*(?:\s+(?:{lower_parts}|&\s+[a-zåäö][\w-]*|för|och|&|[A-ZÅÄÖ][\w-]*|[a-zåäö-]*(?:{body_word})))*)\s+[a-zåäö]+\b")


@lru_cache(maxsize=1)
def _proposes_to() -> re.Pattern[str]:
    verbs = "|".join(ocr_tolerant(v) for v in sorted(bodies()["proposing_verbs"], key=len, reverse=True))
    return re.compile(rf"^(?P<by>.+?)\s+(?:{verbs})\s+(?:att\s+)?(?P<to>\S.*)$", re.IGNORECASE)


def proposed_to(name: str) -> str:
    """The body that decides when one body proposes to another: `Kommunstyrelsen föreslår
    kommunfullmäktige` → `Kommunfullmäktige`; `name` itself when it proposes nothing."""
    match = _proposes_to().match(" ".join(name.split()))
    if not match:
        return name
    to = match.group("to")
    to = to[:1].upper() + to[1:]
    subject = _subject().match(f"{to} besluta")
    if not subject or not _names_a_body(subject.group("body")):
        return name
    body = subject.group("body")
    if fold(body) in body_endings():  # `Kommunfullmäktiges presidium föreslår att fullmäktige …`
        owner = next((word for word in match.group("by").split() if fold(base_form(word)).endswith(fold(body))), "")
        return base_form(owner) if owner else name
    return body


def _intro_pattern() -> re.Pattern[str]:
    verbs = "|".join(ocr_tolerant(v) for v in sorted(bodies()["proposal_intro"], key=len, reverse=True))
    return re.compile(rf"^(?:i\s+(?P<in>[^\d].{{2,60}}?)\s*:|(?P<body>[^\d].{{2,60}}?)\s+(?:{verbs})(?:\s+(?:att|följande))?\s*:?)\s*$", re.IGNORECASE)


def base_form(name: str) -> str:
    """`social- och omsorgsnämndens` → `social- och omsorgsnämnden`; `kommunfullmäktiges` →
    `kommunfullmäktige`; `byggnadsnämndens` → `byggnadsnämnden`."""
    name = " ".join(name.split())
    if name.endswith(":s"):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _names_a_body(name: str) -> bool:
    words = body_endings()
    last = fold(name.split()[0] if name.split() else "")
    return any(fold(name).endswith(w) for w in words) or any(last.endswith(w) for w in words)


def split_items(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    for pattern, after_intro in ((_NUMBERED, False), (_BARE_NUMBERED, False), (_LETTERED, False), (_ATT_CLAUSE, True), (_BULLET, True)):
        marks = list(pattern.finditer(text))
        if pattern in (_BARE_NUMBERED, _LETTERED) and not _counts_on(marks):
            continue
        if pattern is _ATT_CLAUSE:
            marks = _without_continuations(marks, text)
        if marks and not (after_intro and not _introduces(text[: marks[0].start()])):
            items = []
            for n, mark in enumerate(marks):
                end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
                item = " ".join(text[mark.end() : end].split())
                items.append(_TRAILING.sub("", item) if n + 1 < len(marks) else item)
            return [item for item in items if item]
    return _sentences(text)


def without_lead_in(decision: str) -> str:
    """A decision without the line that only introduces its list (`Barn- och
    utbildningsnämnden beslutar följande:` / `- Barn- och utbildningsnämnden har tagit del
    …`, `Kommunstyrelsen beslutar:` / `- att lämna …`): the decision begins at its first
    item (a dash, or an `att`-clause), or at a paragraph that names the body again (`Barn- och utbildningsnämnden
    beslutar följande:` / `Barn- och utbildningsnämnden beslutar att skolplikten …`). A
    lead-in may lack its colon (`Socialnämnden beslutar` / `- att godkänna …`) or its verb
    (`Kommunstyrelsen` / `- att överlämna …`). A lead-in that says more (`Valnämnden beslutar
    följande sammanträdesdagar:`) stays."""
    lead_in, _, rest = decision.strip().partition("\n")
    lead_in = lead_in.strip()
    match = _intro_pattern().match(lead_in)
    # `… beslutar:`, `… beslutar följande`, `Socialnämnden beslutar` (not a sentence going on
    # after `att`), or the body's name alone, its verb left out (`Kommunstyrelsen` / `- att …`)
    bare = not fold(lead_in).rstrip(" :").endswith(" att")
    body = match.group("body") if match and match.group("body") else ""
    alone = lead_in.rstrip(":")
    if not body and len(alone.split()) <= _LONE_BODY_WORDS and fold(alone).endswith(body_endings()):
        body = alone
    if not (body and bare and _names_a_body(base_form(body))):  # a misprinted genitive too: `Socialnämndens beslutar:`
        return decision
    rest = rest.strip()
    restated = fold(rest).startswith(fold(" ".join(body.split())) + " ")
    return rest if _LIST_START.match(rest) or _ATT.match(rest) or restated else decision


def _without_continuations(marks: list[re.Match], text: str) -> list[re.Match]:
    """The `att`-clause marks less those that go on the sentence of the line before: when
    the list's first item is marked otherwise (`•  att …`, `Att …`), a bare lower-case
    `att` at a line start after a line that ends no item (no punctuation, no `samt`/`och`)
    is a wrapped line (`… ger i uppdrag till förvaltningen` / `att omedelbart vidta …`)."""
    if not marks:
        return marks
    first = _mark_form(marks[0], text)
    kept = [marks[0]]
    for mark in marks[1:]:
        before = text[: mark.start()].rstrip()
        wrapped = before and before[-1] not in ".,;:!?" and before.split()[-1].lower() not in ("samt", "och")
        if not (wrapped and first != "att" and _mark_form(mark, text) == "att"):
            kept.append(mark)
    return kept


def _mark_form(mark: re.Match, text: str) -> str:
    """`att` for a bare lower-case `att`, else the mark with its list sign (`•`, `Att`)."""
    return text[mark.start() : mark.end() + 3].strip()


def _counts_on(marks: list[re.Match]) -> bool:
    """Whether unmarked numbers or letters at line starts count 1, 2, 3 … (a, b, c …), at
    least two of them: list points, not a line that begins with an amount (`3 211 005 kr`)."""
    first = "1" if marks and marks[0].group("n").isdigit() else "a"
    return len(marks) >= 2 and all(mark.group("n") == chr(ord(first) + n) for n, mark in enumerate(marks))


def _introduces(before: str) -> bool:
    """Whether the text before a list of `att`-clauses or bullets makes them the decisions:
    nothing, or a short line that introduces them (`Nämnden beslutar följande:`), not a
    decision of its own whose object they spell out (`… för yttrande över förslaget att:`)."""
    before = " ".join(before.split())
    return not before or (len(before) <= _INTRO_CHARS and (before.endswith(":") or bool(_DECIDES.search(before))))


def _sentences(text: str) -> list[str]:
    """The decisions of a text without list marks: a line that starts with a capital
    after a line ending a sentence begins a new one, and so does a line whose subject is
    a body (`Nämnden för Teknik förklarar …`) after a line that does not run on into it.
    A line ending in a colon opens a list that belongs to its decision (`Härmed utses
    följande personer …:` / `Från och med 17 juli …; Eva Holmberg.` / `Från 11 augusti …`),
    blank lines inside it too (`Myndighet … – 500 000 kronor` / blank / `Stöd i hem …`),
    up to a paragraph after a blank line that is a sentence (`Valnämndens sammanträden
    hålls på måndagar …`): that begins the next decision."""
    items: list[list[str]] = []
    listing = listed = gap = False  # in a colon's list; a list line seen; a blank line after it
    lines = [line.strip() for line in text.split("\n")]
    for n, line in enumerate(lines):
        if not line:
            gap = listing and listed
            continue
        previous = items[-1][-1] if items else ""
        new = not items or (_starts_a_decision(line) and not _runs_on(previous))
        if listing and gap and line[:1].isupper() and _SENTENCE_END.search(_paragraph(lines, n)):
            listing, new = False, True
        elif not listing:
            new = new or bool(_SENTENCE_END.search(previous) and line[:1].isupper())
        if new:
            items.append([])
        items[-1].append(line)
        if line.endswith(":"):
            listing, listed, gap = True, False, False
        elif listing:
            listed = True
    return [" ".join(" ".join(lines).split()) for lines in items]


def _paragraph(lines: list[str], first: int) -> str:
    """The lines from `first` up to the next blank line, as one line."""
    end = next((n for n in range(first, len(lines)) if not lines[n]), len(lines))
    return " ".join(lines[first:end])


def _runs_on(line: str) -> bool:
    """Whether a line's sentence goes on on the next line: it ends in a comma, a dash or
    a function word (`till`, `som`, `vad`)."""
    words = line.split()
    return bool(_RUNS_ON.search(line)) or (bool(words) and words[-1].lower() in stopwords())


def _starts_a_decision(line: str) -> bool:
    """A line whose subject is a body followed by its verb (`Nämnden för Teknik förklarar
    …`), not by a preposition that goes on the sentence of the line before (`… och vill
    uppmärksamma` / `Kommunstyrelsen på att:`)."""
    match = _subject().match(line)
    if not match or not _names_a_body(match.group("body")):
        return False
    following = line[match.end("body") :].split()
    return not following or fold(following[0]) not in _not_verbs()


@lru_cache(maxsize=1)
def _not_verbs() -> frozenset[str]:
    return frozenset(fold(word) for word in function_words()["not_verbs"])


@lru_cache(maxsize=1)
def _remiss_statements() -> tuple[str, ...]:
    return tuple(fold(phrase) for phrase in bodies()["remiss_statements"])


def states_remiss(item: str) -> bool:
    """Whether an item states the remiss its body answers instead of deciding
    (`Nämnden för Service har fått tillfälle att yttra sig över motion …`)."""
    match = _subject().match(item)
    return bool(match) and fold(" ".join(item[match.end("body") :].split())).startswith(_remiss_statements())


def decision_subject(item: str) -> str:
    """The body that an item's decision has as its subject (`Nämnden för Individ &
    Familjeomsorg beviljar …`), or "" when it names none or only `Nämnden`."""
    item = _ATT.sub("", item)  # `Att kommunstyrelsen godkänner …`
    item = item[:1].upper() + item[1:]
    match = _subject().match(item)
    if not match:
        return ""
    subject = _DANGLING_JOIN.sub("", match.group("body"))  # `Nämnden för teknik godkänner`: no name after `för`
    proposing = _proposes_to().match(" ".join(item.split()))
    if proposing and proposing.group("by") == " ".join(subject.split()) and _spells_out_decision(proposing.group("to")):
        # `Kommunstyrelsen föreslår kommunfullmäktige besluta att …`: the fullmäktige decides
        subject = proposed_to(item)
    return subject if _names_a_body(subject) and fold(subject) not in generic_bodies() else ""


def _spells_out_decision(to: str) -> bool:
    """Whether what a body proposes to another (`kommunfullmäktige besluta att anta …`)
    is that body's decision: its name is followed by a deciding verb. `att kommunfullmäktige
    anser att motionen är besvarad` is the proposing body's own answer."""
    words = to.split()
    if words and fold(words[0]) == "att":
        words = words[1:]
    body = _subject().match(" ".join(words[:1]).capitalize() + " " + " ".join(words[1:]))
    rest = " ".join(words)[len(body.group("body")) :] if body else ""
    return fold(rest).strip().startswith(_decision_verbs())


@lru_cache(maxsize=1)
def _decision_verbs() -> tuple[str, ...]:
    return tuple(fold(verb) for verb in bodies()["proposed_decision_verbs"])


@lru_cache(maxsize=1)
def generic_bodies() -> frozenset[str]:
    return frozenset(fold(word) for word in bodies()["generic"])


def _parts(text: str) -> list[tuple[str, str]]:
    """(body named by an intro line or "", text) for each list of decisions in a section."""
    intro = _intro_pattern()
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        match = intro.match(line.strip())
        if match and _names_a_body(match.group("in") or match.group("body")):
            # a generic `Nämnden föreslås besluta` opens the list but names no particular body
            named = proposed_to(match.group("in") or match.group("body"))
            parts.append(("" if fold(named) in generic_bodies() else named, []))
        else:
            parts[-1][1].append(line)
    return [(body, "\n".join(lines)) for body, lines in parts if body or "\n".join(lines).strip()]


def _heading_body(heading: str) -> str:
    match = _HEADING_BODY.search(_without_condition(" ".join(heading.split())))
    if not match:
        return ""
    by = base_form(match.group("by") or "")
    if by and _names_a_body(by) and fold(by) not in generic_bodies():
        # one body's proposal to another (`Nämnden för Individ och Familjeomsorgs förslag
        # till Kommunstyrelsen`): the document is the proposing body's decision
        return by[:1].upper() + by[1:]
    name = (match.group("in") or match.group("to") or "").strip(" :")
    if name:  # `… beslut i nämnden för Kultur & Fritid`, `Förslag till kommunfullmäktige`
        # not a generic `Förslag till nämnden`: that names no body
        return name[:1].upper() + name[1:] if _names_a_body(name) and fold(name) not in generic_bodies() else ""
    return "" if fold(match.group("body")).endswith("forvaltningen") else base_form(match.group("body"))


def _without_condition(name: str) -> str:
    """A heading's body without the condition after it (`kommunstyrelsen under
    förutsättning av kommunfullmäktiges beslut ovan` → `kommunstyrelsen`)."""
    return _condition().split(name, maxsplit=1)[0].rstrip(" ,")


@lru_cache(maxsize=1)
def _condition() -> re.Pattern[str]:
    phrases = "|".join(re.escape(phrase) for phrase in bodies()["heading_conditions"])
    return re.compile(rf",?\s+(?:{phrases})\b", re.IGNORECASE)


def _own_sections(sections: list[Section]) -> list[Section]:
    """The sections before an attached protocol extract: a meeting's part (`Beslut`,
    `Yrkanden`, `Propositionsordning`, `Reservation`) after the document's own proposals
    begins one (a kommunfullmäktige handling with the nämnder's extracts and their
    tjänsteutlåtanden attached)."""
    proposed = False
    for index, section in enumerate(sections):
        if proposed and section.label in _PROTOCOL_PARTS:
            return sections[:index]
        proposed = proposed or section.label == "proposals"
    return sections


def _proposal_texts(sections: list[Section]) -> list[tuple[str, str]]:
    """(heading, text) of each proposals section of the document's own, joined with its
    continuation after a page's furniture (the next section, with the same heading)."""
    texts: list[tuple[str, str]] = []
    previous = None
    for section in _own_sections(sections):
        if section.label == "proposals":
            if previous is not None and previous.label == "proposals" and previous.heading == section.heading:
                texts[-1] = (section.heading, f"{texts[-1][1]}\n{section.text}")
            else:
                texts.append((section.heading, section.text))
        elif texts and previous is not None and previous.label == "proposals" and section.label == "other" and _same_subject(texts[-1][1], section.text):
            # a subheading among the decisions (`Ombudgetering från investering till drift` / `Nämnden för
            # Teknik godkänner …`, as the items above it): its decisions are the proposals' too
            texts[-1] = (texts[-1][0], f"{texts[-1][1]}\n\n{section.text}")
            continue
        previous = section
    return texts


def _same_subject(proposals: str, text: str) -> bool:
    """Whether a text opens with a decision of the subject the proposals' first decision has."""
    ours, theirs = decision_subject(proposals.strip()), decision_subject(text.strip())
    return bool(ours) and fold(ours) == fold(theirs)


def _before_signing(text: str) -> str:
    """`text` up to the place and date a letter is signed with (`Göteborg den 9 april
    2024`): what follows is signatures and the next page, not decisions."""
    for line in SIGNED.finditer(text):
        if line.group("den") and date_of(line.group("date")):
            return text[: line.start()]
    return text


def _misread(heading_body: str, subject: str) -> bool:
    """Whether the body a heading names is a damaged spelling of a decision's subject
    (`kommyúnstyrelsen` / `Kommunstyrelsen`): nearly the same letters, not the same name."""
    a, b = fold(heading_body), fold(subject)
    return a != b and abs(len(a) - len(b)) <= _MISREAD_CHARS and SequenceMatcher(None, a, b).ratio() >= _MISREAD_RATIO


def _openings(sections: list[Section]) -> list[str]:
    """The texts of the sections that tell the matter (summary, ärendet, background),
    folded and squeezed: a decision's list may repeat the sentence one of them opens with."""
    return [" ".join(fold(s.text).split()) for s in sections if s.label in _TELLING]


def _restates(item: str, openings: list[str]) -> bool:
    """Whether an item is the sentence a summary opens with, word for word (`Nämnden …
    redovisar en positiv budgetavvikelse på 20,7 miljoner kronor …` under the proposal and
    again as the summary's first paragraph): the summary's statement, not a decision. A
    decision the summary repeats further down (`… föreslår att Byggnadsnämnden:` / `•  Den
    justerade … gäller från och med 1 januari 2026.`) stays one."""
    item = " ".join(fold(item).split())
    return len(item) >= _RESTATED_CHARS and any(opening.startswith(item) for opening in openings)


@lru_cache(maxsize=1)
def _bare_headings() -> frozenset[str]:
    return frozenset(fold(word) for word in bodies()["bare_proposal_headings"])


def _decision_texts(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The proposals without those under a bare `Förslag` heading when the document also
    has a heading for the decision (`Förslag` / prose describing the idea … `Beslutsförslag`
    / `Kommunstyrelsen beslutar att bevilja …`): the bare one describes, the other decides."""
    bare = [fold(heading).strip(" :") in _bare_headings() for heading, _ in texts]
    return [text for text, is_bare in zip(texts, bare) if not is_bare] if any(bare) and not all(bare) else texts


@lru_cache(maxsize=1)
def _administration_words() -> tuple[str, ...]:
    return tuple(fold(word) for word in bodies()["administration_suffixes"] if not word.endswith("ning"))


@lru_cache(maxsize=1)
def _task_verbs() -> frozenset[str]:
    return frozenset(fold(verb) for verb in bodies()["administration_task_verbs"])


def administration_statement(item: str) -> bool:
    """Whether an item is an administration's own statement (`Förvaltningen för teknik föreslår
    att …`, `Förvaltningen överlämnar …`), not a decision: its subject is an administration
    (a definite `…förvaltningen`, `…kontoret`, with its field after `för`) and the decision
    gives it no task (`Förvaltningen får i uppdrag …` is a decision)."""
    words = _ATT.sub("", item).split()
    if not words or not words[0][:1].isupper() or not fold(words[0]).endswith(_administration_words()):
        return False
    verb = 1
    while verb < len(words) and (fold(words[verb]) in {"for", "och", "&"} or words[verb][:1].isupper() or fold(words[verb - 1]) == "for"):
        verb += 1  # `Förvaltningen för teknik` / `Förvaltningen för Vård & Omsorg`
    return verb < len(words) and fold(words[verb]) not in _task_verbs()


def _without_statements(proposals: list[Proposal]) -> list[Proposal]:
    """The proposals less administrations' statements, when a body's decision is among them."""
    if all(administration_statement(item) for proposal in proposals for item in proposal.items):
        return proposals
    kept = [Proposal(p.body, [item for item in p.items if not administration_statement(item)]) for p in proposals]
    return [proposal for proposal in kept if proposal.items]


def extract_proposals(sections: list[Section], default_body: str) -> list[Proposal]:
    proposals = []
    openings = _openings(sections)
    for heading, text in _decision_texts(_proposal_texts(sections)):
        text = _before_signing(text)
        heading_body = _heading_body(heading)
        for intro_body, part in _parts(text):
            items = split_items(part)
            decisions = [item for item in items if not states_remiss(item)]
            items = decisions or items  # a paragraph stating the remiss before the decision is none
            items = items[:1] + [item for item in items[1:] if not _restates(item, openings)]  # a summary's opening
            if items:
                subject = decision_subject(items[0])
                if heading_body and subject and _misread(heading_body, subject):
                    heading_body = subject  # `Förslag till beslut i kommyúnstyrelsen` / `Kommunstyrelsen godkänner …`
                body = heading_body or intro_body or subject or default_body
                proposals.append(Proposal(body=body[:1].upper() + body[1:], items=items))  # `I kommunstyrelsen:` → `Kommunstyrelsen`
    return _without_statements(proposals)
