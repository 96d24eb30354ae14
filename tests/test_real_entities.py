"""Entities on real municipal text (issue 12): no ordinary capitalised word as a place,
no name across a layout break, no truncated name, whole amounts, the forms real
documents print organisations in; and a real TUNE document against its gold in
data/eval/real/entities.json (docs/eval-real.md measures all eight)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.entities import tag_entities
from pipeline.process import process_file
from swedish.fold import fold

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / "eval" / "real"


def labelled(text: str) -> set[tuple[str, str]]:
    return {(e.label, e.text) for e in tag_entities(text)}


def test_no_capitalised_ordinary_word_is_a_place():
    found = labelled("Nyheten kom från Radio och Från Pe samt Klimat- och näringslivsdepartementet. Utifrån detta beslutade nämnden.")
    assert not {text for label, text in found if label == "LOC"}
    assert ("ORG", "Klimat- och näringslivsdepartementet") in found


def test_a_word_after_a_preposition_that_names_an_event_or_facility_is_no_place():
    found = labelled("Priserna delas ut till Medarbetardagen, ansökan kom från Personalkooperativet Hagen och ytan på Hagens förskola.")
    assert not {text for label, text in found if label == "LOC"}


def test_no_name_across_a_layout_break():
    assert ("PRS", "Amanda Toresson") in labelled("Sekreterare Amanda Toresson Paragrafer §§ 48,50")
    assert ("PRS", "Amanda Toresson Paragrafer") not in labelled("Sekreterare Amanda Toresson Paragrafer §§ 48,50")


@pytest.mark.parametrize(
    "text, entity",
    [
        ("Vi bor i Västerås sedan länge.", ("LOC", "Västerås")),  # a name ending in s keeps it
        ("Beslutet kostar 800\u00a0000 kronor totalt.", ("MSR", "800 000 kronor")),  # a no-break space inside the number
        ("Pensionärsrådet har yttrat sig.", ("ORG", "Pensionärsrådet")),
        ("LKAB:s gruvor ligger i Kiruna.", ("ORG", "LKAB")),
        ("Vinnaren koras på FN:s frivilligdag.", ("ORG", "FN")),
        ("Två priser delas ut med Business Region Göteborg (BRG) varje år.", ("ORG", "BRG")),
        ("Beslutet fattas av nämnden för Individ och\nFamiljeomsorg i juni.", ("ORG", "nämnden för Individ och Familjeomsorg")),
        ("Vård & Omsorg delar ut priset Leva livet.", ("ORG", "Vård & Omsorg")),
        ("Förskolan ligger på Mariedalsvägen 2, 439 30 Onsala.", ("LOC", "Onsala")),
        ("Malin de Verdier, kommundirektör", ("PRS", "Malin de Verdier")),
        ("Kasra Hassirian, förvaltningsjurist", ("PRS", "Kasra Hassirian")),  # a first name the list lacks, before a role
        ("Heinrich Kaufmann (C) yrkar bifall.", ("PRS", "Heinrich Kaufmann")),  # … before a party
        ("Marie-Louise Rolf (L) antecknar.", ("PRS", "Marie-Louise Rolf")),  # a first name as surname
    ],
)
def test_real_forms(text, entity):
    assert entity in labelled(text)


def test_a_coordinated_word_is_not_part_of_an_organisation():
    found = labelled("De har inrättats på tjänstepersonsnivå och Kommunstyrelsen menar att det är rimligt.")
    assert ("ORG", "Kommunstyrelsen") in found and not any("nivå" in text for _, text in found)


def test_a_tune_document_against_its_gold():
    name = "kungsbacka_fg_2025-06-13_hagen_utokning_barnantal.txt"
    gold = {(label, fold(text)) for label, text in json.loads((REAL / "entities.json").read_text(encoding="utf-8"))[name]}
    doc = process_file(REAL / "documents" / name)
    found = {(e.label, fold(e.text)) for e in doc.entities if e.label in ("PRS", "ORG", "LOC")}
    assert len(found & gold) >= 0.9 * len(gold) and len(found & gold) >= 0.9 * len(found), (gold - found, found - gold)
