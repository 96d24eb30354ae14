"""Extraction rules taught by the third TUNE batch of data/eval/real/ (Kungsbacka's nämnden
för Teknik, Kommunstyrelsen and its arbetsutskott, Förskola & Grundskola and its
arbetsutskott, Individ & Familjeomsorg), each pinned on the document that taught it,
through the real pipeline, and on the general forms the rule covers (other
municipalities write `Beslutsförslag`, `Kommunstyrelsen föreslår kommunfullmäktige
besluta`, `a)` lists …). docs/eval-real.md measures all of them (`tune 3`)."""

from __future__ import annotations

from conftest import proposal_items, real
from document import NormalizedDocument, Section
from extract import extract
from extract.body import addressed_body, find_body
from extract.proposals import decision_subject, extract_proposals, proposed_to, split_items
from extract.title import find_title


def _proposals(text: str, heading: str = "Förslag till beslut", default: str = "") -> list[tuple[str, list[str]]]:
    sections = [Section(label="proposals", heading=heading, text=text, start=0)]
    return [(p.body, p.items) for p in extract_proposals(sections, default)]


def _doc(text: str):
    return extract(NormalizedDocument(doc_id="x", source="x.txt", file_type="txt", text=text, pages=[]))


# --- proposal items ----------------------------------------------------------------------


def test_markdown_escaped_dashes_are_list_marks():
    items = proposal_items("kungsbacka_fg_2025-09-23_lokalbehov_2027_2031.txt")
    assert len(items) == 4 and all(item.startswith("att godkänna behovsbeskrivning") for item in items)
    assert real("kungsbacka_fg_2025-09-23_lokalbehov_2027_2031.txt").body == "Nämnden för Förskola & Grundskola"
    assert split_items("Nämnden beslutar:\n\\-  att godkänna A\n\n\\-  att godkänna B") == ["att godkänna A", "att godkänna B"]
    assert split_items("1\\. Nämnden godkänner A.\n2\\. Nämnden godkänner B.") == ["Nämnden godkänner A.", "Nämnden godkänner B."]


def test_a_blank_line_inside_a_decision_does_not_split_it():
    items = proposal_items("kungsbacka_teknik_2025-09-26_overtagande_va_lerberg.txt")
    assert len(items) == 2
    assert "vatten och spillvatten från Lerbergs" in items[0]
    assert items[1].startswith("Nämnden för Teknik uppdrar åt förvaltningen")


def test_lists_numbered_without_a_full_stop_or_lettered_count_from_the_first():
    assert split_items("1 Kommunstyrelsen godkänner rapporten.\n2 Paragrafen justeras omedelbart.") == [
        "Kommunstyrelsen godkänner rapporten.", "Paragrafen justeras omedelbart."]
    assert split_items("a) Nämnden godkänner rapporten.\nb) Nämnden lägger den till handlingarna.") == [
        "Nämnden godkänner rapporten.", "Nämnden lägger den till handlingarna."]
    # a line that begins with an amount is no list point
    assert len(split_items("Nämnden godkänner att ersättning om\n3 211 005 kr betalas till föreningen.")) == 1
    assert split_items("2 Nämnden godkänner A.\n3 Nämnden godkänner B.")[0].startswith("2 Nämnden")  # not counted from 1


def test_capitalised_att_clauses_are_items_and_att_is_no_body():
    assert _proposals("Att kommunstyrelsen godkänner rapporten\nAtt rapporten läggs till handlingarna", heading="Beslutsförslag") == [
        ("Kommunstyrelsen", ["Att kommunstyrelsen godkänner rapporten", "Att rapporten läggs till handlingarna"])]
    assert decision_subject("att kommunstyrelsen godkänner rapporten") == "Kommunstyrelsen"
    assert decision_subject("Att godkänna rapporten.") == ""


# --- the deciding body -------------------------------------------------------------------


