"""Extraction rules taught by the twenty-first TUNE batch (seven Göteborg and Simrishamn PDFs drawn
with the fourth HOLDOUT set's part C; 57/60 checks right on its first run) and by the third HOLDOUT
set after its retirement to TUNE (batch 22, `"retired_holdout": 3` in data/eval/real/gold.json: 33
Kungsbacka documents drawn at random, 339/349 checks right, title 28/33, at its last HOLDOUT
measurement under extract 2026-12-04.7), each pinned on the document that taught it, through the
real pipeline, and on the general form the rule covers. docs/eval-real.md measures them as `tune 21`
and `tune 22`."""

from __future__ import annotations

from conftest import real

from extract.body import addressed_body, meeting_group
from extract.diary_numbers import listed_dnr
from extract.furniture import ends_in_counter
from extract.header import header_blocks
from extract.title import find_title, type_and_addressee


def test_a_subject_line_wrapped_at_the_page_width_goes_on_after_the_blank_line():
    doc = real("kungsbacka_service_2026-08-28_yttrande_aktivitetsytan_onsala_bk.txt")
    assert doc.title == ("Nämnden för Service yttrande över Kultur & Fritids remiss: Aktivitetsytan, remsan "
                         "Onsala BK arrende - kompletterande ritningar")
    # a short subject line followed by a subtitle block stays apart
    header = "TJÄNSTESKRIVELSE\n\nDatum\n2025-01-02\n\nBudget 2026\n\nUnderlag till kommunbudget\n"
    assert find_title(header, "") == "Underlag till kommunbudget"


def test_a_subject_line_ending_in_a_preposition_goes_on_after_the_blank_line_past_an_unfilled_field():
    doc = real("kungsbacka_ks_2025-01-31_yttrande_energi_klimatstrategi_halland.txt")
    assert doc.title == "Yttrande över Länsstyrelsen i Hallands län remiss: Energi- och klimatstrategi för Hallands län"
    header = "YTTRANDE\n\nDiarienummer\n«Diarienr»\nSvar på remiss om regional strategi för\n\nHallands län 2030\n"
    assert find_title(header, "") == "Svar på remiss om regional strategi för Hallands län 2030"


def test_an_initiatives_line_of_type_and_addressee_or_parties_names_no_subject():
    assert real("kungsbacka_miljo_skrivelse_2026-04-14_initiativ_deponier.txt").title.startswith(
        "Utredning avseende kommunens Deponier planerade sanerings- åtgärder och dess kostnader")
    assert real("kungsbacka_teknik_skrivelse_2024-06-19_initiativ_skotselytor.txt").title == (
        "Initiativärende angående – Prioritering av skötselytor")
    assert type_and_addressee("Initiativärende ställd till förvaltningen Miljö och Hälsoskydd.")
    assert type_and_addressee("Initiativärende Liberalerna, Moderaterna, Centerpartiet, Kristdemokraterna")
    assert type_and_addressee("Motion Sverigedemokraterna och Kristdemokraterna")
    assert not type_and_addressee("Initiativärende angående – Prioritering av")
    assert not type_and_addressee("Motion om lustgas")


def test_a_protocol_of_no_known_body_is_of_the_group_under_its_heading():
    doc = real("kungsbacka_ga_2024-02-06_protokoll_forvaltningssamverkan.txt")
    assert doc.body == "Förvaltningssamverkan Gymnasium & Arbetsmarknad"
    assert doc.title == "Förvaltningssamverkan Gymnasium & Arbetsmarknad"
    assert meeting_group("PROTOKOLL\nPensionärsrådet Kungsbacka\nTid: 10.00") == "Pensionärsrådet Kungsbacka"
    assert meeting_group("PROTOKOLL\nTid: 2024-02-06 10.00\n") == ""
    assert meeting_group("TJÄNSTESKRIVELSE\nFörvaltningen för Service\n") == ""


def test_a_nämnds_proposal_till_the_fullmäktige_is_the_nämnds():
    doc = real("kungsbacka_vo_2024-04-04_svar_motion_vardighetsgarantier.txt")
    assert doc.body == "Nämnden för Vård & Omsorg"
    assert doc.proposals[0].body == "Nämnden för Vård & Omsorg"


def test_a_lone_listed_number_followed_by_its_entrys_description_is_the_documents():
    assert "IF-2025-00239" in real("kungsbacka_ifo_2025-11-10_synpunkter_klagomal_november.txt").dnr
    assert "IF-2025-00250" in real("kungsbacka_ifo_2025-10-28_skrivelser_meddelanden_november.txt").dnr
    assert listed_dnr("Sammanfattning\n\nDnr IF-2025-00239. Inkomna klagomål från anhörig.\n") == ["IF-2025-00239"]
    assert listed_dnr("Bilaga\n\nÄrendenummer FFS-2026-00773\n\nText.\n") == []


def test_a_paragraphs_first_line_as_long_as_its_others_is_no_title_over_it():
    doc = real("goteborg_stadsrevisionen_2025-10-14_trygga_offentliga_miljoer.pdf")
    assert doc.title == "Göteborgs Stads arbete med att skapa trygga offentliga miljöer och bostadsområden"
    paragraph = ("Revisorerna och de berörda lekmannarevisorerna har avslutat granskningen av Göteborgs\n"
                 "Stads arbete med att skapa trygga offentliga miljöer och bostadsområden. Granskningen\n"
                 "syftade till att bedöma om ett urval av stadens nämnder och bolag bedriver ett arbete.\n")
    assert header_blocks(paragraph) == [paragraph.strip()]
    # a short subject line over the paragraph stays a block of its own
    assert len(header_blocks("Budget 2026 för nämnden\n" + paragraph)) == 2


def test_a_running_footer_with_a_page_counter_or_a_web_address_is_no_title():
    assert ends_in_counter("Stadsrevisionen, Göteborgs Stads arbete med att skapa trygga offentliga miljöer och bostadsområ- 1 (6)")
    assert not ends_in_counter("1 (6)") and not ends_in_counter("Budget 2026")
    # a cover letter signed, then its OCR'd footer (`QQ` for `@`), then the report's title
    header = ("Rapportsammandrag Göteborgs\nStadsrevisionen Stad\n\nMissiv till granskningen av\narbetet mot hedersrelaterat våld\n"
              "och förtryck\n\nGöteborg den 19 september 2023\n\nJonas Ransgård Torbjörn Rigemar\n\n"
              "Stadsrevisionen, Granskning av arbetet mot hedersrelaterat våld och förtryck 116)\n\n"
              "stadsrevisionenQQstadsrevisionen.goteborg.se\nwww.goteborg.se/stadsrevisionen\n\n"
              "Granskning av arbetet mot\nhedersrelaterat våld och förtryck\n")
    assert find_title(header, "") == "Granskning av arbetet mot hedersrelaterat våld och förtryck"


def test_a_generic_nämnden_in_running_words_is_no_addressee():
    assert real("goteborg_stadsrevisionen_2024-06-12_privata_utforare.pdf").body == ""
    assert addressed_body("… på grund av Rigemars jävsförhållande till nämnden för funktionsstöd.") == ""
    assert addressed_body("Initiativärende till nämnden för Vård & Omsorg") == "Nämnden för Vård & Omsorg"


def test_a_signer_with_the_role_after_a_comma_signs_above_the_e_signing_services_pages():
    doc = real("kungsbacka_miljo_2025-01-02_ordforandebeslut_yttrande_kommunbudget.txt")
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Niclas Nilsson, ordförande")
    distribution = [s for s in doc.sections if s.label == "distribution"]
    assert distribution and "Niclas Nilsson" not in distribution[0].text
