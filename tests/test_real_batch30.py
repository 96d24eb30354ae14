"""Extraction rules taught by the eleventh HOLDOUT set after its retirement to TUNE (batch 30,
`"retired_holdout": 11` in data/eval/real/gold.json: 20 Kungsbacka documents and 5 Lomma protocols
drawn at random; 240/255 checks right, date 21/25 and municipality 21/25, at its one HOLDOUT
measurement under extract 2026-12-05.8), each pinned on the document that taught it, through the
real pipeline, and on the general form the rule covers. docs/eval-real.md measures them as
`tune 30`."""

from __future__ import annotations

from conftest import real

from document import Section
from extract.doctype import find_doc_type
from extract.document_date import find_date
from extract.proposals import without_lead_in
from extract.title import find_title
from ingest.layout import strip_furniture


def test_the_margin_reference_in_english_is_cut_too():
    doc = real("lomma_kfn_protokoll_2026-03-23.txt")
    assert "Document reference" not in doc.text
    assert next(m for m in doc.matters if m.paragraph == "§ 16").title == "Övriga inkomna frågor"
    page = "§9           KFN/2026:21                      Document reference: 0875d9d3-f5b6-3539\nText."
    assert strip_furniture([page]) == ["§9           KFN/2026:21\nText."]


def test_a_misprinted_genitive_lead_in_is_bare_too():
    doc = real("lomma_sn_protokoll_2026-03-24.txt")
    assert next(m for m in doc.matters if m.paragraph == "§ 21").decision.startswith("- att fastställa plan för intern kontroll")
    assert without_lead_in("Socialnämndens beslutar:\n- att fastställa planen") == "- att fastställa planen"


def test_a_heading_naming_a_kind_outside_the_list_keeps_weaker_evidence_from_typing_it():
    doc = real("kungsbacka_bygg_2026-09-08_granskningsutlatande_skorvalla_1-116.txt")
    assert doc.doc_type == "" and doc.body == "Byggnadsnämnden"
    header = "GRANSKNINGSUTLÅTANDE\nDatum\n2026-09-08\n"
    text = header + "\nSynpunkterna i denna skrivelse gäller planen.\n"
    assert find_doc_type(header, "", [Section("header", "", header, 0)], text) == ""
    plain = "Planen\n"
    assert find_doc_type(plain, "", [Section("header", "", plain, 0)], plain + "\nI denna skrivelse föreslås …\n") == "skrivelse"


def test_a_period_dates_no_document_and_a_row_of_column_labels_is_no_title():
    doc = real("kungsbacka_fg_nodate_inkomna_skrivelser_2024-09-09_2024-10-07.txt")
    assert doc.title == "Inkomna skrivelser för tiden 2024-09-09 -- 2024-10-07" and doc.date == ""
    assert real("kungsbacka_fg_nodate_delegeringsbeslut_ciceron_2025-01-14_2025-02-06.txt").date == ""
    assert find_date("Rapport för perioden 2025-01-14 – 2025-02-06\n") == ""
    assert find_date("TJÄNSTESKRIVELSE\nDatum 2025-03-01\nAvser 2025-01-14 -- 2025-02-06\n") == "2025-03-01"
    header = "Lista för tiden 2024-09-09 -- 2024-10-07\n\nDok.nr DiarieNr Datum Beskrivning Handläggare Enhet\n\n| 1 | 2 |\n"
    assert find_title(header, "") == "Lista för tiden 2024-09-09 -- 2024-10-07"
