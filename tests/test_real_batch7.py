"""Extraction rules taught by the seventh TUNE batch of data/eval/real/ (Kungsbacka documents
chosen for the layout of proposals and sections: Vård & Omsorg, Service, Byggnadsnämnden,
Kommunstyrelsen and its arbetsutskott, Individ & Familjeomsorg, Miljö & Hälsoskydd, Kultur &
Fritid, Teknik, Förskola & Grundskola; 2024–2026 bundles), each pinned on the document that
taught it, through the real pipeline, and on the general form the rule covers.
docs/eval-real.md measures all of them (`tune 7`)."""

from __future__ import annotations

from conftest import proposal_items, real
from document import Section
from extract.diary_numbers import is_dnr_line
from extract.names import looks_like_person, person_spans
from extract.proposals import extract_proposals
from extract.sections import split_sections


def _signatures(name: str) -> str:
    return next((s.text for s in real(name).sections if s.label == "signatures"), "")


# --- proposal items and the deciding body ---------------------------------------------------


def test_a_body_misread_in_the_heading_takes_the_decisions_spelling():
    doc = real("kungsbacka_ks_2024-09-05_delarsrapport_kommunstyrelsen.txt")  # `Förslag till beslut i kommyúnstyrelsen`
    assert doc.body == "Kommunstyrelsen"
    sections = [Section(label="proposals", heading="Förslag till beslut i kommunstyrlesen", text="Kommunstyrelsen godkänner rapporten.", start=0)]
    assert extract_proposals(sections, "")[0].body == "Kommunstyrelsen"
    # another body than the subject's is no misreading: the heading's body decides
    other = [Section(label="proposals", heading="Förslag till beslut i kommunfullmäktige", text="Kommunstyrelsen godkänner rapporten.", start=0)]
    assert extract_proposals(other, "")[0].body == "Kommunfullmäktige"


def test_a_sentence_the_summary_repeats_is_no_decision():
    items = proposal_items("kungsbacka_vo_2025-05-09_uppfoljning_prognos_april.txt")
    assert items == ["Nämnden för Vård & Omsorg godkänner uppföljning och prognos per april.",
                     "Nämnden för Vård & Omsorg förklarar paragrafen omedelbart justerad."]
    told = "Nämnden redovisar ett överskott på 3,1 miljoner kronor för perioden."
    sections = [Section(label="proposals", heading="Förslag till beslut", text=f"Nämnden godkänner rapporten.\n\n{told}", start=0),
                Section(label="summary", heading="Sammanfattning", text=f"{told}\n\nMer om ärendet.", start=0)]
    assert extract_proposals(sections, "")[0].items == ["Nämnden godkänner rapporten."]
    # the first decision stays, even when the summary repeats it
    sections[0] = Section(label="proposals", heading="Förslag till beslut", text=told, start=0)
    assert extract_proposals(sections, "")[0].items == [told]


# --- names and signatures -------------------------------------------------------------------


def test_a_particle_written_together_with_the_surname():
    assert _signatures("kungsbacka_ks_2024-09-05_delarsrapport_kommunstyrelsen.txt").startswith("Malin deVerdier")
    assert looks_like_person("Malin deVerdier")
    assert [("Malin deVerdier Anders Johansson"[a:b]) for a, b in person_spans("Malin deVerdier Anders Johansson")] == ["Malin deVerdier", "Anders Johansson"]
    assert looks_like_person("Malin de Verdier")


def test_a_list_entrys_tail_above_the_signers_is_not_their_unit():
    # `… Skällared 3.55 mfl i` / blank / `Gottskär Kungsbacka kommun – Följebrev` / blank / signers
    assert _signatures("kungsbacka_service_2025-02-27_granskningsutskick_skallared.txt").startswith("Julia Tryggvadottir Tollesson")
    underlag = next(s for s in real("kungsbacka_service_2025-02-27_granskningsutskick_skallared.txt").sections if s.label == "beslutsunderlag")
    assert underlag.text.rstrip().endswith("Gottskär Kungsbacka kommun – Följebrev")
    text = ("Förslag till beslut\nNämnden godkänner rapporten.\n\nBeslutsunderlag\nFörvaltningens tjänsteskrivelse, 2024-01-01\n\n"
            "Kulturförvaltningen\n\nAnna Andersson\nFörvaltningschef\n")
    assert next(s for s in split_sections(text) if s.label == "signatures").text.startswith("Kulturförvaltningen")  # a unit still is


# --- metadata ----------------------------------------------------------------------------


def test_the_register_code_before_a_diary_number_is_no_title():
    doc = real("kungsbacka_service_2025-02-28_samradsutskick_arena.txt")  # `SE SE-2025-00027`, a subject line with a full stop
    assert doc.title.startswith("Förvaltningen för service tjänsteskrivelse - Samrådsutskick: Detaljplan för Kungsbackas arena")
    assert is_dnr_line("SE SE-2025-00027") and is_dnr_line("VO VO-2026-00299")
    assert not is_dnr_line("AB AC-2024-0001") and not is_dnr_line("Budget 2027")


# --- agendas -------------------------------------------------------------------------------


def test_a_time_slot_after_kl_ends_an_agenda_items_title():
    doc = real("kungsbacka_fg_kallelse_2026-04-22.txt")  # `Främja närvaro …, uppföljning 1<br>Kl 16:05-16:35<br>Karolina Reinhold, …`
    titles = {m.number: m.title for m in doc.matters}
    assert titles["3"] == "Främja närvaro och förebygga frånvaro, uppföljning 1"
    assert titles["4"] == "Uppföljning Barn- och elevhälsoarbete 1"
    assert len(doc.matters) == 9  # the unnumbered `Paus kl 17:15-17:35` row is no item
