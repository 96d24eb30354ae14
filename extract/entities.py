"""Entity tagging with a spaCy pipeline of rule components.

`spacy.blank("sv")` plus:
- `diarium_fold_norms`: sets each token's NORM to its folded form (lower case, no
  diacritics, no genitive `s`), so gazetteer names match `Socialstyrelsens` and OCR'd
  `Linkopings kommun` alike;
- `diarium_gazetteer`: an entity ruler for the names in the data files — parties,
  agencies, unions and companies (data/swedish/organisations.toml), municipalities as
  organisations (`Linköpings kommun`) and places, counties, stadsdelar — matched as
  phrases of folded NORMs (one hash lookup per token, whatever the number of names);
- `diarium_rules`: regular-expression rules for DNR, LAW, TME and MSR, person names
  (extract/names.py), organisation names built from nämnd/förvaltning/kontor words and
  from the head-word patterns in organisations.toml, places from place-name morphology
  and context (data/swedish/places.toml), and an OCR-tolerant pass over the gazetteers;
  overlapping candidates are resolved by label priority, then length.

What real municipal text needs (data/eval/real/entities.json, measured in
docs/eval-real.md): a capitalised word that the lexicon knows as a common word is no
place (`Från`, `Radio`, `Pe`, `Utifrån`, nor OCR-tolerant `Båstad` in `Bostad`), and
after a preposition neither is a compound with a common head (`till Medarbetardagen`);
a person's name inside an organisation's is the organisation (`Erik Hjälmlövs
stiftelse`); an organisation's abbreviation in parentheses is one too (`Business Region
Göteborg (BRG)`); a place ending in `s` keeps it (`Västerås`); amounts keep their
thousands however they are spaced (`800 000 kronor`).

If a Swedish statistical spaCy model (`sv_core_news_*`) is installed, its PRS, ORG,
LOC, TME and MSR entities are added where no rule found anything; none is required.
Labels: PRS, ORG, LOC, TME, MSR, DNR, LAW, PARTY.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

import lexicon
from document import Entity
from extract.names import person_spans
from extract.phrases import PhraseSet
from swedish.dates import MONTH_NAMES
from swedish.dnr import DNR, DNR_BARE, DNR_INTRO
from swedish.data import (
    bodies,
    counties,
    first_names,
    layout,
    municipalities,
    organisations,
    parties,
    places,
)
from swedish.fold import fold, fold_word, ocr_tolerant

LABELS = ("PRS", "ORG", "LOC", "TME", "MSR", "DNR", "LAW", "PARTY")
# Which label wins where candidates overlap (higher first); within a label the longer span.
PRIORITY = {"DNR": 9, "LAW": 8, "MSR": 7, "TME": 6, "PARTY": 5, "PRS": 4, "ORG": 3, "LOC": 2, "LOC?": 1}
STATISTICAL_LABELS = {"PRS": "PRS", "ORG": "ORG", "LOC": "LOC", "TME": "TME", "MSR": "MSR"}

_CAP = r"[A-ZÅÄÖÉ]"
_LOW = r"[a-zåäöéèü&]"
_NAME = rf"{_CAP}{_LOW}+(?:-{_CAP}?{_LOW}+)*"  # a capitalised word or hyphenated compound
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")

_LAW_NAME = r"(?:(?:plan- och bygg|offentlighets- och sekretess)lagen|[\w-]*\w(?:lagen|balken|förordningen|konventionen))"
_LAW_TITLE = r"(?:\s+om(?:\s+(?!(?:ska|skall|har|är|kan|som|får|bör|gäller|anger|samt|och\s+dess)\b)[a-zåäö-]+){1,7})"
_LAW_CHAPTER = r"(?:\d+\s*kap\.\s*(?:\d+\s*[a-z]?\s*§\s*)?)"
_LAW_ABBREVIATIONS = r"(?:MBL|SoL|LSS|LVU|LVM|PBL|LOU|LOV|KL|OSL|AML|GDPR|FL)"
_LAW = re.compile(
    rf"(?:{_LAW_CHAPTER}?\b(?:{_LAW_NAME}|lag(?:en)?|förordning(?:en)?)\s*\((?:19|20)\d\d:\d+\){_LAW_TITLE}?)"
    rf"|(?:{_LAW_CHAPTER}\b{_LAW_NAME}\b)"
    rf"|(?:\b\d+\s*[a-z]?\s*§\s*{_LAW_ABBREVIATIONS}\b)|(?:\b{_LAW_ABBREVIATIONS}\s*§\s*\d+)"
    rf"|(?:\b[A-ZÅÄÖ][A-Za-zÅÄÖ]*FS\s+(?:19|20)\d\d:\d+)"
    rf"|(?:\b(?:{_LAW_NAME})\b)"
    rf"|(?:\b{_LAW_ABBREVIATIONS}\b(?!-))"
    r"|(?:\b(?:dataskyddsförordningen|medbestämmandelagen|[A-ZÅÄÖ][a-zåäö]+konventionen)\b)"
)
# Words ending like a law (`-lagen`) that are not laws: `förslagen`, `bolagen`, `underlagen`.
_NOT_LAW = re.compile(r"^[\w-]*(?:[rntave]slagen|bolagen|underlagen|upplagen)$")
_SEASON = r"(?:våren|hösten|sommaren|vintern|början av|slutet av|mitten av)"
_YEAR = r"(?:19|20)\d\d"
_TME = re.compile(
    rf"\b{_YEAR}-[01]\d-[0-3]\d\b(?!-\d)"  # ISO dates, as documents print them
    rf"|\b[0-3]?\d\s+(?:{MONTH_NAMES})(?:\s+{_YEAR})?\b"
    rf"|\b(?:{MONTH_NAMES})(?:\s*[–-]\s*(?:{MONTH_NAMES}))?\s+{_YEAR}\b"
    rf"|\b{_SEASON}\s+{_YEAR}\b"
    rf"|\b{_YEAR}\s*[–/-]\s*(?:{_YEAR}|\d\d)\b(?![-/:]\d)"
    rf"|(?<![\d:§/-])\b{_YEAR}\b(?![-/:]\d|-tal|\s*§)",
    re.IGNORECASE,
)
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})*(?:,\d+)?"  # `800 000`, also with a no-break or thin space
_MSR = re.compile(
    rf"\b{_NUMBER}\s*(?:(?:miljoner|miljarder|tusen)\s+kronor|mnkr|mkr|tkr|kronor|kr\b|procent|%|kvadratmeter|kvm|m²|m2\b|hektar|kilometer|km\b|meter\b|dBA|dB\b)"
)
_COMMON_ZIPF = 2.0  # wordfreq frequency from which a lower-case word is a common one (`hagens` 2.2, `navestad` 1.5)
_FREQUENT_ZIPF = 3.0  # … and a frequent one (`erfarenheten` 3.6, not `ekonomiavdelningen` 2.5)
_AUTHOR_LINE = re.compile(rf"(?i:{'|'.join(ocr_tolerant(label) for label in layout()['author_labels'])})[:\s]+(?P<name>{_NAME} {_NAME})")


def _org_word_pattern() -> re.Pattern[str]:
    data = bodies()
    suffixes = sorted(set(data["body_suffixes"] + data["administration_suffixes"]), key=len, reverse=True)
    tolerant = "|".join(ocr_tolerant(s).replace(r"\s+", " ") for s in suffixes)
    # the organisation word itself, with an optional coordinated first part
    # (`Social- och omsorgsnämnden`, OCR'd `Vard och omsorgsforvaltningen`)
    # (without the hyphen only a stem, not a whole definite word: `Vård och omsorgsnämnden`,
    # not `Universitetssjukhuset och utbildningsnämnden`)
    word = rf"(?:(?:{_CAP}{_LOW}+-|{_CAP}{_LOW}+(?<!en)(?<!et)(?<!na)|{_LOW}+-)\s(?:och|&)\s)?[\wåäöé&-]*?(?:{tolerant})(?:en|et|s|ens|ets|es)?"
    proper = rf"(?:{_CAP}{_LOW}+(?:-{_CAP}{_LOW}+)+|{_CAP}{_LOW}+ka)"  # `Spånga-Tensta`, `Tekniska`
    return re.compile(rf"(?:\b{proper}\s)?\b{word}\b(?:\s(?:kontor|kansli|arbetsutskott|presidium)\b)?", re.IGNORECASE)


def _ocr_tolerant_regex(pattern: str) -> str:
    """A regular expression with each å/ä/ö outside character classes made OCR-tolerant."""
    out, in_class = [], False
    for ch in pattern:
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ocr_tolerant(ch) if ch in "åäöÅÄÖ" and not in_class else ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _compiled_rules() -> dict:
    org_patterns = []
    county = "|".join(ocr_tolerant(c) for c in counties())
    for pattern in organisations()["patterns"]:
        tolerant = _ocr_tolerant_regex(pattern).replace(" ", r"[ \t]+")
        org_patterns.append(re.compile(tolerant.replace("{county}", f"(?:{county})").replace("{Name}", _NAME)))
    place = places()
    suffix = "|".join(place["suffixes"])
    generic_words = "|".join(ocr_tolerant(word) for word in sorted(bodies()["generic"], key=len, reverse=True))
    generic = re.compile(rf"^(?:{generic_words})(?::?s)?$", re.IGNORECASE)
    org_suffixes = "|".join(ocr_tolerant(s) for s in bodies()["body_suffixes"] + bodies()["administration_suffixes"])
    return {
        "org_word": _org_word_pattern(),
        "ends_like_org": re.compile(rf"(?:{org_suffixes})(?:en|et)?$", re.IGNORECASE),
        "org_patterns": org_patterns,
        "not_names": frozenset(_norm(word) for word in organisations()["not_names"]),
        "generic": generic,
        "loc_suffix": re.compile(rf"\b{_CAP}{_LOW}+(?:{suffix})\b"),
        "loc_word": re.compile(rf"\b{_NAME}\s(?:{'|'.join(place['words'])})\b"),
        "loc_introduced": re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in place['introducers'])})\s+(?P<name>{_NAME}(?:\s{_NAME})?)"),
        "loc_preposition": re.compile(rf"(?<=[a-zåäö,] )(?:{'|'.join(place['prepositions'])}) (?P<name>{_NAME})\b(?!\s*\()"),
        # the place of an address: `439 30 Onsala`, `Mariedalsvägen 2, Onsala`
        "loc_address": re.compile(rf"(?:\b\d{{3}} ?\d{{2}} |\b{_CAP}{_LOW}+(?:{suffix}) \d+[A-Za-z]?, )(?P<name>{_NAME})\b"),
    }


def _gazetteer() -> list[tuple[str, str]]:
    """(label, name) for every name the entity ruler and the OCR-tolerant pass look for."""
    entries: list[tuple[str, str]] = []
    for party in parties():
        entries.append(("PARTY", party["name"]))
    data = organisations()
    for name in data["agencies"] + data["unions"] + data["companies"]:
        entries.append(("ORG", name))
    for municipality in municipalities():
        entries += [("ORG", alias) for alias in municipality.aliases]
        if not municipality.ambiguous:
            entries.append(("LOC", municipality.name))
        entries += [("LOC", unit) for unit in municipality.units]
    entries += [("LOC", county) for county in counties()]
    entries += [("LOC", region) for region in places()["regions"]]
    return entries


@lru_cache(maxsize=1 << 16)
def _norm(text: str) -> str:
    folded = fold(text)
    if folded.endswith(":s"):  # `FN:s`, `LKAB:s`
        return folded[:-2]
    return folded[:-1] if len(folded) > 4 and folded.endswith("s") and not folded.endswith("ss") else folded


@lru_cache(maxsize=1)
def _ocr_gazetteer() -> tuple[tuple[str, ...], PhraseSet]:
    """The labels of, and OCR-tolerant patterns for, the gazetteer names long enough not
    to match by accident."""
    names = [(label, name) for label, name in _gazetteer() if any(ch in name for ch in "åäöÅÄÖ") and len(name) >= 6]
    return tuple(label for label, _ in names), PhraseSet([([name], r"(?::?s)?\b") for _, name in names])


@Language.component("diarium_fold_norms")
def _fold_norms(doc: Doc) -> Doc:
    # folded once per distinct word, then set on all tokens in one array operation
    strings = doc.vocab.strings
    orths, positions = numpy.unique(doc.to_array(ORTH), return_inverse=True)
    norms = numpy.array([strings.add(_norm(strings[int(orth)])) for orth in orths], dtype="uint64")
    doc.from_array([NORM], norms[positions].reshape(-1))
    return doc


class Gazetteer:
    """The gazetteer names as entities, resolved as spaCy's entity ruler resolves its
    matches (longest first, then leftmost; a name may not overlap a longer one). Names
    are phrases of folded NORMs; a capitalised name needs a first token that is not
    lower case (`Kommunal` the union, not `kommunal`). Party abbreviations count only
    in parentheses: `(MP)`."""

    def __init__(self, nlp: Language) -> None:
        self.names = PhraseMatcher(nlp.vocab, attr="NORM")
        self.abbreviations = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[int, tuple[str, bool]] = {}  # match key → (label, capitalised)
        for label, name in _gazetteer():
            key = f"{label} {name[:1].isupper()}"
            self.labels[nlp.vocab.strings.add(key)] = (label, name[:1].isupper())
            pattern = Doc(nlp.vocab, words=[token.text for token in nlp.make_doc(name)])
            for token in pattern:
                token.norm_ = _norm(token.text)
            self.names.add(key, [pattern])
        for party in parties():
            for abbreviation in party["abbreviations"]:
                self.abbreviations.add("PARTY", [Doc(nlp.vocab, words=["(", abbreviation, ")"])])

    def __call__(self, doc: Doc) -> Doc:
        matches = set()
        for key, start, end in self.names(doc):
            label, capitalised = self.labels[key]
            if not (capitalised and doc[start].is_lower):
                matches.add((label, start, end))
        matches.update(("PARTY", start, end) for _, start, end in self.abbreviations(doc))
        entities, taken = [], set()
        for label, start, end in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
            if start not in taken and end - 1 not in taken:
                entities.append(Span(doc, start, end, label=label))
                taken.update(range(start, end))
        doc.ents = entities
        return doc


@Language.factory("diarium_gazetteer")
def _make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp)


def _is_generic_org(text: str, rules: dict) -> bool:
    return bool(rules["generic"].match(" ".join(text.split())))


def _org_start(match: re.Match) -> int:
    """Where an organisation-word match really starts: `Origo och socialförvaltningen`
    and `Exploateringsnämnden och stadsbyggnadsnämnden` are two names, not one, and
    `tjänstepersonsnivå och Kommunstyrelsen` is one (a coordinated first part is
    capitalised or ends in a hyphen: `Vård och omsorgsförvaltningen`, `Social- och`)."""
    surface = match.group(0)
    first, conjunction, _ = surface.partition(" och ")
    if conjunction and not first.endswith("-"):
        last_word = first.split()[-1]
        if _norm(last_word) in _base_forms() or _compiled_rules()["ends_like_org"].search(last_word) or first[:1].islower():
            return match.start() + len(first) + len(conjunction)
    return match.start()


def _org_word_ok(surface: str) -> bool:
    last = fold(surface.split()[-1])
    definite = re.search(r"(en|et|ens|ets|fullmaktige|fullmaktiges)$", last) or len(surface.split()) > 1
    # indefinite forms (`socialnämnd`) name a body only when capitalised or after a proper name
    return bool(definite or surface[:1].isupper())


def rule_candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) candidates from the regular-expression rules (before resolving)."""
    rules = _compiled_rules()
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int, label: str) -> None:
        while end > start and text[end - 1] in " .,:;-\n":
            end -= 1
        if end > start:
            found.append((start, end, label))

    for match in DNR.finditer(text):
        add(match.start("dnr"), match.end("dnr"), "DNR")
    for match in DNR_BARE.finditer(text):
        prefix = match.group("dnr").split()[0].split("-")[0]
        if re.fullmatch(DNR_INTRO, prefix):  # `Dnr 2019-755`: the word introduces the number, DNR took it
            continue
        if sum(ch.isupper() for ch in prefix) >= 2 or (len(prefix) <= 3 and fold(prefix) not in {"den", "och", "nr", "sid"}):
            add(match.start("dnr"), match.end("dnr"), "DNR")
    for pattern, label in ((_LAW, "LAW"), (_MSR, "MSR"), (_TME, "TME")):
        for match in pattern.finditer(text):
            if label != "LAW" or not _NOT_LAW.match(fold(match.group(0))):
                add(match.start(), match.end(), label)
    named_organisations = [match.span() for pattern in rules["org_patterns"] for match in pattern.finditer(text)]
    for start, end in person_spans(text):
        # a person's name inside an organisation's (`Erik Hjälmlövs stiftelse`) is the organisation
        if not any(org_start <= start and end <= org_end for org_start, org_end in named_organisations):
            add(start, end, "PRS")
    for match in _AUTHOR_LINE.finditer(text):
        add(match.start("name"), match.end("name"), "PRS")
    for match in rules["org_word"].finditer(text):
        start = _org_start(match)
        pieces = [(start, match.end())]
        if start > match.start():  # two names: keep the first one too
            pieces.append((match.start(), match.start() + len(match.group(0).partition(" och ")[0])))
        for piece_start, piece_end in pieces:
            surface = text[piece_start:piece_end]
            if _org_word_ok(surface) and not _is_generic_org(surface, rules):
                add(piece_start, piece_end, "ORG")
    for pattern in rules["org_patterns"]:
        for match in pattern.finditer(text):
            one_word = not re.search(r"\s", match.group(0))
            # a frequent common word is no name (`Erfarenheten`); a listed unit is (`Ekonomiavdelningen`)
            if _norm(match.group(0)) not in rules["not_names"] and not (one_word and _common_word(match.group(0), _FREQUENT_ZIPF)):
                add(match.start(), match.end(), "ORG")
    labels, names = _ocr_gazetteer()
    for n, match in names.finditer(text):
        if not _common_word(match.group(0)):  # `Bostad` is housing, not OCR'd `Båstad`
            add(match.start(), match.end(), labels[n])
    for match in rules["loc_suffix"].finditer(text):
        if not _common_word(match.group(0)):  # `Storgatan`, not `Utifrån` or `Från`
            add(match.start(), match.end(), "LOC")
    for match in rules["loc_word"].finditer(text):
        add(match.start(), match.end(), "LOC")
    for match in rules["loc_introduced"].finditer(text):
        add(match.start("name"), match.end("name"), "LOC")
    for match in rules["loc_preposition"].finditer(text):
        name = match.group("name")
        # `till Medarbetardagen`, `på Hagens förskola`; a first name is a person's (`från Susanne` / `Andersson`)
        if not (_common_word(name) or _common_compound(name) or name.endswith("s") or fold(name) in first_names()):
            add(match.start("name"), match.end("name"), "LOC?")
    for match in rules["loc_address"].finditer(text):
        add(match.start("name"), match.end("name"), "LOC")
    return found