def test_a_proposal_to_kommunfullmaktige_is_for_kommunfullmaktige():
    doc = real("kungsbacka_ks_2025-02-25_arsredovisning_2024.txt")
    assert doc.body == "Kommunfullmäktige"
    assert len(proposal_items("kungsbacka_ks_2025-02-25_arsredovisning_2024.txt")) == 2
    assert real("kungsbacka_ks_2024-12-10_underlag_kommunbudget_2026.txt").body == "Kommunstyrelsen"


def test_the_body_proposed_to_decides():
    assert proposed_to("Kommunstyrelsen föreslår kommunfullmäktige") == "Kommunfullmäktige"
    assert proposed_to("Utbildningsnämnden föreslår att kommunfullmäktige") == "Kommunfullmäktige"
    assert proposed_to("Nämnden hemställer hos kommunstyrelsen") == "Kommunstyrelsen"
    assert proposed_to("Kommunfullmäktiges presidium föreslår att fullmäktige") == "Kommunfullmäktige"
    assert proposed_to("Socialnämnden") == "Socialnämnden"
    assert _proposals("Kommunstyrelsen föreslår kommunfullmäktige besluta\n1. att anta planen\n2. att upphäva den gamla", heading="Beslutsförslag") == [
        ("Kommunfullmäktige", ["att anta planen", "att upphäva den gamla"])]
    assert _proposals("Kommunstyrelsen föreslår kommunfullmäktige besluta att anta planen.")[0][0] == "Kommunfullmäktige"
    # the heading names the body: the subject's proposal to another is this body's decision
    assert _proposals("Kommunstyrelsen föreslår kommunfullmäktige att anta planen.", heading="Förslag till beslut i kommunstyrelsen")[0][0] == "Kommunstyrelsen"
    # a body's own `föreslår` in the middle of an item is not its subject's
    assert decision_subject("Nämnden för Teknik godkänner rapporten som föreslår att kommunstyrelsen beslutar.") == "Nämnden för Teknik"


def test_intro_lines_of_other_forms():
    assert _proposals("Kommunstyrelsen föreslås besluta följande:\n1. Rapporten godkänns.\n2. Rapporten läggs till handlingarna.")[0] == (
        "Kommunstyrelsen", ["Rapporten godkänns.", "Rapporten läggs till handlingarna."])
    assert _proposals("Kommunstyrelsen beslutar för egen del\n1. att godkänna rapporten\n\nKommunstyrelsen föreslår kommunfullmäktige besluta\n2. att anta planen") == [
        ("Kommunstyrelsen", ["att godkänna rapporten"]), ("Kommunfullmäktige", ["att anta planen"])]
    # a generic `Nämnden` opens the list but names no body: the document's own one decides
    assert _proposals("Nämnden föreslås besluta\natt godkänna rapporten\natt lägga den till handlingarna",
                      heading="Förvaltningens förslag till beslut", default="Vård- och omsorgsnämnden")[0][0] == "Vård- och omsorgsnämnden"


def test_a_generic_body_in_the_heading_names_none():
    assert _proposals("Nämnden godkänner rapporten.", heading="Förslag till nämnden", default="Socialnämnden")[0][0] == "Socialnämnden"
    assert _proposals("Nämnden godkänner rapporten.", heading="Förslag till beslut i nämnden")[0][0] == ""


def test_body_names_with_a_suspended_first_part():
    assert find_body("Kultur- och fritidsnämndens arbetsutskott\n\nRapport") == "Kultur- och fritidsnämndens arbetsutskott"
    assert find_body("Samhällsbyggnadsförvaltningen\nTjänsteskrivelse\nMottagare: Bygg- och miljönämnden\n\nRapport") == "Bygg- och miljönämnden"
    assert addressed_body("Ärende till Barn- och utbildningsnämnden\n\nRapport") == "Barn- och utbildningsnämnden"
    assert find_body("Vård- och omsorgsförvaltningen\nTjänsteskrivelse\n\nRapport") == ""  # an administration is no body


def test_lower_case_body_in_the_heading_and_subject():
    assert real("kungsbacka_teknik_2025-09-26_overtagande_va_lerberg.txt").body == "Nämnden för Teknik"
    assert real("kungsbacka_teknik_2025-10-01_omfordelning_underportfoljer.txt").body == "Nämnden för Teknik"
    assert real("kungsbacka_fg_2025-09-23_skolpliktsuppfoljning.txt").body == "Nämnden för Förskola & Grundskola"


