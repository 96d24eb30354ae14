"""Extraction on real municipal documents (issue 12): the shared set
(/work/shared/real/documents) and the TUNE documents of data/eval/real/, each rule
pinned on the document that taught it. Text files only, through the real pipeline
(a fraction of a second each); docs/eval-real.md measures all of them, PDFs included."""

from __future__ import annotations


import pytest

from conftest import proposal_items, real
from extract.body import addressed_body, find_body, proposal_body, served_body
from extract.diary_numbers import find_dnr
from extract.document_date import find_date
from extract.furniture import furniture_lines
from extract.municipality import find_municipality
from extract.proposals import decision_subject, split_items
from extract.sections import heading_label, split_sections
from extract.title import find_title
from swedish.fold import fold



def section(name: str, label: str):
    return next(s for s in real(name).sections if s.label == label)


# --- title -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, title",
    [
        # the subject line, not the att-sats under the proposal heading
        ("kungsbacka_bn_tjansteskrivelse_2024-00124_deltagande_aktivitet.txt", "Godkännande av deltagande i aktivitet"),
        # broken over two lines, then a blank line
        ("kungsbacka_ks_2024-10-18_remittering_priser_utmarkelser.txt",
         "Remittering av förslag om översyn av interna och externa priser och utmärkelser i Kungsbacka kommun"),
        ("kungsbacka_miljo_2025-02-26_ts_yttrande_strategi_bmf.txt",
         "Yttrande till byggnadsnämnden avseende beslut om antagande av reviderad Strategi 2024–2027"),
        # a title above a paragraph of prose, not the paragraph
        ("kungsbacka_kultur_2025-06-03_sammanstallning_delegeringsbeslut.txt", "Sammanställning av delegeringsbeslut 2025-06-03 – 2025-08-13"),
        # a protocol extract of one §: the § title
        ("kungsbacka_bn_protokollsutdrag_2023-12-14_p242.txt", "Initiativ från Marianne Wallengren (M) m.fl. om förenkling och förbättringar"),
    ],
)
def test_title_is_the_subject_line(name, title):
    assert real(name).title == title


def test_a_protocol_with_a_cover_is_titled_by_its_heading_and_body():
    assert real("kungsbacka_fg_protokoll_2025-08-20.md").title == "Sammanträdesprotokoll – Nämnden för Förskola & Grundskola"


# --- deciding body ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, body",
    [
        ("kungsbacka_bn_tjansteskrivelse_2024-00134_remiss_areella_naringar.txt", "Byggnadsnämnden"),  # `Förslag till beslut i byggnadsnämnden`
        ("kungsbacka_kultur_2025-02-24_info_region_halland_kulturplan.txt", "Nämnden för Kultur & Fritid"),  # the item says only `Nämnden`
        ("kungsbacka_fg_2025-08-05_justering_grundbelopp.txt", "Nämnden för Förskola & Grundskola"),  # the att-sats subject
        ("kungsbacka_miljo_2025-02-26_yttrande_strategi_bmf.txt", "Nämnden för Miljö & Hälsoskydd"),  # the letterhead
        ("kungsbacka_miljo_2025-02-24_aterrapportering_bn_arsredovisning.txt", "Nämnden för Miljö & Hälsoskydd"),  # not Byggnadsnämnden, named more often
    ],
)
def test_deciding_body(name, body):
    assert fold(real(name).body) == fold(body)


@pytest.mark.parametrize(
    "header, body",
    [
        ("Protokoll 2/2023\n\nOrgan Rådet för funktionshindrade\nSammanträdestid 24.5.2023", "Rådet för funktionshindrade"),
        ("Initiativärende\nTill: Nämnden för Vård & Omsorg\nFrån: Sverigedemokraterna", "Nämnden för Vård & Omsorg"),
        ("TJÄNSTESKRIVELSE\n\nVal av ersättare till utskott", ""),  # a title ending in a body word is no body line
    ],
)
def test_body_in_the_letterhead(header, body):
    assert find_body(header) == body


