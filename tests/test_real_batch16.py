"""Extraction rules taught by the sixteenth TUNE batch of data/eval/real/ (twelve Kungsbacka
documents drawn at random from 2024–2026 bundles; 96.7 % of its checks right on its first run),
each pinned on the document that taught it, through the real pipeline, and on the general form
the rule covers. docs/eval-real.md measures all of them (`tune 16`)."""

from __future__ import annotations

from conftest import real

from extract.body import find_body
from extract.title import find_title


def test_the_subject_line_under_the_templates_labels_is_the_title():
    # no known heading: the header holds the whole text, whose own layout (`Föreslagna ändringar` /
    # `2.3.13 33 kap. 6 § SoL …`) follows the subject line
    doc = real("kungsbacka_ifo_2026-09-01_delegeringsforteckning_andringar.txt")
    assert doc.title == "Revidering av nämndens delegeringsförteckning – september 2026 – föreslagna ändringar med kommentarer"
    header = ("TJÄNSTESKRIVELSE\n\nDatum\n2026-09-01\nDiarienummer\nIF-2025-00297\n\nÄndringar i delegeringsförteckningen\n\n"
              "Föreslagna ändringar\nNuvarande lydelse\n\n2.3.13 Beslut om att efterge ersättningsskyldighet\n- Upp till ett halvt prisbasbelopp VC\n\n"
              "Föreslagen lydelse\n\n2.3.13 Beslut om att avstå från ett krav på ersättning\n- Upp till ett halvt prisbasbelopp VC\n")
    assert find_title(header, "") == "Ändringar i delegeringsförteckningen"
    # one block between the labels and the subject line is the letterhead's, not the text's layout
    letterhead = "Datum\n2026-09-01\nDiarienummer\nKS-2026-00010\n\nAvdelning Plan och Bygg\n\nRemiss om detaljplan för Hede 3:4\n"
    assert find_title(letterhead, "") == "Remiss om detaljplan för Hede 3:4"


def test_a_printed_emails_subject_is_its_title_and_its_list_of_bodies_names_none():
    doc = real("kungsbacka_fg_2024-05-17_epost_begaran_om_yttrande.txt")
    assert doc.title == "Begäran om yttrande - En trygg uppväxt utan nikotin, alkohol och lustgas"
    assert doc.body == ""
    email = "Från: kommun@kungsbacka.se\nÄmne: Begäran om yttrande - Riktlinje för\nbisysslor (KS-2024-00100)\nBifogade filer: riktlinje.pdf\n"
    assert find_title(email, "") == "Begäran om yttrande - Riktlinje för bisysslor"
    listing = "Berörda nämnder\n\nNämnden för Kultur & Fritid\nNämnden för Teknik\nNämnden för Service\n"
    assert find_body(listing) == ""
    assert find_body("Kommunstyrelsen\nKommunstyrelsens arbetsutskott\n") == "Kommunstyrelsen"  # two are no list
