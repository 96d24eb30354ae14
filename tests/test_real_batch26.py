"""Extraction rules taught by the seventh HOLDOUT set after its retirement to TUNE (batch 26,
`"retired_holdout": 7` in data/eval/real/gold.json: 28 Kungsbacka documents and 8 Lomma
protocols drawn at random; 340/363 checks right, title 30/36, at its one HOLDOUT measurement under
extract 2026-12-05.5), each pinned on the document that taught it, through the real pipeline, and
on the general form the rule covers. docs/eval-real.md measures them as `tune 26`."""

from __future__ import annotations

from conftest import real

from document import Section
from extract.body import meeting_group
from extract.diary_numbers import listed_dnr
from extract.furniture import is_counter
from extract.matter_lines import join_lines, paragraph_opening
from extract.proposals import without_lead_in
from extract.sections import split_sections


def test_a_bare_lead_in_without_its_colon_and_an_item_dash_glued_to_its_word():
    doc = real("lomma_bun_protokoll_2025-09-02.txt")
    assert doc.matters[0].decision.startswith("-Barn- och utbildningsnämnden har tagit del av informationen")
    assert without_lead_in("Kulturnämnden beslutar följande\n\n-Kulturnämnden antar planen.") == "-Kulturnämnden antar planen."
    assert without_lead_in("Kulturnämnden beslutar att anta planen.\n- Punkt") == "Kulturnämnden beslutar att anta planen.\n- Punkt"


def test_a_page_counter_on_the_section_line_and_the_page_headers_date_are_no_title():
    assert is_counter("Sida 7 av 12") and is_counter("2 (6)") and not is_counter("Sida sju")
    assert paragraph_opening("BUN § 60                            Sida 7 av 12") == (60, "")
    doc = real("lomma_bun_protokoll_2025-09-02.txt")
    sixty = next(m for m in doc.matters if m.paragraph == "§ 60")
    assert sixty.title == "Information - Uppföljning av elevers kunskaper inför fortsatt utbildning"


def test_a_compound_broken_at_its_hyphen_joins_and_a_suspended_hyphen_keeps_its_space():
    assert join_lines(["införande av e-", "förslag"]) == "införande av e-förslag"
    assert join_lines(["kommunstyrelsens analys-", "och kvalitetsrapport"]) == "kommunstyrelsens analys- och kvalitetsrapport"
    assert join_lines(["Budget 2025-", "2029"]) == "Budget 2025-2029"


def test_an_escaped_section_sign_opens_an_extract():
    doc = real("kungsbacka_fg-au_protokollsutdrag_2026-05-07_p54.txt")
    assert doc.doc_type == "protokollsutdrag" and [m.paragraph for m in doc.matters] == ["§ 54"]
    assert doc.matters[0].dnr == ["FG-2026-00269"]
    assert doc.title.startswith("Revidering av Kungsbacka kommuns riktlinje för skolval och skolplacering")


def test_labelled_diary_numbers_in_a_tables_cells_are_listed():
    doc = real("kungsbacka_vo_2024-10-01_anmalan_delegeringsbeslut_oktober.txt")
    assert "VO-2024-00363" in doc.dnr and "VO-2024-00396" in doc.dnr and len(doc.dnr) == 21
    table = "| Diarienummer VO-2024-00363 | Diarienummer VO-2024-00387 |\n| --- | --- |\n| Diarienummer VO-2024-00364 | - |\n"
    assert listed_dnr(table) == ["VO-2024-00363", "VO-2024-00364", "VO-2024-00387"]


def test_a_letter_spaced_protocol_heading_names_the_group_under_it():
    doc = real("kungsbacka_ga_2026-06-02_protokoll_forvaltningssamverkan.txt")
    assert doc.doc_type == "protokoll" and doc.body == "Förvaltningssamverkan Gymnasium & Arbetsmarknad"
    header = "P ROTOKOLL GODKÄNT AV SAMTLIGA NÄRVARANDE FÖRBUND\n\nSamverkansgrupp Kultur & Fritid\n\nTid: Tisdag 2 juni\n"
    assert meeting_group(header) == "Samverkansgrupp Kultur & Fritid"


def test_two_signers_one_with_two_surnames_sign_side_by_side():
    doc = real("kungsbacka_service_2024-01-08_svar_motion_id_kontroller.txt")
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Julia Tryggvadottir Tollesson")
    assert real("kungsbacka_service_2024-01-03_investeringsplan_2025_2034.txt").sections[-1].text.startswith("Julia Tryggvadottir Tollesson")


def test_signers_under_an_empty_distribution_list_sign_and_the_list_stays_empty():
    doc = real("kungsbacka_fg_2026-04-27_skolval_skolplacering_redovisning.txt")
    labels = [s.label for s in doc.sections]
    assert labels[-2:] == ["distribution", "signatures"]
    assert doc.sections[-2].text == "" and doc.sections[-1].text.startswith("Stigert Pettersson Frida Byrsten")
    sections = split_sections("Ärende\n\nText om ärendet.\n\nBeslutet skickas till\n\nAnna Svensson Karin Berg\nFörvaltningschef Verksamhetschef\n")
    assert [s.label for s in sections][-2:] == ["distribution", "signatures"]
    # a distribution list of a body and a unit is no signature
    listed = split_sections("Ärende\n\nText om ärendet.\n\nBeslutet skickas till\n\nKommunstyrelsen\nEkonomiavdelningen\n")
    assert listed[-1] == Section(label="distribution", heading=listed[-1].heading, text="Kommunstyrelsen\nEkonomiavdelningen", start=listed[-1].start)