def test_body_from_what_else_the_document_says():
    assert addressed_body("Initiativärende till nämnden för Vård & Omsorg angående hemtjänst") == "Nämnden för Vård & Omsorg"
    assert served_body("Förvaltningen för Vård & Omsorg\n434 81 Kungsbacka") == "Nämnden för Vård & Omsorg"
    assert served_body("Kommunstyrelsens förvaltning föreslår …") == "Kommunstyrelsen"
    assert served_body("Bygg- och miljöförvaltningen") == ""  # serves two bodies: unknown
    assert decision_subject("Miljö- och hälsoskyddsnämnden godkänner rapporten.") == "Miljö- och hälsoskyddsnämnden"
    text = "Titel\n\nFörslag till beslut i kommunfullmäktige\nKommunfullmäktige antar planen.\n\nFörslag till beslut i kommunstyrelsen\nKommunstyrelsen föreslår kommunfullmäktige att anta planen.\n"
    assert proposal_body(split_sections(text)) == "Kommunstyrelsen"  # not the fullmäktige it proposes to


def test_a_letter_without_a_dated_letterhead_is_dated_where_it_is_signed():
    assert find_date("Initiativärende", text="Initiativärende\n\nText.\n\nKungsbacka den 7 maj 2024\n\nAnna Andersson (SD)") == "2024-05-07"
    assert find_date("Initiativärende", text="Vi ses den 7 maj 2024 i stadshuset.") == ""


def test_the_title_stands_before_the_text():
    header = "Initiativärende\n\nRätt kurva för Kungsbacka\n\nVi har länge sett att vägen brister. Därför föreslår vi en ny kurva.\n\nSverigedemokraterna"
    assert find_title(header, "") == "Rätt kurva för Kungsbacka"
    assert find_title("TJÄNSTESKRIVELSE\n\nDatum\n2026-01-05\nDiarienummer\nGA-2026-00001\nBudget 2027", "") == "Budget 2027"


# --- proposals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Förslag till beslut i byggnadsnämnden", "Förslag till beslut i nämnden för Kultur & Fritid", "Förvaltningens förslag till beslut",
     "Beslutsförslag", "Förslag:", "Stadsdirektörens förslag:"],
)
def test_proposal_heading_forms(heading):
    assert heading_label(heading) == "proposals"


@pytest.mark.parametrize("line", ["Förvaltningens förslag till nytt pris", "Förslag till höjning av anläggningstaxan", "Förslag till beslut på sammanträdet"])
def test_subheadings_that_propose_are_no_proposal_heading(line):
    assert heading_label(line) != "proposals"


def test_two_decisions_without_a_blank_line_are_two_proposal_items():
    found = proposal_items("kungsbacka_bygg_2024-05-02_tf_dataskyddsombud_sommar.txt")
    assert len(found) == 2
    assert found[0].endswith("18 juli till 4 augusti 2024.")  # the PDF layer's blank line inside a sentence


def test_a_procedural_decision_is_an_item():
    found = proposal_items("kungsbacka_teknik_2025-08-29_va_taxa_2026.txt")
    assert len(found) == 4
    assert found[-1] == "Nämnden för Teknik förklarar paragrafen omedelbart justerad."


@pytest.mark.parametrize(
    "name",
    [
        "kungsbacka_ks_2024-10-18_remittering_priser_utmarkelser.txt",  # `… yttrande över förslaget att:` + three bullets
        "kungsbacka_ifo_2026-06-04_omfordelning_namndbudget.txt",  # `… enligt nedan fördelning:` + three amount lines
        "kungsbacka_kultur_2025-08-04_initiativ_pris_volontarer_beredning.txt",  # `Förvaltningens förslag till nytt pris` below
    ],
)
def test_what_follows_a_decision_belongs_to_it(name):
    assert len(proposal_items(name)) == 1


def test_a_list_standing_alone_still_gives_proposal_items():
    assert split_items("att anta planen,\natt uppdra åt förvaltningen") == ["att anta planen", "att uppdra åt förvaltningen"]


# --- sections ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, label",
    [
        ("Sammanfattande inställning", "summary"),
        ("Nämndens inställning i detalj", "assessment"),
        ("Kommunens inställning i detalj", "assessment"),
        ("Synpunkter", "assessment"),
        ("Kommunstyrelsens förvaltnings bedömning", "assessment"),
        ("Byggnadsnämndens yttrande", "assessment"),
        ("Sammanfattning av ärendet", "summary"),
        ("Beslutsgång", "beslutsgang"),
        ("Jäv", "jav"),
        ("Beslutet skickas till", "distribution"),
    ],
)
def test_real_headings(heading, label):
    assert heading_label(heading) == label


