"""Extraction rules taught by the second TUNE batch of data/eval/real/ (more Kungsbacka
bodies, Göteborg's Stadsrevisionen, Botkyrka's riktlinjer, two agendas cut from
handlingar bundles), each pinned on the document that taught it, through the real
pipeline (text files a fraction of a second, the Göteborg PDFs a second or so).
docs/eval-real.md measures all of them (`tune 2`)."""

from __future__ import annotations


import pytest

from conftest import proposal_items, real
from document import NormalizedDocument
from extract import extract
from extract.diary_numbers import listed_dnr
from extract.document_date import find_date
from extract.proposals import split_items
from extract.title import find_title



# --- title -------------------------------------------------------------------------------


def test_a_title_goes_on_after_a_blank_line_when_its_rest_starts_in_lower_case():
    doc = real("kungsbacka_bygg_2025-02-04_yttrande_priser.txt")
    assert doc.title == "Yttrande över kommunstyrelsens remiss: förslag om översyn av interna och externa priser och utmärkelser i Kungsbacka kommun"


def test_a_title_ends_where_the_text_begins_without_a_blank_line():
    title = real("kungsbacka_bygg_2025-06-16_yttrande_fornybartdirektivet.txt").title
    assert title.startswith("Yttrande över Klimat- och näringslivsdepartementets promemoria")
    assert "ser positivt" not in title


def test_a_cover_letter_is_no_title_the_report_it_introduces_is():
    assert real("goteborg_stadsrevisionen_2025-11-18_planer_program.pdf").title == "Styrning genom planer och program"
    # a suspended compound broken at the line end keeps its hyphen
    assert real("goteborg_stadsrevisionen_2026-04-29_finansiering_likviditet.pdf").title == "Göteborgs Stads finansierings- och likviditetsprocess"


def test_neither_metadata_table_nor_contents_is_a_title():
    assert real("botkyrka_von_2025-06-16_riktlinje_anhorigstod.md").title == "Riktlinje för Anhörigstöd"
    assert real("botkyrka_von_2025-06-16_riktlinje_avgifter.md").title == "Riktlinjer för avgifter inom vård och omsorg i Botkyrka kommun"


def test_title_blocks_in_a_header():
    header = "Rapportsammandrag\nStadsrevisionen\n\nMissiv till kommunstyrelsen\n\nRevisorerna har avslutat granskningen. Syftet har varit att bedöma om styrningen är ändamålsenlig och tillräcklig.\n\nJonas Ransgård Torbjörn Rigemar\n\nStyrning genom planer och\n\nprogram"
    assert find_title(header, "", heading="Rapportsammandrag") == "Styrning genom planer och program"
    assert find_title("Innehåll\nInledning\t3\nSyfte\t3\nSamverkan med föreningar och\nverksamheter\t9", "") == ""


# --- date --------------------------------------------------------------------------------


def test_a_letter_is_dated_where_it_is_signed_not_by_a_deadline():
    assert real("goteborg_stadsrevisionen_2026-04-29_finansiering_likviditet.pdf").date == "2026-04-29"
    assert real("goteborg_kf_2024-04-09_revisionsberattelse_2023.pdf").date == "2024-04-09"


def test_a_steering_document_is_dated_by_its_decision():
    assert real("botkyrka_von_2025-06-16_riktlinje_avgifter.md").date == "2025-06-16"
    assert find_date("Vård- och omsorgsnämnden 2025-07-01\nDokumentet beslutades den: 2025-06-16") == "2025-06-16"
    # a `Datum` still comes first
    assert find_date("Beslutad 2020-01-01\nDatum: 2023-11-08") == "2023-11-08"


def test_abbreviated_months():
    assert find_date("Datum 8 nov. 2023") == "2023-11-08"


# --- dnr, body, type ---------------------------------------------------------------------


def test_a_steering_documents_labelled_dnr_and_body():
    doc = real("botkyrka_von_2025-06-16_riktlinje_anhorigstod.md")
    assert doc.dnr == ["VON/2025:00149"]  # not the replaced document's `VON/2019:82`
    assert doc.body == "Vård- och omsorgsnämnden"
    assert doc.municipality == "Botkyrka"
    assert doc.doc_type == ""  # a riktlinje is none of the types; no word of its contents types it


def test_a_column_of_diary_numbers_whatever_its_heading():
    text = "| Beskrivning | Inkom | Tillhör ärende |\n| --- | --- | --- |\n| Brev | 2025-06-16 | SE-2025-00266 |\n| Beslut | 2025-06-18 | SE-2025-<br>00272 |"
    assert listed_dnr(text) == ["SE-2025-00266", "SE-2025-00272"]
    assert set(real("kungsbacka_service_2025-06-26_inkomna_skrivelser_aug.txt").dnr) >= {"SE-2025-00278", "SE-2025-00266", "SE-2025-00289"}


def test_numbers_in_footnotes_and_running_text_are_other_cases():
    assert real("goteborg_stadsrevisionen_2026-04-29_finansiering_likviditet.pdf").dnr == []
    assert real("kungsbacka_vo_2025-09-23_taxor_avgifter_2026.txt").dnr == ["VO-2025-00213"]  # not `dnr VO/2016:19` in the text


