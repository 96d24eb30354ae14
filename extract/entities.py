"""Entity tagging with a spaCy pipeline of small rule components.

`spacy.blank("sv")` plus an EntityRuler whose patterns are built from the data files
(parties, bodies, municipalities) and regular-expression matchers for the domain labels
(DNR, LAW, TME, MSR). Labels: PRS, ORG, LOC, TME, MSR, DNR, LAW, PARTY.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from config import SWEDISH_DATA
from document import Entity
from extract.swedish import DNR, ISO_DATE, TEXT_DATE, bodies, municipalities

LABELS = ("PRS", "ORG", "LOC", "TME", "MSR", "DNR", "LAW", "PARTY")

_REGEX_LABELS = (
    ("DNR", DNR),
    ("LAW", re.compile(r"\b(?:[\w-]+lagen|lag(?:en)?(?: om [\wåäö ]+?)?)\s*\(\d{4}:\d+\)|\b\d+\s*(?:kap\.\s*)?\d*\s*§\s*(?:MBL|SoL|LSS|PBL|[A-ZÅÄÖ]{2,4})\b", re.IGNORECASE)),
    ("TME", ISO_DATE),
    ("TME", TEXT_DATE),
    ("MSR", re.compile(r"\b\d[\d  ]*(?:,\d+)?\s*(?:kronor|kr|tkr|mnkr|miljoner kronor|procent|%)", re.IGNORECASE)),
    ("PRS", re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+){1,2}(?=\s*\((?:S|M|SD|C|V|KD|L|MP|FI)\))")),
)


def _parties() -> list[dict]:
    return tomllib.loads((SWEDISH_DATA / "parties.toml").read_text(encoding="utf-8"))["party"]


def _ruler_patterns() -> list[dict]:
    patterns: list[dict] = []
    for party in _parties():
        patterns.append({"label": "PARTY", "pattern": party["name"]})
        for abbreviation in party["abbreviations"]:
            patterns.append({"label": "PARTY", "pattern": [{"ORTH": "("}, {"ORTH": abbreviation}, {"ORTH": ")"}]})
    suffixes = bodies()["body_suffixes"] + bodies()["administration_suffixes"]
    suffix_regex = "(" + "|".join(re.escape(s) for s in sorted(set(suffixes), key=len, reverse=True)) + ")$"
    # `Social- och omsorgsnämnden`, `Hässelby-Vällingby stadsdelsförvaltning`, `Kommunstyrelsen`
    patterns.append({"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^\w+-$"}}, {"LOWER": {"IN": ["och", "eller"]}}, {"LOWER": {"REGEX": suffix_regex}}]})
    patterns.append({"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ][\w-]+$"}, "OP": "?"}, {"LOWER": {"REGEX": suffix_regex}}]})
    patterns.append({"label": "ORG", "pattern": [{"ORTH": "AB"}, {"IS_TITLE": True}]})
    patterns.append({"label": "ORG", "pattern": [{"IS_TITLE": True}, {"ORTH": "AB"}]})
    for municipality in municipalities():
        patterns.append({"label": "LOC", "pattern": municipality.name})
        patterns.append({"label": "ORG", "pattern": [{"LOWER": municipality.name.lower() + "s"}, {"LOWER": {"IN": ["kommun", "stad"]}}]})
    return patterns


@Language.component("diarium_regex_entities")
def _regex_entities(doc: Doc) -> Doc:
    spans = list(doc.ents)
    for label, pattern in _REGEX_LABELS:
        for match in pattern.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(_ruler_patterns())
    nlp.add_pipe("diarium_regex_entities")
    nlp.max_length = 5_000_000
    return nlp


def tag_entities(text: str) -> list[Entity]:
    doc = pipeline()(text)
    return [Entity(text=ent.text, label=ent.label_, start=ent.start_char, end=ent.end_char) for ent in doc.ents]
