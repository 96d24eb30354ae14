"""Extraction rules taught by the fourteenth TUNE batch of data/eval/real/ (twelve Kungsbacka
documents drawn at random from 2024–2026 bundles of twelve nämnder; 93.9 % of its checks right on
its first run), each pinned on the document that taught it, through the real pipeline, and on the
general form the rule covers. docs/eval-real.md measures all of them (`tune 14`)."""

from __future__ import annotations

from conftest import real

from document import Section
from extract.body import decided_body, served_body
from extract.doctype import find_doc_type
from extract.title import find_title


def test_an_ordforandebeslut_is_a_decision_under_delegation_of_its_subjects_body():
    doc = real("kungsbacka_vo_2024-05-06_ordforandebeslut_deltagande.txt")
    assert doc.doc_type == "delegationsbeslut"
    assert doc.body == "Nämnden för Vård & Omsorg"
    assert find_doc_type("ORDFÖRANDEBESLUT\n\nDatum\n2024-05-06\n", "Ordförandebeslut - deltagande", [], "") == "delegationsbeslut"
    decision = [Section("decision", "Beslut", "Nämnden för Teknik medger att ledamöterna deltar.\n", 0)]
    assert decided_body(decision) == "Nämnden för Teknik"
    assert decided_body([Section("decision", "Beslut", "Ordföranden medger deltagande.\n", 0)]) == ""


def test_an_administrations_genitive_is_not_the_bodys_name():
    assert real("kungsbacka_ga_2024-09-06_krankande_behandling.txt").body == "Nämnden för Gymnasium & Arbetsmarknad"
    assert served_body("Förvaltningen för Gymnasium & Arbetsmarknads tjänsteskrivelse, 2024-09-06") == "Nämnden för Gymnasium & Arbetsmarknad"
    assert served_body("Förvaltningen för Service\nAnna Berg") == "Nämnden för Service"
    assert served_body("Förvaltningen för Teknik och nämnden") == "Nämnden för Teknik"


def test_a_one_word_heading_under_a_long_subject_line_is_no_title():
    doc = real("kungsbacka_bygg_2026-08-18_granskningsutlatande_gottskarsvagen.txt")
    assert doc.title.startswith("Granskningsutlåtande för detaljplan för del av Gottskärsvägen")
    header = ("GRANSKNINGSUTLÅTANDE\n\nDatum\n2026-08-18\n\nGranskningsutlåtande för detaljplan för Hede 3:4\n\nGenomförande\n\n"
              "Byggnadsnämnden beslöt den 1 juni 2026 att genomföra granskning för detaljplaneförslaget, som har varit utställt.\n")
    assert find_title(header, "") == "Granskningsutlåtande för detaljplan för Hede 3:4"
    # a one-word subject line keeps its title
    text = ("Nämnden redovisar ett överskott på tre miljoner kronor för perioden januari till augusti, vilket\n"
            "beror på vakanser. Prognosen för helåret är ett överskott på en miljon kronor.\n")
    assert find_title("Datum\n2026-08-18\n\nDelårsbokslut\n\n" + text, "") == "Delårsbokslut"
    assert find_title("Datum\n2026-08-18\n\nUppföljning av lokalresursplanen 2026\n\nFörutsättningar\n\n" + text, "") == "Uppföljning av lokalresursplanen 2026"
