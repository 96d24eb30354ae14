"""Sections: canonical labels from Swedish heading variants (also OCR-damaged), multi-line
headings, unknown headings, signature blocks, and every section of the five seed
documents (digital and OCR'd PDFs) against the gold written by reading them."""

from __future__ import annotations

import pytest

from extract.sections import heading_label, split_sections

from extraction_fixtures import extraction_eval, gold, processed, seed_variants


@pytest.mark.parametrize(
    "line, label",
    [
        ("Förslag till beslut", "proposals"),
        ("Förslag till kommunstyrelsens beslut", "proposals"),
        ("Forslag till social- och omsorgsnamndens beslut", "proposals"),
        ("Férslag till kommunfullmaktiges beslut", "proposals"),
        ("Förvaltningens förslag till beslut", "proposals"),
        ("Beslutsförslag", "proposals"),
        ("Sammanfattning", "summary"),
        ("Ärende", "arende"),
        ("Arendet", "arende"),
        ("Ärendebeskrivning", "arende"),
        ("Beskrivning av ärendet", "arende"),
        ("Bakgrund", "background"),
        ("Förvaltningens bedömning", "assessment"),
        ("Forvaltningens bedémning", "assessment"),
        ("Förvaltningens synpunkter och förslag", "assessment"),
        ("Ekonomiska konsekvenser", "economy"),
        ("Samråd", "samrad"),
        ("Samrad", "samrad"),
        ("Ärendets beredning", "samrad"),
        ("Barnperspektivet", "consequences"),
        ("Konsekvenser för barn", "consequences"),
        ("Jämställdhet", "consequences"),
        ("Kommunala mål", "consequences"),
        ("Information eller förhandling enligt MBL", "mbl"),
        ("Samverkan", "mbl"),
        ("Beslutsunderlag:", "beslutsunderlag"),
        ("Bilagor", "attachments"),
        ("Beslutet skickas till:", "distribution"),
        ("Beslutet ska skickas till", "distribution"),
        ("Konsekvenser ur barnrätts- och barnperspektivet", "consequences"),
        ("Kort sammanfattning", "summary"),
        ("Slutsatser", "assessment"),
        ("Ekonomi och finansiering", "economy"),
        ("Historik", "background"),
        # a sentence that proposes is a heading only when it ends in a colon
        ("Kommunfullmäktiges presidium föreslår att fullmäktige beslutar:", "proposals"),
        ("Kommunfullmäktiges presidium föreslår att fullmäktige beslutar", None),
        ("Förhandling enligt MBL § 11 genomförs under december.", None),  # a sentence, not a heading
        ("Förslag till nytt verksamhetsuppdrag", None),
        ("samråd har skett med förvaltningen", None),
    ],
)
def test_heading_variants(line, label):
    assert heading_label(line) == label


def test_weak_heading_only_after_the_first_heading():
    assert heading_label("Yttrande", after_first=False) is None
    assert heading_label("Yttrande", after_first=True) == "assessment"


def test_split_joins_two_line_headings_and_finds_unknown_headings_and_signatures():
    text = (
        "Kulturförvaltningen\n2024-02-07\n\nKulturnämnden\n\nNytt bibliotek\n\n"
        "Förslag till beslut\n1. Biblioteket byggs.\n\n"
        "Planens genomförande\n\nFörvaltningen har tagit fram en plan för hur biblioteket ska byggas och drivas.\n\n"
        "Information eller förhandling enligt lag (1976:580) om\nmedbestämmande i arbetslivet\n"
        "Information lämnas i samverkansgruppen.\n\n"
        "Kulturförvaltningen\n\nKerstin Öberg\nKulturdirektör\n\n"
        "Beslutet skickas till\nKulturnämnden\n"
    )
    sections = split_sections(text)
    assert [(s.label, s.heading) for s in sections] == [
        ("header", ""),
        ("proposals", "Förslag till beslut"),
        ("other", "Planens genomförande"),
        ("mbl", "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet"),
        ("signatures", ""),
        ("distribution", "Beslutet skickas till"),
    ]
    assert sections[3].text == "Information lämnas i samverkansgruppen."
    assert sections[4].text.startswith("Kulturförvaltningen\n\nKerstin Öberg")
    for section in sections[1:]:
        expected_start = (section.heading or section.text).split()
        assert text[section.start :].split()[: len(expected_start)] == expected_start


@pytest.mark.slow
@pytest.mark.parametrize("name, variant", seed_variants())
def test_seed_sections_match_gold(name, variant):
    doc = processed(name, variant)
    expected = gold(name)["sections"]
    assert len(doc.sections) == len(expected), [(s.label, s.heading) for s in doc.sections]
    for section, (label, heading, first_line) in zip(doc.sections, expected):
        assert extraction_eval._section_matches(section, label, heading, first_line), (section.label, section.heading, section.text[:60])
