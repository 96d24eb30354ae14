"""Metadata: dnr formats, the document's own date, municipality (also from a stadsdel),
body, type, author and title; and every seed PDF (digital and OCR'd) against its gold."""

from __future__ import annotations

import pytest

from swedish.fold import fold
from extract.body import find_body
from extract.diary_numbers import find_dnr, restore_prefix_diacritic
from extract.document_date import find_date
from extract.metadata import extract_metadata
from extract.municipality import find_municipality
from extract.sections import split_sections
from extract.title import find_title
from extraction_fixtures import gold, processed, seed_variants


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Social- och omsorgsförvaltningen 2022-03-28 Dnr SON 2021-459\nJohn Fristedt Dnr KS 2021-257", ["SON 2021-459", "KS 2021-257"]),
        ("Kommunstyrelsens diarienummer KS 2023/553", ["KS 2023/553"]),
        ("Diarienummer 0934/21", ["0934/21"]),
        ("Ärendenummer: Sbn 475/2022", ["Sbn 475/2022"]),
        ("Arendenummer: Sbn 475/2022", ["Sbn 475/2022"]),
        ("Dnr   MN-2024-3456\nDatum   2024-05-14", ["MN-2024-3456"]),
        ("Dnr: KUN-2024/00087", ["KUN-2024/00087"]),
        ("Dnr 2019-755", ["2019-755"]),
        ("Datum: 2023-11-08\nTelefon: 08-508 03 512", []),
    ],
)
def test_dnr_formats(header, expected):
    assert find_dnr(header) == expected


@pytest.mark.parametrize(
    "dnr, header, expected",
    [
        ("ALN-2023-01234", "Äldreförvaltningen\nÄldrenämnden", "ÄLN-2023-01234"),  # English OCR's A for Ä
        ("OFN 2022/5", "Överförmyndarnämnden", "ÖFN 2022/5"),
        ("AN 2023/12", "Ärendet\nArbetsmarknadsnämnden", "AN 2023/12"),  # `Ärendet` names no body
        ("ABN 2023/12", "Äldrenämnden", "ABN 2023/12"),  # a letter not in the body's name
        ("KS 2023/553", "Äldrenämnden", "KS 2023/553"),
    ],
)
def test_an_ocr_damaged_registry_prefix_gets_its_letter_back_from_the_body_name(dnr, header, expected):
    assert restore_prefix_diacritic(dnr, header) == expected


def test_registry_prefixes_of_clean_text_are_left_as_printed():
    text = "Uppsala kommun\nDnr: ALN-2023-01234\nÄldrenämnden\n\nBeslutsförslag\nÄldrenämnden föreslås besluta\natt godkänna."
    assert extract_metadata(text, split_sections(text)).dnr == ["ALN-2023-01234"]
    assert extract_metadata(text, split_sections(text), ocr_damaged=True).dnr == ["ÄLN-2023-01234"]


def test_date_prefers_a_labelled_date_and_reads_written_dates():
    assert find_date("Beslutad 2020-01-01\nDatum: 2023-11-08") == "2023-11-08"
    assert find_date("Kulturförvaltningen   7 februari 2024") == "2024-02-07"
    assert find_date("Våld i nära relationer, redovisning av utredningsuppdrag") == ""


HEADER_004 = "Handläggare\nLudvig Jansson\nTelefon: 08-50805795\n\nTill\nHässelby-Vällingby\nstadsdelsnämnd\n2023-08-31\n\n"
TITLE_004 = "Remiss Motion om lämna-program för individer i våldsamma relationer"


@pytest.mark.parametrize(
    "title_block",
    [
        f"{TITLE_004}\n\nKommunstyrelsens diarienummer KS 2023/553",
        f"{TITLE_004}\nKommunstyrelsens diarienummer KS 2023/553",  # OCR'd: no blank line after the title
    ],
)
def test_title_is_found_with_or_without_a_gap_before_the_dnr_line(title_block):
    assert find_title(HEADER_004 + title_block, "Hässelby-Vällingby stadsdelsnämnd") == TITLE_004


def test_a_block_with_a_dnr_between_title_lines_is_no_title():
    assert find_title("Socialnämnden\n\nNågot om ärendet\nDnr SON 2021-459\nmer text här", "Socialnämnden") == ""