def _common_word(word: str, zipf: float = _COMMON_ZIPF) -> bool:
    """A capitalised word that the lexicon knows as a common word in lower case (`Taxa`,
    `Utifrån`, `Radio`, `Pe`) and not as a name (`Onsala`, `Kista`). A rare lower-case
    entry does not count: hunspell-sv lists a few places in lower case (`navestad`)."""
    entries = lexicon.load().entries(fold_word(word.lower()))
    common = any(e.word == word.lower() and e.is_word and e.zipf >= zipf for e in entries)
    return common and not any(e.word == word for e in entries)


def _common_compound(word: str) -> bool:
    """A compound whose head is a common word (`Medarbetar|dagen`, `Personal|kooperativet`,
    `Kungsbacka|galan`) that no dictionary lists as a name: an event or a thing, not a
    place. Places named so (`Vivalla|ringen`, `Stads|hagen`) end in a place word and are
    found by their suffix."""
    known, lower = lexicon.load(), word.lower()
    if any(e.word == word for e in known.entries(fold_word(lower))):
        return False
    for split in known.compound_splits(fold_word(lower)):
        head, entries = split[-1]
        if any(e.word == lower[len(lower) - len(head) :] for e in entries):
            return True
    return False


def resolve(candidates: list[tuple[int, int, str]], blocked: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans: higher-priority labels first, then longer spans."""
    ordered = sorted(candidates, key=lambda c: (-PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    # the occupied spans never overlap, so sorted by start they are sorted by end too
    occupied = sorted(blocked)
    starts, ends = [s for s, _ in occupied], [e for _, e in occupied]
    for start, end, label in ordered:
        before = bisect_left(starts, end)  # the occupied spans that start before this one ends
        if before and ends[before - 1] > start:
            continue
        taken.append((start, end, "LOC" if label == "LOC?" else label))
        starts.insert(before, start)
        ends.insert(before, end)
    return sorted(taken)


@Language.component("diarium_rules")
def _rules(doc: Doc) -> Doc:
    text = doc.text
    candidates = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    candidates += rule_candidates(text)
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    spans = []
    for start, end, label in resolve(candidates, urls):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = spacy.util.filter_spans(spans)
    return doc


class CachingTokenizer:
    """spaCy's tokenizer, with its cache filled before a text is tokenized.

    The tokenizer remembers how it split each whitespace-separated chunk, but once a chunk
    of a text is a special case (an abbreviation like `t.ex.`) it stops remembering for
    the rest of that text, so a long document is split chunk by chunk from scratch.
    Tokenizing the text's unseen chunks one at a time first fills the cache, and the text
    is then split from it: the same tokens, several times faster."""

    CACHE_SIZE = 250_000  # chunks (spaCy's default of 10,000 fills up within a few documents)

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.tokenizer.max_cache_size = self.CACHE_SIZE
        self.seen: set[str] = set()

    def __call__(self, text: str) -> Doc:
        if len(self.seen) < self.CACHE_SIZE:
            for chunk in set(text.split()) - self.seen:
                self.tokenizer(chunk)
                self.seen.add(chunk)
        return self.tokenizer(text)


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("sv")
    nlp.tokenizer = CachingTokenizer(nlp.tokenizer)
    nlp.add_pipe("diarium_fold_norms")
    nlp.add_pipe("diarium_gazetteer")
    nlp.add_pipe("diarium_rules")
    nlp.max_length = 5_000_000
    return nlp


@lru_cache(maxsize=1)
def statistical_model() -> Language | None:
    """An installed Swedish statistical pipeline (`sv_core_news_lg/md/sm/trf`), or None."""
    installed = spacy.util.get_installed_models()
    for name in ("sv_core_news_lg", "sv_core_news_md", "sv_core_news_trf", "sv_core_news_sm"):
        if name in installed:
            return spacy.load(name, exclude=["lemmatizer", "parser", "attribute_ruler"])
    return None


def merge_statistical(rule_spans: list[Span], statistical_spans: list[Span]) -> list[tuple[int, int, str]]:
    """Rule entities, plus the statistical model's entities (mapped to our labels) where
    they overlap no rule entity: the rules decide, the model fills gaps."""
    merged = [(span.start_char, span.end_char, span.label_) for span in rule_spans]
    for span in statistical_spans:
        label = STATISTICAL_LABELS.get(span.label_)
        if label and not any(span.start_char < end and start < span.end_char for start, end, _ in merged):
            merged.append((span.start_char, span.end_char, label))
    return sorted(merged)


@lru_cache(maxsize=1)
def _base_forms() -> frozenset[str]:
    """Folded names whose genitive (`Socialstyrelsens`) should be stored as the name."""
    return frozenset(_norm(name) for _, name in _gazetteer())


@lru_cache(maxsize=1)
def _gazetteer_names() -> frozenset[str]:
    """The gazetteer's names, folded as they are spelt (no genitive dropped)."""
    return frozenset(fold(name) for _, name in _gazetteer())


@lru_cache(maxsize=1)
def _org_words() -> tuple[str, ...]:
    return tuple(fold(s) for s in bodies()["body_suffixes"] + bodies()["administration_suffixes"])


def _genitive_length(surface: str, label: str) -> int:
    """How many trailing characters of an entity are a genitive ending (`s`, `:s`), 0 if none."""
    if label not in ("ORG", "LOC", "PRS") or not surface.endswith("s") or surface.endswith("ss"):
        return 0
    ending = 2 if surface.endswith(":s") else 1
    base = fold(surface[:-ending])
    if ending == 1 and fold(surface) in _gazetteer_names():  # `Västerås`, `Borås` end in s
        return 0
    if base in _base_forms() or base.endswith(_org_words()) or base.endswith(("kommun", "stad")):
        return ending
    if label == "PRS" and ending == 1 and not fold(surface.split()[-1]).endswith(("son", "sen")):
        return 0
    return 0


_LINE_BREAK_MARKUP = re.compile(r"<br\s*/?>", re.IGNORECASE)


def tag_entities(text: str) -> list[Entity]:
    """Entities of `text`; a genitive ending is left out of the span (`Socialstyrelsen`
    for `Socialstyrelsens`) and line breaks inside a name are stored as spaces. A
    Markdown table cell's `<br>` is read as the line break it is (`Förskola &<br>Grundskola`,
    and no `Susanne<br>Andersson` runs into the next cell's words), offsets unchanged."""
    text = _LINE_BREAK_MARKUP.sub(lambda match: "\n" + " " * (len(match.group()) - 1), text)
    doc = pipeline()(text)
    spans = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    model = statistical_model()
    if model is not None:
        spans = merge_statistical(list(doc.ents), list(model(text).ents))
    entities = []
    for start, end, label in spans + _abbreviations(text, spans):
        end -= _genitive_length(text[start:end], label)
        entities.append(Entity(text=" ".join(text[start:end].split()), label=label, start=start, end=end))
    return sorted(entities, key=lambda entity: entity.start)


_ABBREVIATION = re.compile(r"\s*\((?P<abbreviation>[A-ZÅÄÖ]{2,6})\)")


def _abbreviations(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An organisation's abbreviation in parentheses after its name: `Business Region
    Göteborg (BRG)` names `BRG` too, wherever no other entity took it."""
    taken = {start for start, _, _ in spans}
    found = []
    for _, end, label in spans:
        match = _ABBREVIATION.match(text, end)
        if label == "ORG" and match and match.start("abbreviation") not in taken:
            found.append((match.start("abbreviation"), match.end("abbreviation"), "ORG"))
    return found