# --- title -------------------------------------------------------------------------------


def test_a_subject_ending_in_the_municipality_is_a_title_not_a_letterhead():
    assert real("kungsbacka_ks_2025-02-25_arsredovisning_2024.txt").title == "Årsredovisning 2024 för Kungsbacka kommun"
    assert find_title("TJÄNSTESKRIVELSE\n\nDatum\n2025-02-25\n\nÅrsredovisning 2024 för Kungsbacka kommun", "") == "Årsredovisning 2024 för Kungsbacka kommun"
    assert find_title("Kungsbacka kommun\n\nTaxa för bygglov", "") == "Taxa för bygglov"


# --- dnr ---------------------------------------------------------------------------------


def test_a_doubled_series_prefix_is_one_number():
    assert real("kungsbacka_ifo_2025-10-03_lokalbehov_barnboende.txt").dnr == ["IF-2025-00246"]
    assert real("kungsbacka_fg_2025-09-23_skolpliktsuppfoljning.txt").dnr == ["2025-00565"]


# --- sections ----------------------------------------------------------------------------


def test_signatures_before_a_table_that_the_page_ends_with():
    doc = real("kungsbacka_teknik_2025-10-01_omfordelning_underportfoljer.txt")
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Ulrika Granfors")


def test_the_signers_unit_opens_the_signature_block():
    doc = real("kungsbacka_ks_2024-12-10_underlag_kommunbudget_2026.txt")
    (distribution,) = [s for s in doc.sections if s.label == "distribution"]
    (signatures,) = [s for s in doc.sections if s.label == "signatures"]
    assert distribution.text == "Budgetberedningen"
    assert signatures.text.startswith("Kommunledningskontoret Styrning & Ekonomi")


# --- protocol extracts of an arbetsutskott -----------------------------------------------


def test_a_bare_proposal_heading_holds_an_arbetsutskott_s_decision():
    doc = real("kungsbacka_fg-au_protokollsutdrag_2025-10-02_p91.txt")
    assert doc.body == "Förskola & Grundskola arbetsutskott"
    (matter,) = doc.matters
    assert matter.paragraph == "§ 91" and matter.dnr == ["FG-2025-00565"]
    assert matter.decision.startswith("Nämnden för Förskola & Grundskola har tagit del av rapporten")
    assert len(matter.items) == 2
    # `Förslag till beslut under sammanträdet` holds the yrkanden, not a proposal
    assert matter.motions.startswith("Ordförande Emanuel Forsell (M) yrkar")
    assert any(s.label == "yrkanden" for s in doc.sections)


def test_kommunstyrelsens_arbetsutskott_extracts():
    doc = real("kungsbacka_ks-au_protokollsutdrag_2025-01-07_p3.txt")
    assert doc.body == "Kommunstyrelsens arbetsutskott" and doc.doc_type == "protokollsutdrag"
    (matter,) = doc.matters
    assert matter.decision.startswith("Kommunstyrelsen godkänner underlag till kommunbudget 2026")
    assert matter.motions.startswith("Magdalena Sundqvist (S) yrkar")
    (matter,) = real("kungsbacka_ks-au_protokollsutdrag_2025-03-04_p66.txt").matters
    assert matter.decision.startswith("Kommunfullmäktige godkänner Årsredovisning 2024")


def test_a_synthetic_letter_with_a_proposal_to_fullmaktige():
    text = ("Kommunledningsförvaltningen\nTjänsteskrivelse\n2024-09-01\nKS 2024/300\n\nSvar på motion om solceller\n\n"
            "Förslag till beslut\nKommunstyrelsen föreslår kommunfullmäktige besluta\natt motionen anses besvarad.\n\nÄrendet\nEn motion har lämnats in.\n")
    doc = _doc(text)
    assert doc.body == "Kommunfullmäktige"
    assert [p.items for p in doc.proposals] == [["att motionen anses besvarad."]]
