"""Extraction rules taught by the eighth HOLDOUT set after its retirement to TUNE (batch 27,
`"retired_holdout": 8` in data/eval/real/gold.json: 20 Kungsbacka documents and 5 Lomma
protocols drawn at random; 243/262 checks right, body 19/25, at its one HOLDOUT measurement under
extract 2026-12-05.6), each pinned on the document that taught it, through the real pipeline, and
on the general form the rule covers. docs/eval-real.md measures them as `tune 27`."""

from __future__ import annotations

from conftest import real

from document import Section
from extract.body import find_body, spelled_out
from extract.doctype import find_doc_type
from extract.document_date import find_date
from extract.furniture import furniture_lines
from extract.header import is_template_field
from extract.proposals import without_lead_in
from extract.title import find_title
from ingest.layout import strip_furniture


def test_a_reference_in_the_right_margin_is_cut_from_its_line():
    doc = real("lomma_kfn_protokoll_2025-12-08.txt")
    assert "Dokumentreferens" not in doc.text
    titles = {m.paragraph: m.title for m in doc.matters}
    assert titles["§ 67"] == "Information om medarbetarenkäten"
    assert next(m for m in doc.matters if m.paragraph == "§ 65").decision.startswith("- att bifalla utredningens Scenario B")
    page = "Ärendebeskrivning                      Dokumentreferens: 6044_2025121716\nText.\nDokumentreferens: 6044_2025\nMer."
    assert strip_furniture([page]) == ["Ärendebeskrivning\nText.\nMer."]
    kept = "Se Dokumentreferens: bilaga 3 i ärendet."  # in running text, after a single space: words
    assert strip_furniture([kept]) == [kept]


def test_a_bare_lead_in_over_a_paragraph_that_names_the_body_again():
    doc = real("lomma_bun_protokoll_2024-06-18.txt")
    thirty_six = next(m for m in doc.matters if m.paragraph == "§ 36")
    assert thirty_six.decision.startswith("Barn- och utbildningsnämnden beslutar att skolplikten")
    assert without_lead_in("Kulturnämnden beslutar följande:\n\nKulturnämnden antar planen.") == "Kulturnämnden antar planen."
    kept = "Kulturnämnden beslutar följande:\n\nPlanen antas."  # neither a list nor the body again
    assert without_lead_in(kept) == kept


def test_a_bodys_abbreviation_is_spelled_out_by_the_name_the_text_fits_it_to():
    assert real("lomma_bun_protokoll_2024-06-18.txt").body == "Barn- och utbildningsnämnden"
    assert real("lomma_bun_protokoll_2025-09-02.txt").body == "Barn- och utbildningsnämnden"
    text = "Kultur- och fritidsnämnden beslutar att … Kommunstyrelsen noterar … Kultur- och fritidsnämnden godkänner …"
    assert spelled_out("KFN", text) == "Kultur- och fritidsnämnden"
    assert spelled_out("KS", text) == "Kommunstyrelsen"
    assert spelled_out("SBN", text) == "SBN"  # no name of the text fits: the abbreviation stays
    assert spelled_out("Kommunstyrelsen", text) == "Kommunstyrelsen"


def test_a_templates_unfilled_field_and_a_numbered_unit_of_accounts_name_no_body():
    assert real("kungsbacka_ifo_nodate_klassificeringsstruktur.txt").body == ""
    assert is_template_field("[Klicka och skriv beslutsinstans, datum och paragraf]") and is_template_field("«Diarienr»")
    assert not is_template_field("Nämnden för Teknik [2024]")
    assert find_body("Beslutad av:    [Klicka och skriv beslutsinstans, datum och paragraf]\n") == ""
    assert find_body("År           2023\nNämnd        63 SE Fastigheter\n") == ""
    assert find_body("Nämnd        Nämnden för Service\n") == "Nämnden för Service"


def test_a_properties_lines_next_field_ends_the_title():
    assert real("kungsbacka_ifo_nodate_klassificeringsstruktur.txt").title == "Klassificeringsstruktur"
    assert find_title("Dokumentegenskaper: Titel: Riktlinjer för bidrag, Skapat av: Anna Berg\n\nText.", "") == "Riktlinjer för bidrag"


