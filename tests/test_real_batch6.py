"""Extraction rules taught by the sixth TUNE batch of data/eval/real/ (Kungsbacka nämnder
and years little used before: Vård & Omsorg, Service, Gymnasium & Arbetsmarknad, Miljö &
Hälsoskydd, Förskola & Grundskola, Kultur & Fritid, Teknik; 2024 and 2026 bundles), each
pinned on the document that taught it, through the real pipeline, and on the general
form the rule covers. docs/eval-real.md measures all of them (`tune 6`)."""

from __future__ import annotations

from conftest import proposal_items, real
from document import Section
from extract.diary_numbers import find_dnr
from extract.proposals import extract_proposals, split_items, states_remiss
from extract.sections import split_sections
from extract.title import find_title
from swedish.dnr import dnr_key


def _signatures(name: str) -> str:
    return next((s.text for s in real(name).sections if s.label == "signatures"), "")


# --- proposal items and the deciding body ---------------------------------------------------


def test_a_body_name_goes_on_in_lower_case_after_an_ampersand():
    doc = real("kungsbacka_vo_2024-10-16_riktlinje_riskanalys.txt")  # `Nämnden för Vård & omsorg antar …`
    assert doc.body.lower() == "nämnden för vård & omsorg"
    assert len(proposal_items("kungsbacka_vo_2024-10-16_riktlinje_riskanalys.txt")) == 2
    sections = [Section(label="proposals", heading="Förslag till beslut", text="Nämnden för Kultur & fritid antar planen.", start=0)]
    assert extract_proposals(sections, "")[0].body == "Nämnden för Kultur & fritid"


def test_a_body_name_followed_by_a_preposition_goes_on_the_decision_above():
    items = proposal_items("kungsbacka_teknik_2024-09-05_delarsrapport_augusti.txt")
    assert len(items) == 2
    assert "Kommunstyrelsen på att:" in items[0] and "nyttja medel från sin fond" in items[0]
    assert items[1] == "Nämnden för Teknik förklarar paragrafen omedelbart justerad."
    assert len(split_items("Nämnden godkänner rapporten och vill informera\nKommunstyrelsen om att budgeten hålls.")) == 1
    assert len(split_items("Nämnden godkänner rapporten\nKommunstyrelsen informeras.")) == 2  # a verb: a decision of its own


def test_a_paragraph_stating_the_remiss_is_no_decision():
    items = proposal_items("kungsbacka_service_2024-10-16_svar_motion_fullmaktigesalen.txt")
    assert len(items) == 1 and items[0].startswith("Nämnden för Service anser att motionen är besvarad")
    assert states_remiss("Byggnadsnämnden har beretts tillfälle att yttra sig över remissen.")
    assert not states_remiss("Byggnadsnämnden antar yttrandet.")
    # alone, it stays: a proposal is never emptied
    only = [Section(label="proposals", heading="Förslag till beslut", text="Nämnden har fått tillfälle att yttra sig över motionen.", start=0)]
    assert len(extract_proposals(only, "")[0].items) == 1


# --- metadata ----------------------------------------------------------------------------


def test_a_hyphen_before_an_ampersand_in_the_letterhead_body_is_dropped():
    doc = real("kungsbacka_miljo_2024-09-06_yttrande_apotek.txt")  # `Nämnden för Miljö- & Hälsoskydd`
    assert doc.body == "Nämnden för Miljö & Hälsoskydd"
    assert doc.title.startswith("Yttrande över Socialdepartementets remiss")


def test_a_space_after_the_prefix_dash_of_a_diary_number():
    doc = real("kungsbacka_vo_2026-02-26_semesterbemanning.txt")  # `VO- 2026-00017`
    assert {dnr_key(n) for n in doc.dnr} == {dnr_key("VO-2026-00017")}
    assert [dnr_key(n) for n in find_dnr("Diarienummer\nKS- 2024-00103\n")] == [dnr_key("KS-2024-00103")]


# --- sections ------------------------------------------------------------------------------


def test_a_misspelt_summary_heading_of_a_yttrande():
    doc = real("kungsbacka_miljo_2024-09-06_yttrande_apotek.txt")  # `Sammanfattade inställning`
    summary = next(s for s in doc.sections if s.label == "summary")
    assert summary.heading == "Sammanfattade inställning" and summary.text.startswith("Nämnden för Miljö & Hälsoskydd tillstyrker")


def test_a_subheading_right_after_a_heading_is_a_heading_of_its_own():
    # every printed heading stays a heading (the synthetic corpus's convention too: `Förvaltningens
    # bedömning` / `Buller`); the evaluation reads the empty section with the sub-section after it
    doc = real("kungsbacka_ga_2024-10-03_elevhalsans_organisation.txt")
    labels = [(s.label, s.heading, s.text[:11]) for s in doc.sections]
    at = labels.index(("arende", "Beskrivning av ärendet", ""))
    assert labels[at + 1] == ("other", "Elevhälsans organisation", "Varje skola")
    text = "Förslag till beslut\nNämnden godkänner.\n\nBakgrund\n\nTidigare beslut\nNämnden beslutade år 2020 att ge förvaltningen ett uppdrag om detta.\n"
    sections = split_sections(text)
    assert [(s.label, s.heading) for s in sections][-2:] == [("background", "Bakgrund"), ("other", "Tidigare beslut")]


def test_signers_names_over_roles_are_no_heading():
    # a roles line of 50 characters or more below the names read like a paragraph of prose
    assert _signatures("kungsbacka_vo_2026-02-12_slutrapport_initiativ_signeshus.txt").startswith("Arian Faily")
    assert _signatures("kungsbacka_service_2024-09-19_informationsbeskrivning.txt").startswith("Julia Tryggvadottir Tollesson")
    assert _signatures("kungsbacka_vo_2026-02-26_semesterbemanning.txt").startswith("Arian Faily")


def test_a_signer_unknown_to_the_first_name_list_over_a_role_after_a_list():
    assert _signatures("kungsbacka_miljo_2024-09-06_svar_remiss_apotek.txt").startswith("Felicien Ilunga")
    distribution = next(s for s in real("kungsbacka_miljo_2024-09-06_svar_remiss_apotek.txt").sections if s.label == "distribution")
    assert distribution.text.strip() == "Kommunstyrelsen"


def test_an_unknown_heading_right_over_the_text_is_no_title():
    header = ("YTTRANDE\n\nNämnden för Miljö & Hälsoskydd\n\nDatum\n2024-09-06\nDiarienummer\n2024/3372\n\n"
              "Yttrande över Socialdepartementets remiss: Effektivare tillsyn över apotek\n\nÖvergripande ställning\n\n"
              "Nämnden tillstyrker generellt förslagen i slutbetänkandet och är positiv till förslagna lagändringar. Nämnden ser positivt på dem.")
    assert find_title(header, "Nämnden för Miljö & Hälsoskydd", "YTTRANDE") == "Yttrande över Socialdepartementets remiss: Effektivare tillsyn över apotek"
    # a short subject line over the text, with no other title above it, stays the title
    short = "TJÄNSTESKRIVELSE\n\nDatum\n2024-09-05\nDiarienummer\nTE-2024-00813\n\nDelårsrapport augusti\n\nNämnden godkänner rapporten och vill att den skickas vidare till kommunstyrelsen för kännedom. Den sänds i dag."
    assert find_title(short, "", "TJÄNSTESKRIVELSE") == "Delårsrapport augusti"
