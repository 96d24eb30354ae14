"""Extraction rules taught by the eleventh TUNE batch of data/eval/real/ (Kungsbacka single-matter
documents drawn at random within 2024–2025 bundles not used before: Vård & Omsorg, Kultur & Fritid,
Byggnadsnämnden and its arbetsutskott, Kommunstyrelsen and its arbetsutskott, Individ &
Familjeomsorg, Service, Miljö & Hälsoskydd), each pinned on the document that taught it, through
the real pipeline, and on the general form the rule covers. docs/eval-real.md measures all of them
(`tune 11`)."""

from __future__ import annotations

from conftest import real
from extract.body import find_body
from extract.diary_numbers import find_dnr, listed_dnr
from extract.title import find_title


# --- a steering document's properties: its title and the body that decides it ---------------


def test_the_title_a_field_of_document_properties_names():
    # a cover with the title spread by wide spaces, then `Dokumentegenskaper: Titel: …`; page 2
    # opens with a heading of its own (`Riktlinjer för bedömning av …:`), no title
    doc = real("kungsbacka_bygg_2025-02-20_riktlinjer_sammanhallen_bebyggelse.txt")
    assert doc.title == "Riktlinjer för tolkning av begreppet sammanhållen bebyggelse"
    cover = ("Policy för\n\nInköp\n\nDokumentegenskaper: Titel: Policy för inköp och upphandling\n"
             "Beslutad av:    Kommunfullmäktige\n\nSyfte med policyn\n\n"
             "Policyn ska ge kommunen stöd när varor och tjänster köps in till verksamheterna.\n")
    assert find_title(cover, "") == "Policy för inköp och upphandling"
    assert find_title("Titel: Riktlinje för bisysslor\nDiarienummer: KS 2024/12\n", "") == "Riktlinje för bisysslor"
    # a `titel` in running words is no field
    assert find_title("Anställning med titel: chef\n\nRiktlinje för bisysslor\n", "") != "chef"


def test_a_decided_by_field_ends_its_body_at_a_comma():
    # `Beslutad av:    Byggnadsnämnden, XXXX § XXX` (the decision's § not yet filled in)
    assert real("kungsbacka_bygg_2025-02-20_riktlinjer_sammanhallen_bebyggelse.txt").body == "Byggnadsnämnden"
    assert find_body("Beslutad av:    Nämnden för Vård & Omsorg, Dnr VO-2023-00265, 2024-03-21\n") == "Nämnden för Vård & Omsorg"
    assert find_body("Beslutad av: Kommunfullmäktige 4 april 2023 § 46, KS 2022-00291\n") == "Kommunfullmäktige"


# --- a report of delegation decisions --------------------------------------------------------


def test_a_list_of_delegation_decisions_led_by_numbers_without_dnr():
    # `Dnr IF-2025-00017. Placeringsavtal …` lines, then `AVTAL-2025-00385. Handledning öppenvård`
    doc = real("kungsbacka_ifo_2025-08-29_anmalan_delegeringsbeslut.txt")
    assert {"AVTAL-2025-00385", "AVTAL-2025-00386", "IF-2023-00003", "IF 2025-00018"} <= set(doc.dnr)
    assert not any("09865" in number or "29980" in number for number in doc.dnr)  # IVO's numbers
    listing = ("Avtal\n\nDnr SE-2025-00017. Hyresavtal, Fastigheter\nAVTAL-2025-00012. Leasingavtal fordon\n"
               "Övrigt\nDnr SE-2025-00031. Fullmakt\n")
    assert listed_dnr(listing) == ["SE-2025-00017", "SE-2025-00031", "AVTAL-2025-00012"]
    # without a list of `Dnr` lines a line led by a number is not taken for one of the document's
    assert listed_dnr("AVTAL-2025-00012. Leasingavtal fordon\n") == []
    assert find_dnr("TJÄNSTESKRIVELSE\nDiarienummer\nSE-2025-00111\n", "Ett avtal.\nKS 2024-00012. Fel.\n") == ["SE-2025-00111"]