def test_a_yttrande_has_its_position_sections():
    labels = [s.label for s in real("kungsbacka_miljo_2025-02-26_yttrande_strategi_bmf.txt").sections]
    assert labels[:3] == ["header", "summary", "assessment"]


def test_a_heading_with_its_text_on_the_same_line():
    (first, *_) = [s for s in split_sections("Protokoll\n\n17 § Val\n\nBeredning: personalchef Kristina Wikblad\n\nText.") if s.label == "beredning"]
    assert (first.heading, first.text) == ("Beredning:", "personalchef Kristina Wikblad\n\nText.")


def test_signatures_after_a_list_of_names_and_after_a_place_and_date():
    assert section("kungsbacka_bygg_2024-05-02_tf_dataskyddsombud_sommar.txt", "signatures").text.startswith("Katarina Öryd")
    assert section("kungsbacka_bygg_2024-05-02_tf_dataskyddsombud_sommar.txt", "distribution").text.endswith("Sofia Jonsson")
    assert section("kungsbacka_bygg_2024-05-07_svar_motion_tolkavgift.txt", "signatures").text.startswith("Katarina Öryd, förvaltningschef")
    assert section("kungsbacka_ks_2024-10-18_remittering_priser_utmarkelser.txt", "signatures").text.startswith("Malin de Verdier")


# --- page furniture ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["kungsbacka_bnau_protokoll_2024-05-23_p137_163_164.txt", "kungsbacka_miljo_2025-02-26_ts_yttrande_strategi_bmf.txt",
     "kungsbacka_fg_2025-06-13_hagen_utokning_barnantal.txt", "kungsbacka_miljo_2025-12-08_rapport_dataskyddsarbete_ocr.txt"],
)
def test_page_furniture_is_neither_heading_nor_section_text(name):
    first, *others = real(name).sections
    for furniture in ("digitalt signerat", "Transaktionsidentitet", "Besöksadress", "www.kungsbacka.se"):
        assert all(furniture not in s.heading + s.text for s in [first, *others]), furniture
    assert all("KUNGSBACKA KOMMUN" not in s.heading + s.text for s in others)  # the first page's letterhead stays in the header


def test_a_section_goes_on_after_the_page_footer():
    doc = real("kungsbacka_fg_2025-06-13_hagen_utokning_barnantal.txt")
    parts = [s for s in doc.sections if s.label == "arende"]
    assert len(parts) == 2 and parts[1].heading == parts[0].heading
    assert parts[1].text.startswith("Huvudmannen har ett tillstånd från 2005")
    assert all(doc.text[s.start :].startswith(s.heading) or doc.text[s.start :].startswith(s.text[:20]) for s in doc.sections)  # offsets exact


def test_furniture_keeps_the_first_page_letterhead():
    text = "KUNGSBACKA KOMMUN SAMMANTRÄDESPROTOKOLL 1 (2)\nByggnadsnämnden\n\n§ 1\nText\n\f\nKUNGSBACKA KOMMUN SAMMANTRÄDESPROTOKOLL 2 (2)\nByggnadsnämnden\nMer text"
    lines = text.split("\n")
    assert [lines[i] for i in sorted(furniture_lines(text))] == ["\f", lines[6], "Byggnadsnämnden"]


# --- dnr -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Diarienummer KS 2023-\n00738", ["KS 2023-00738"]),  # broken over a line
        ("Dnr BN-2024-00013", ["BN-2024-00013"]),
        ("Diarienummer\nMH-2024-3372-3", ["MH-2024-3372-3"]),
        ("Dnr NKBY/497/12.03.01/2022", ["NKBY/497/12.03.01/2022"]),
        ("Diarienummer\n2024–00430", ["2024–00430"]),  # en dash
        ("Diarienummer\n\nMH-2025-04998 Kungsbacka", ["MH-2025-04998"]),  # OCR: a blank line, the logo glued on
        ("Diarienummer\n«Diarienr»", []),  # an unfilled template field
        ("AVTAL 5/2022 Kommunarbetsgivarna", []),  # a magazine label, not a registry prefix
    ],
)
def test_dnr_forms(header, expected):
    assert find_dnr(header) == expected