@pytest.mark.parametrize(
    "header, municipality",
    [
        ("Hässelby-Vällingby stadsdelsförvaltning\nTjänsteutlåtande", "Stockholm"),
        ("Göteborgs Stad Utbildningsförvaltningen", "Göteborg"),
        ("Linkopings   Tjansteskrivelse\nkommun", "Linköping"),
        ("Örebro kommun\nStadsbyggnad", "Örebro"),
        ("UMEÅ KOMMUN   TJÄNSTESKRIVELSE", "Umeå"),
        ("Falu kommun\nSocialförvaltningen", "Falun"),
    ],
)
def test_municipality_from_header(header, municipality):
    assert find_municipality(header, header) == municipality


def test_municipality_from_text_when_the_header_has_none():
    text = "Synpunkter har inhämtats från Linköpings Stadsmission. Läs mer på www.linkoping.se."
    assert find_municipality("Social- och omsorgsförvaltningen", text) == "Linköping"


@pytest.mark.slow
@pytest.mark.parametrize("name, variant", seed_variants())
def test_seed_metadata_matches_gold(name, variant):
    doc = processed(name, variant)
    expected = gold(name)["metadata"]
    assert sorted(doc.dnr) == sorted(expected["dnr"])
    assert doc.date == expected["date"]
    assert doc.municipality == expected["municipality"]
    assert fold(doc.body) == fold(expected["body"])
    assert doc.doc_type == expected["doc_type"]
    assert fold(doc.author) == fold(expected["author"])


def test_cover_page_title_and_body_field():
    """A report's cover page of title lines gives its title (type word included); a body
    field among other `Label: value` fields on one line gives its body."""
    header = (
        "Budgetskrivelse\nför investeringar\n2027-2031\n\f\nBudgetskrivelse för\ninvesteringar 2027-2031\n"
        "Status: Påbörjad Rapportperiod: 2027-12-31 Organisation: Kultur- och fritidsnämnden\n\f\n"
        "Projekt (1) - Korsavadanl Projektbeskrivning (6289)"
    )
    assert find_title(header, "") == "Budgetskrivelse för investeringar 2027-2031"
    assert find_body(header) == "Kultur- och fritidsnämnden"
    assert find_body("Organisation och ledning\nRapport om styrningen") == ""


def test_recipients_reference_lines_are_no_title():
    """A yttrande's letterhead gives the recipient's own number under `Ert diarienummer`:
    neither the label nor the number (a line without a letter) is part of the title."""
    header = (
        "YTTRANDE\nKommunstyrelsen\nTill Datum\nLänsstyrelsen i Hallands län 2023-12-14\n\n"
        "Diarienummer\nErt diarienummer\nKS-2023-00679\n511-2413-16\n"
        "Yttrande över Länsstyrelsens remiss: Förslag till beslut och skötselplan\nför Särö Nordanskogs naturreservat\n"
    )
    assert find_title(header, "Kommunstyrelsen", "YTTRANDE") == (
        "Yttrande över Länsstyrelsens remiss: Förslag till beslut och skötselplan för Särö Nordanskogs naturreservat"
    )


def test_a_long_subject_line_with_a_full_stop_before_the_first_heading_is_the_title():
    header = (
        "TJÄNSTESKRIVELSE\n\nDatum\n2023-12-20\nDiarienummer\nGA-2023-00143\n\n"
        "Svar på motion från Ermin Škorić (S), Shabnam Zamani (S) och Johan Tolinsson (S)\n"
        "om elevresor till Förintelsens minnesplatser för att förebygga antisemitism, rasism\n"
        "och stärka demokratiska värden.\n"
    )
    title = find_title(header, "", "TJÄNSTESKRIVELSE")
    assert title.startswith("Svar på motion från Ermin Škorić (S)") and title.endswith("stärka demokratiska värden")
    # a reference of letters and digits (a ministry's number) is no title line
    assert find_title("YTTRANDE\n\nDiarienummer\nKS-2023-00713\nFi2023/02375\nYttrande över remissen om övergångsrestriktioner\n", "", "YTTRANDE") == (
        "Yttrande över remissen om övergångsrestriktioner")
