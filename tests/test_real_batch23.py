"""Extraction rules taught by the fourth HOLDOUT set after its retirement to TUNE (batch 23,
`"retired_holdout": 4` in data/eval/real/gold.json: 31 Kungsbacka documents and 8 Göteborg
Stadsrevisionen documents drawn at random, 374/395 checks right, type 31/39, at its one HOLDOUT
measurement under extract 2026-12-05.2), each pinned on the document that taught it, through the
real pipeline, and on the general form the rule covers. docs/eval-real.md measures them as
`tune 23`."""

from __future__ import annotations

from conftest import real

from extract.diary_numbers import find_dnr
from extract.doctype import find_doc_type
from extract.title import find_title


def test_a_text_signed_by_politicians_only_is_a_partys_skrivelse_of_no_body():
    for name in ("kungsbacka_ga_skrivelse_2025_initiativ_psykosocialt_stod.txt", "kungsbacka_ga_skrivelse_2025_initiativ_praktikinsatser.txt"):
        doc = real(name)
        assert doc.doc_type == "skrivelse", name
        assert doc.body == "", name  # `Kommunfullmäktige beslutade i kommunbudgeten …` reports, the party does not address it


def test_politicians_on_one_line_sign_under_a_directive_proposed_by_their_parties():
    doc = real("kungsbacka_kultur_skrivelse_2026_forslag_direktiv_barn_unga.txt")
    assert doc.doc_type == "skrivelse"
    assert [s.label for s in doc.sections][:1] == ["proposals"] and doc.sections[0].heading == "Förslag på direktiv:"
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Annika Hedman (C), Maria Gathendahl (M)")


def test_report_words_and_a_title_naming_its_owners_document_type_a_report():
    assert real("kungsbacka_teknik_nodate_sarredovisning_2025.txt").doc_type == "rapport"
    assert real("goteborg_kf_2025-04-08_arsredogorelse_2024.pdf").doc_type == "rapport"
    assert find_doc_type("Kommunfullmäktige\n\nHandling 2024 nr 62\n", "Stadsrevisionens årsredogörelse och årsrapport för 2023", [], "") == "rapport"
    # not a word ending in s that is no genitive, nor a capitalised second word: `Remiss Motion om …`
    assert find_doc_type("Handläggare\n", "Remiss Motion om lämna-program", [], "") != "motion"


def test_a_names_capitals_before_a_date_are_no_diary_number():
    assert real("kungsbacka_ks_2024-10-02_yttrande_eon_natutvecklingsplan.txt").dnr == ["KS-2024-00619"]
    assert find_dnr("YTTRANDE\nTill Datum\nE.ON 2024-10-02\n\nDiarienummer\nKS-2024-00619\n") == ["KS-2024-00619"]
    assert find_dnr("Remiss\nSBN 475/2022\n") == ["SBN 475/2022"]


def test_a_forms_title_label_alone_over_its_value_gives_the_title():
    doc = real("kungsbacka_ks_projektbestallning_2026-06-09_vallda_20_3.txt")
    assert doc.title == "Detaljplan för bostäder och service inom fastigheten Vallda 20:3 med flera i Vallda"
    header = "PROJEKTBESTÄLLNING\n\nProjektnamn\nNy förskola i Hede\nBeställare\nNamn och roll\n"
    assert find_title(header, "") == "Ny förskola i Hede"


def test_decisions_under_a_subheading_among_the_proposals_are_proposals():
    doc = real("kungsbacka_teknik_2024-01-29_ombudgetering_resultatfonder_2023.txt")
    assert len(doc.proposals) == 1 and len(doc.proposals[0].items) == 6
    assert doc.proposals[0].items[-1].startswith("Nämnden för Teknik godkänner ombudgetering avseende investeringsportföljen")
