"""Restoration of OCR-damaged Swedish (normalize/restore.py): the hard cases of issue 3,
recorded edits, and no damage to clean text."""

from __future__ import annotations

import re

import pytest

from conftest import sample
from ingest import read_document
from normalize import normalize_text
from normalize.restore import restore_swedish

# A real damaged text layer (the start of sample 002's OCR'd PDF, English tesseract), so
# that the document-level damage estimate is that of an OCR'd document.
DAMAGED_CONTEXT = """Vald i nara relationer och hedersrelaterat fértryck,
redovisning av utredningsuppdrag

Forslag till beslut
1. Omsorgskontorets forslag tillstyrks.

Forslag till kommunstyrelsens beslut
1. Uppdrag ges till kommunledningsforvaltningen att sakerstalla att vald i
nara relationer och hedersrelaterat fértryck beaktas och féljs upp i
relevanta kommunévergripande handlingsplaner och policydokument.
"""


def restored_line(line: str) -> str:
    """Restore `line` as part of a damaged document; return its restored form."""
    text, _ = restore_swedish(DAMAGED_CONTEXT + "\n" + line + "\n")
    return text.rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Social- och omsorgsférvaltningen föreslår.", "Social- och omsorgsförvaltningen föreslår."),
        ("Det gäller vald 1 néra relationer.", "Det gäller våld i nära relationer."),
        ("Uppdraget ges till Stdngéstaden.", "Uppdraget ges till Stångåstaden."),
        ("Kommunen som &dgare ger uppdraget.", "Kommunen som ägare ger uppdraget."),
        ("Det ger en 6kad risk.", "Det ger en ökad risk."),
        ("Linképings kommun", "Linköpings kommun"),
        ("Handläggare Anna Séderstr6m", "Handläggare Anna Söderström"),
        ("Ett bes6k i hemmet.", "Ett besök i hemmet."),
        ("Buller som stér sémnen.", "Buller som stör sömnen."),
        ("Kommunen vill dka tryggheten.", "Kommunen vill öka tryggheten."),
        ("Nämnden far information.", "Nämnden får information."),
        ("Det ar viktigt.", "Det är viktigt."),
        ("Uppföljning sker varje ar.", "Uppföljning sker varje år."),
        ("Arende", "Ärende"),
    ],
)
def test_every_example_of_the_issue_is_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Det gäller omsorgsforvaltningens budget.", "Det gäller omsorgsförvaltningens budget."),
        ("Se samradsredogorelse och verksamhetsuppdraget.", "Se samrådsredogörelse och verksamhetsuppdraget."),
        ("De jamstalldhetspolitiska malen.", "De jämställdhetspolitiska målen."),
        ("En kommunovergripande plan.", "En kommunövergripande plan."),
        ("Ett stadsmiljéférvaltningen yttrande.", "Ett stadsmiljöförvaltningen yttrande."),
    ],
)
def test_long_compounds_are_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Arendebeskrivning", "Ärendebeskrivning"),
        ("FORSLAG TILL BESLUT", "FÖRSLAG TILL BESLUT"),
        ("VAld i hemmet", "Våld i hemmet"),
        ("Samrad har skett med polis, Aklagare och bostadsbolag.", "Samråd har skett med polis, åklagare och bostadsbolag."),
    ],
)
def test_capitals_are_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Arbetet mot vald i nara relationer.", "Arbetet mot våld i nära relationer."),
        ("Beslut for nämnden.", "Beslut för nämnden."),
        ("Hur man som enskild kan agera.", "Hur man som enskild kan agera."),
        ("Det gäller kvinnor och man.", "Det gäller kvinnor och män."),
        ("Kommunens mal för 2024.", "Kommunens mål för 2024."),
        ("Hon bor i Linköping.", "Hon bor i Linköping."),
        ("Arbetet bor bedrivas framat.", "Arbetet bör bedrivas framåt."),
        ("Det ska vara värd att besöka.", "Det ska vara värd att besöka."),
        ("Hemtjänst och vard av äldre.", "Hemtjänst och vård av äldre."),
        ("Kostnaden är 3 miljoner kronor per ar.", "Kostnaden är 3 miljoner kronor per år."),
        ("Personer som ar 80 ar och äldre.", "Personer som är 80 år och äldre."),
        ("Det fortsatta arbetet.", "Det fortsatta arbetet."),
        ("Enligt bilaga 1 och 2.", "Enligt bilaga 1 och 2."),
    ],
)
def test_context_decides_between_readings(damaged, restored):
    assert restored_line(damaged) == restored


def test_names_and_unknown_words_are_left_alone():
    line = "Avtal med Leanlink och Maria Moraes (MP), se https://www.linkoping.se/kommunovergripande_mal.pdf"
    assert restored_line(line) == line


def test_every_change_is_recorded_where_it_is():
    text, edits = restore_swedish(DAMAGED_CONTEXT)
    assert edits
    for edit in edits:
        assert text[edit.start : edit.start + len(edit.after)] == edit.after
        assert edit.before != edit.after
        assert 0.5 <= edit.confidence <= 1.0
        assert edit.rule == "ocr-restore"
    assert {("fértryck", "förtryck"), ("Forslag", "Förslag"), ("kommunévergripande", "kommunövergripande")} <= {
        (e.before, e.after) for e in edits
    }


CLEAN = """Hon blev vald till ordförande för nämnden. Man kan inte säga att arbetet är klart,
men det har gått framåt under året. Kommunen har en far och en mor som kontaktperson,
och målet är att alla ska få stöd. Regeringen och Bostadsbolaget Leanlink står bakom.
"""


def test_clean_text_is_left_alone():
    text, edits = restore_swedish(CLEAN)
    assert text == CLEAN
    assert edits == []


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_digital_text_layers_keep_their_correct_words(prefix):
    """On the digital seed PDFs restoration changes at most 1 word in 1 000."""
    text, _ = normalize_text(read_document(sample(prefix), reocr="never").text, restore=False)
    restored, edits = restore_swedish(text)
    words = len(re.findall(r"\w+", text))
    assert len(edits) <= words / 1000, edits
