"""Extraction rules taught by the tenth TUNE batch of data/eval/real/ (Kungsbacka single-matter
documents picked at random in 2024–2026 bundles not used before: tjänsteskrivelser of Vård &
Omsorg, Individ & Familjeomsorg, Byggnadsnämnden, Service and Miljö & Hälsoskydd, a yttrande, a
party's initiative, nämnd and arbetsutskott extracts), each pinned on the document that taught
it, through the real pipeline, and on the general form the rule covers. docs/eval-real.md
measures all of them (`tune 10`)."""

from __future__ import annotations

from conftest import real
from extract.body import find_body
from extract.metadata import extract_metadata
from extract.municipality import find_municipality
from extract.sections import split_sections
from extract.title import find_title


# --- the deciding body ---------------------------------------------------------------------


def test_an_unfilled_body_field_names_no_body():
    # `YTTRANDE` / `Nämnd` / `Datum`: the template's placeholder; the statement names the body
    doc = real("kungsbacka_miljo_2023-11-23_yttrande_kommunbudget.txt")
    assert doc.body == "Nämnden för Miljö & Hälsoskydd"
    assert find_body("YTTRANDE\nNämnd\nDatum\n2023-11-23") == ""
    assert find_body("TJÄNSTESKRIVELSE\nStyrelsen\nDatum\n2024-01-10") == ""
    assert find_body("YTTRANDE\nByggnadsnämnden\nDatum\n2025-02-04") == "Byggnadsnämnden"


def test_a_yttrande_without_a_body_line_has_the_body_its_statement_opens_with():
    text = ("YTTRANDE\nNämnd\nDatum\n2024-03-01\n\nYttrande över remiss om ny avfallsplan\n\n"
            "Sammanfattande inställning\nKultur- och fritidsnämnden tillstyrker förslaget till avfallsplan.\n\n"
            "Nämndens ställningstagande i detalj\nInga synpunkter.\n")
    assert extract_metadata(text, split_sections(text)).body == "Kultur- och fritidsnämnden"
    # a statement that opens with no body leaves it unknown
    text = text.replace("Kultur- och fritidsnämnden tillstyrker", "Förslaget tillstyrks i sin helhet och")
    assert extract_metadata(text, split_sections(text)).body == ""


# --- the municipality ----------------------------------------------------------------------


def test_a_party_before_a_place_name_is_its_local_branch():
    # `Elisabeth Svensson Tina Hald Mats Dahl` / `SD Kungsbacka  SD Kungsbacka SD Kungsbacka`
    doc = real("kungsbacka_ifo_skrivelse_2025-03-10_initiativ_tryggare_besok.txt")
    assert doc.municipality == "Kungsbacka"
    assert find_municipality("", "Vi yrkar att utreda frågan.\n\nAnna Berg\nSD Kungsbacka") == "Kungsbacka"
    assert find_municipality("", "Vi yrkar att utreda frågan.\n\nAnna Berg\nMiljöpartiet Kungsbacka") == "Kungsbacka"
    # a surname that is a place name is still no evidence
    assert find_municipality("", "Handläggare: Anders Lund") == ""


# --- titles --------------------------------------------------------------------------------


def test_a_contact_line_is_no_title():
    # a cover page: the spaced title, `Dokumentegenskaper: …` fields, then the footer
    # `Kungsbacka kommun | 0300-83 40 00 | info@kungsbacka.se | www.kungsbacka.se`
    doc = real("kungsbacka_kf_2024-05-07_ordningsforeskrifter_torghandel.txt")
    assert doc.title == "Lokala ordningsföreskrifter för torghandel"
    assert doc.body == "Kommunfullmäktige" and doc.dnr == ["KS 2022-00696"]
    header = ("Riktlinje för parkering\n\nBeslutad av: Kommunfullmäktige\nGäller från: 2024-01-01\n\n"
              "Storstads kommun | 08-123 45 67 | info@storstad.se | www.storstad.se")
    assert find_title(header, "") == "Riktlinje för parkering"
    assert find_title("Kontakta oss på https://example.se/kontakt", "") == ""


# --- signatures ----------------------------------------------------------------------------


def test_lines_drawn_to_sign_on_belong_to_the_signature_block():
    # `2 juni 2024` / `\\_\\_…   \\_\\_…` / `Thure Sandén (M)   Daniel Hognert (M)` / `\\_\\_…` / two more names
    doc = real("kungsbacka_bygg_skrivelse_2024-06-02_initiativ_lantmateri.txt")
    signatures = next(s.text for s in doc.sections if s.label == "signatures")
    assert signatures.startswith("Thure Sandén (M)") and signatures.rstrip().endswith("Fredrik Kollberg (KD)")
    text = ("Bakgrund\n\nVi vill att nämnden utreder frågan om fler cykelbanor i centrum.\n\n1 mars 2024\n\n"
            "______________________          ______________________\n\nAnna Andersson (M)              Erik Johansson (KD)\n")
    sections = split_sections(text)
    assert sections[-1].label == "signatures" and sections[-1].text.startswith("Anna Andersson (M)")