@pytest.mark.parametrize(
    "name, dnr",
    [
        ("kungsbacka_bn_tjansteskrivelse_initiativ_forenkling_bygglov.txt", []),  # `«Diarienr»`
        ("kungsbacka_miljo_2025-02-26_ts_yttrande_strategi_bmf.txt", ["2025-01105"]),  # not `(KS-2023-00672)`, `BN 2024–00132` of the text
        ("kungsbacka_ifo_2026-06-02_redovisning_synpunkter_klagomal.txt",  # and those its list introduces with `Dnr`
         ["IF-2023-00005", "IF-2026-00132", "IF-2026-00135", "IF-2026-00139", "IF-2026-00141", "IF-2026-00144"]),
        ("kungsbacka_kultur_2025-06-03_sammanstallning_delegeringsbeslut.txt", ["KFT-2025-00133", "KFT 2025-00141", "KFT 2025-00150"]),  # a table's Diarie column
        ("kungsbacka_kultur_2025-08-04_initiativ_pris_volontarer_beredning.txt", ["KFT-2025-00054"]),  # printed twice, given once
    ],
)
def test_document_dnr(name, dnr):
    assert real(name).dnr == dnr


# --- date -------------------------------------------------------------------------------------------


def test_date_of_the_document_itself():
    assert real("kungsbacka_bn_tjansteskrivelse_2024-00134_remiss_areella_naringar.txt").date == "2024-03-28"  # not the beslutsunderlag's
    assert real("kungsbacka_fg_2025-06-13_hagen_utokning_barnantal.txt").date == "2025-06-13"  # not the old permit's 2005-04-14
    assert real("kungsbacka_ks_kallelse_2025-02-18.md").date == "2025-02-18"  # the meeting's, not `Upprättad 2025-02-11`


def test_finland_swedish_dates():
    assert find_date("Protokoll 5/2022\nOrgan Välfärdsnämnden\nSammanträdestid 15.9.2022 kl. 18.00", meeting=True) == "2022-09-15"
    assert find_date("Sammanträdestid 09.05.2023 kl. 16:15", meeting=True) == "2023-05-09"


# --- municipality -------------------------------------------------------------------------------------


def test_municipality_from_letterhead_footer_and_text():
    assert real("kungsbacka_bygg_2024-05-02_tf_dataskyddsombud_sommar.txt").municipality == "Kungsbacka"
    assert find_municipality("Protokoll 3/2023\nOrgan Personalsektionen", "… publiceras på www.nykarleby.fi") == "Nykarleby"
    assert find_municipality("Protokoll", "Nykarleby stad som arbetsgivare") == "Nykarleby"
    assert find_municipality("Föredragningslista 16/2022", "NKBY/528/00.02.07/2022\n188 § Val") == "Nykarleby"  # the registry prefix


@pytest.mark.parametrize(
    "header, text",
    [
        ("Protokoll 2/2023", "Lönen anges i bilagan."),  # not Ånge
        ("Protokoll 1/2023", "Till justerare valdes Emil Nyström."),  # not Åmål
        ("Protokoll 1/2023\nOrgan Ungdomsfullmäktige", "Luzilla Backa, ny välfärdschef, är dagens gäst."),  # not Göteborg
        ("Protokoll 1/2023", "Anders Lund deltog."),  # not Lund
    ],
)
def test_unknown_beats_wrong(header, text):
    assert find_municipality(header, text) == ""


# --- document type -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, doc_type",
    [
        ("kungsbacka_bn_tjansteskrivelse_2024-00124_deltagande_aktivitet.txt", "tjänsteskrivelse"),
        ("kungsbacka_kultur_2025-02-24_info_region_halland_kulturplan.txt", "tjänsteskrivelse"),  # `… till protokollet` in its text
        ("kungsbacka_miljo_2025-02-26_yttrande_strategi_bmf.txt", "yttrande"),
        ("kungsbacka_kultur_2025-06-03_sammanstallning_delegeringsbeslut.txt", "delegationsbeslut"),
        ("kungsbacka_kultur_2025-02-19_skrivelse_initiativ_pris_volontarer.txt", "skrivelse"),
        ("kungsbacka_bnau_protokoll_2024-05-23_p137_163_164.txt", "protokoll"),
        ("kungsbacka_teknik_kallelse_2024-10-23.md", "kallelse"),
    ],
)
def test_document_type_by_its_own_heading(name, doc_type):
    assert real(name).doc_type == doc_type