@pytest.mark.parametrize(
    "name, body",
    [
        # named inside the first decision, which has no body as its subject
        ("kungsbacka_bygg_2025-05-16_tf_dataskyddsombud_2025.txt", "Byggnadsnämnden"),
        # the body whose delegation list the reported decisions follow
        ("kungsbacka_service_2025-06-26_sammanstallning_delegeringsbeslut_aug.txt", "Nämnden för Service"),
        ("kungsbacka_ga_2025-04-08_kvartalsuppfoljning_arbetsmarknad.txt", "Nämnden för Gymnasium & Arbetsmarknad"),
    ],
)
def test_deciding_body(name, body):
    assert real(name).body == body


def test_an_audit_report_is_a_rapport():
    assert real("goteborg_stadsrevisionen_2025-11-18_planer_program.pdf").doc_type == "rapport"
    assert real("goteborg_kf_2024-04-09_revisionsberattelse_2023.pdf").doc_type == "rapport"


# --- proposals ---------------------------------------------------------------------------


def test_a_list_after_a_colon_belongs_to_its_decision():
    assert len(proposal_items("kungsbacka_bygg_2025-05-16_tf_dataskyddsombud_2025.txt")) == 1
    assert len(proposal_items("kungsbacka_ifo_2026-06-04_omfordelning_namndbudget.txt")) == 1  # a blank line inside the list
    # a sentence after the list and a blank line is the next decision
    assert len(proposal_items("kungsbacka_val_2025-06-23_sammantradesdagar_2026.txt")) == 2
    assert split_items("Nämnden utser följande:\n\nAnna Berg.\nKarl Ek.\n\nBeslutet gäller från 1 juli 2025.") == [
        "Nämnden utser följande: Anna Berg. Karl Ek.",
        "Beslutet gäller från 1 juli 2025.",
    ]


def test_a_proposing_sentence_ending_in_a_colon_heads_the_proposal_and_the_signing_line_ends_it():
    doc = real("goteborg_kf_2024-04-09_revisionsberattelse_2023.pdf")
    assert [item for proposal in doc.proposals for item in proposal.items] == [
        "Ledamöterna i Göteborgs kommuns styrelse och nämnder beviljas ansvarsfrihet för verksamhetsåret 2023."
    ]
    assert doc.body == "Kommunfullmäktige"


# --- sections ----------------------------------------------------------------------------


def test_the_last_recipient_above_the_signatures_stays_in_the_list():
    doc = real("kungsbacka_bygg_2025-09-19_internkontrollplan_2026.txt")
    signatures = next(s for s in doc.sections if s.label == "signatures")
    assert signatures.text.startswith("Katarina Öryd")
    assert "Nämnden för Miljö & Hälsoskydd" in next(s for s in doc.sections if s.label == "distribution").text


def test_agenda_proposal_cells_are_proposal_sections():
    doc = real("kungsbacka_ga_kallelse_2025-04-24.txt")
    proposals = [s for s in doc.sections if s.label == "proposals"]
    assert len(proposals) == 16 and {s.matter for s in proposals} == set(range(16))
    assert proposals[0].heading == "Förslag till beslut" and proposals[0].text.startswith("Nämnden för Gymnasium & Arbetsmarknad")
    # a Markdown agenda (cells apart by tabs), the justerare row's cell included
    teknik = real("kungsbacka_teknik_kallelse_2024-10-23.md")
    assert any(s.label == "proposals" and s.text.startswith("Justerare:") for s in teknik.sections)


# --- matters ------------------------------------------------------------------------------


def test_an_arbetsutskott_decides_its_proposal_to_the_body():
    matter = real("kungsbacka_bygg-au_protokollsutdrag_2025-02-25_p48.txt").matters[0]
    assert matter.paragraph == "§ 48" and matter.decision.startswith("Byggnadsnämnden antar yttrande daterat 2025-02-04")


def test_an_agenda_carries_every_finland_swedish_number_it_prints():
    # the form of Nykarleby's föredragningslista (the shared set's, measured in docs/eval-real.md):
    # a number printed only in a § text (`NKBY/383/…`) is the document's too
    text = (
        "Stadsstyrelsen\nFöredragningslista 16/2022\n\n199 § Val av protokolljusterare\nNKBY/497/12.03.01/2022\n\nBeslut:\nGodkändes.\n\n"
        "200 § Budget för 2023\nNKBY/498/02.02.00/2022\n\nBeslut:\nGodkändes. Bilaga till beslutet NKBY/383/02.05.00/2022.\n"
    )
    doc = extract(NormalizedDocument(doc_id="agenda", source="agenda.txt", file_type="txt", text=text, pages=[]))
    assert [m.dnr for m in doc.matters] == [["NKBY/497/12.03.01/2022"], ["NKBY/498/02.02.00/2022"]]
    assert doc.dnr == ["NKBY/497/12.03.01/2022", "NKBY/498/02.02.00/2022", "NKBY/383/02.05.00/2022"]