def test_an_administrations_own_statement_is_of_no_deciding_body():
    assert real("kungsbacka_teknik_2026-09-10_yttrande_begravningsplats_sallskapsdjur.txt").body == ""
    # a yttrande whose letterhead names its nämnd keeps it
    assert real("kungsbacka_vo_2026-08-11_yttrande_behovsstyrd_vard.txt").body == "Nämnden för Vård & Omsorg"


def test_signers_over_their_roles_above_a_one_line_footer():
    doc = real("kungsbacka_bygg_2025-03-18_vagnamn_tolo_angar.txt")
    signed = next(section for section in doc.sections if section.label == "signatures")
    assert signed.text.startswith("Andreas Rydholm")
    assert not any(section.label == "other" and "Kartingenjör" in section.heading for section in doc.sections)
    text = "Beslutsunderlag\nKarta\n\nAnna Berg\n\nIngenjör\n\nBygg- och miljöförvaltningen, Kungsbacka kommun • 0300-83 40 00 • info@kungsbacka.se"
    assert furniture_lines(text) == frozenset({7})
    closing = "Med vänliga hälsningar\n\nAnna Berg\nTelefon 0300-83 40 00"  # a lone contact line without a web address
    assert furniture_lines(closing) == frozenset()


def test_a_distribution_heading_that_names_the_document_types_it():
    doc = real("kungsbacka_ks_2023-08-21_fortroendevaldas_arvoden_2024.txt")
    assert doc.doc_type == "skrivelse"
    assert next(s for s in doc.sections if s.label == "distribution").text.startswith("KF, Samtliga nämnder, Kommunalråden")
    sections = [Section("header", "", "Arvoden 2024\n", 0), Section("distribution", "Skrivelsen skickas till", "KF\n", 20)]
    assert find_doc_type("Arvoden 2024\n", "Arvoden 2024", sections, "Arvoden 2024\n") == "skrivelse"
    sections[1] = Section("distribution", "Beslutet skickas till", "KF\n", 20)  # any decision is sent: no type
    assert find_doc_type("Arvoden 2024\n", "Arvoden 2024", sections, "Arvoden 2024\n") == ""


def test_a_cover_pages_title_ends_at_its_author_and_date_lines():
    doc = real("kungsbacka_kultur_2026-08-12_utredning_utomhusscen_badhusparken.txt")
    assert doc.title == "Permanent utomhusscen i Badhusparken"
    cover = "Budgetskrivelse\nför investeringar\n2027-2031\n\f\nText."
    assert find_title(cover, "") == "Budgetskrivelse för investeringar 2027-2031"


def test_a_spreadsheets_repeated_column_labels_and_a_proposal_type_nothing():
    doc = real("kungsbacka_service_resultatdisponering_2023_se_fastigheter.txt")
    assert doc.doc_type == "" and doc.body == ""
    header = "Resultat\nSumma Summa Summa\nförslag till förslag till\nbeslut beslut beslut\n"
    assert find_doc_type(header, "", [Section("header", "", header, 0)], header) == ""


def test_a_lists_row_with_a_date_run_together_or_a_tables_row_is_no_title():
    assert "20240219" not in real("kungsbacka_ga_anstallningar_februari_2024.txt").title
    assert real("kungsbacka_ga_anstallningar_maj_2025.txt").title == ""
    assert find_title("| Namn | Befattning | Anstdatum |\n| --- | --- | --- |\n| Anna Berg | Lärare | 20250505 |\n", "") == ""


def test_revision_dates_joined_by_och_date_the_document_by_the_latest():
    assert find_date("RIKTLINJE\nUppdaterad: 2024-08-28 och 2025-05-02\n\nText.\n") == "2025-05-02"
    assert find_date("RIKTLINJE\nUppdaterad: 2024-08-28, 2025-05-02\n\nText.\n") == "2025-05-02"
