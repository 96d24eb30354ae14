"""Extraction rules taught by the ninth TUNE batch of data/eval/real/ (documents of
municipalities other than Kungsbacka: Göteborg's Stadsrevisionen rapportsammandrag, a
kommunfullmäktige handling, Nämnden för Intraservice's delårsrapport and a Stadsledningskontoret
anvisning; a Nykarleby föredragningslista and Personalsektionen protocol; a Botkyrka riktlinje),
each pinned on the document that taught it, through the real pipeline, and on the general form
the rule covers. docs/eval-real.md measures all of them (`tune 9`)."""

from __future__ import annotations

from conftest import proposal_items, real

from document import Section
from extract.body import find_body
from extract.diary_numbers import find_dnr, listed_dnr
from extract.doctype import find_doc_type, letterhead_heading
from extract.header import label_row
from extract.proposals import extract_proposals
from extract.sections import heading_label, split_sections
from extract.title import find_title
from ingest.damage import glued_words, measure
from normalize.hyphenation import dehyphenate


def _section(name: str, label: str) -> str:
    return next((s.text for s in real(name).sections if s.label == label), "")


# --- sections -------------------------------------------------------------------------------


def test_a_samlad_bedomning_is_the_assessment():
    assert _section("goteborg_stadsrevisionen_2024-12-17_personsakerhet_fortroendevalda.pdf", "assessment").startswith(
        "Vår samlade bedömning är att stadens arbete")
    for heading in ("Samlad bedömning", "Revisionens samlade bedömning", "Sammanvägd bedömning"):
        assert heading_label(heading) == "assessment", heading


def test_a_cover_letters_signatures_are_a_section_of_their_own():
    name = "goteborg_stadsrevisionen_2024-02-06_valdsbejakande_extremism.pdf"
    assert _section(name, "signatures").startswith("Jonas Ransgård")
    text = ("Missiv till kommunstyrelsen\n\nRevisorerna har avslutat granskningen av stadens arbete med något viktigt. "
            "Vi ställer oss bakom bedömningarna i rapporten.\n\nGöteborg den 18 november 2025\n\n"
            "Anna Andersson   Bengt Berg\nordförande   vice ordförande\n\nStyrning genom planer och program\n\n"
            "Sammanfattande bedömning\nRevisorerna har granskat styrningen.")
    sections = split_sections(text)
    assert [s.label for s in sections] == ["header", "signatures", "header", "assessment"]
    assert sections[1].text.startswith("Anna Andersson")
    # the title of the report the letter introduces is still found after the signatures
    assert real("goteborg_stadsrevisionen_2025-11-18_planer_program.pdf").title == "Styrning genom planer och program"
    # a header that is no cover letter keeps its names (a letterhead's handläggare)
    plain = "Tjänsteskrivelse\n\nAnna Andersson\nHandläggare\n\nÄrendet gäller något.\n\nBakgrund\nText här om bakgrunden."
    assert "signatures" not in [s.label for s in split_sections(plain)]


def test_a_report_chapter_number_is_no_part_of_the_heading():
    name = "goteborg_intraservice_2026-03_delarsrapport_mars.pdf"
    assert _section(name, "summary").startswith("För delårsrapport för januari-mars är fokusområdena")
    assert heading_label("1 Sammanfattning") == "summary"
    assert heading_label("2.3 Bakgrund") == "background"
    assert heading_label("3.1.2. Ekonomiska konsekvenser") == "economy"
    # a protocol's parts are never numbered so: `3 Beslut` is an agenda item
    assert heading_label("3 Beslut") is None
    assert heading_label("12 Förslag till beslut") is None


# --- title ----------------------------------------------------------------------------------


def test_a_cover_letter_without_a_report_title_is_titled_by_its_heading():
    doc = real("goteborg_stadsrevisionen_2024-12-17_personsakerhet_fortroendevalda.pdf")
    assert doc.title == "Missiv till kommunstyrelsen samt ansvariga nämnder och bolag"
    header = ("Rapportsammandrag\nStadsrevisionen\n\nMissiv till nämnden\nför kultur\n\nRevisorerna har avslutat granskningen av kulturnämndens "
              "arbete. Vi ställer oss bakom bedömningarna i rapporten.\n\nGöteborg den 3 mars 2025\n\nAnna Andersson\nordförande")
    _, heading = letterhead_heading(header)  # `Rapportsammandrag`, the type heading
    assert find_title(header, "", heading) == "Missiv till nämnden för kultur"


def test_a_word_broken_over_a_blank_line_is_joined():
    assert "Rapportsammandrag – Introduktion och utbildning för nyanlända" in real(
        "goteborg_stadsrevisionen_2026-02-03_introduktion_nyanlanda.pdf").title
    assert dehyphenate("Introdukt-\n\nion och utbildning") == "Introduktion och utbildning"
    assert dehyphenate("heders-\nrelaterat") == "hedersrelaterat"
    assert dehyphenate("Miljö- och\nhälsa") == "Miljö- och\nhälsa"


def test_a_hyphen_after_a_number_stays():
    assert real("goteborg_intraservice_2026-03_delarsrapport_mars.pdf").title.startswith("Delårsrapport mars 2026-nämnder")
    assert dehyphenate("mars 2026-\nnämnder") == "mars 2026-nämnder"
    assert dehyphenate("en 10-\nårig plan") == "en 10-årig plan"


def test_a_list_of_single_words_is_no_title():
    assert real("botkyrka_von_2022-12-13_riktlinje_handlaggning_sol.md").title == "Riktlinjer för handläggning enligt socialtjänstlagen"
    header = "Riktlinje för bemanning\n\nNämnden 2025-07-01\n\nStrategi\nProgram\nPlan\nPolicy\nRiktlinjer"
    assert find_title(header, "") == "Riktlinje för bemanning"
    # a cover's title in short lines holds a number, or is fewer lines
    assert find_title("Delårsrapport\naugusti\n2024", "") == "Delårsrapport augusti 2024"


# --- type -----------------------------------------------------------------------------------


def test_a_periodic_report_under_its_bodys_name_is_a_rapport():
    assert real("goteborg_intraservice_2026-03_delarsrapport_mars.pdf").doc_type == "rapport"
    header = "Nämnden för Intraservice\n\nÅrsrapport nämnder och styrelser 2025\nNämnden för Intraservice"
    assert find_doc_type(header, "", [], header) == "rapport"


# --- damaged text layers --------------------------------------------------------------------


def test_words_run_together_by_a_space_letter_are_damage():
    # a Nykarleby page whose font prints the space as `n`: `Ärendetnantecknadesnförnkännedom.`
    matters = {m.paragraph: m for m in real("nykarleby_personalsektionen_2023-03-28_protokoll.pdf").matters}
    assert matters["§ 19"].decision.startswith("Ärendet antecknades för kännedom.")
    page = "Personalsektionens beslut:\nÄrendetnantecknadesnförnkännedom.\nStadsdirektörensnförslagngodkändes.\n_____"
    assert glued_words(page) >= 7 and measure(page).unreadable()
    # compounds joined by a linking letter, English words, names: no damage
    clean = "Stadsledningskontoret och Stadsbyggnadskontorets förslag. Erasmusackreditering Transatlantic Tiptapp-appen"
    assert glued_words(clean) == 0


# --- a metadata table whose columns a text layer squeezed ------------------------------------


def test_a_row_of_column_labels_is_no_title_body_or_value():
    doc = real("goteborg_slk_2025-10-17_digitaliseringsplan.txt")
    assert doc.title == "Stadsledningskontorets digitaliseringsplan"
    assert doc.body == ""
    assert doc.dnr == ["0451/23"]
    header = ("Riktlinje för inköp\n\nBeslutad av: Gäller för: Diarienummer:\nKommundirektör Kommunledningskontoret 1234/24\n\n"
              "Dokumentsort: Giltighetstid: Senast reviderad:\nRiktlinje Tills vidare 2025-01-10")
    assert find_title(header, "") == "Riktlinje för inköp"
    assert find_body(header) == ""
    assert find_dnr(header) == ["1234/24"]
    assert label_row("Beslutad av: Gäller för: Diarienummer:") == ["Beslutad av:", "Gäller för:", "Diarienummer:"]
    assert label_row("Organ: Kommunstyrelsen") == []
    # a body after its label on a line of its own is still the body
    assert find_body("Beslutad av: Kommunfullmäktige\nDiarienummer: KS 2024/12") == "Kommunfullmäktige"


def test_a_matter_title_with_a_dropped_ligature_takes_the_contents_pages():
    # item 192's heading reads `stadsfullmäktges` in the text layer, the contents page `stadsfullmäktiges`
    matters = {m.paragraph: m for m in real("nykarleby_sst_2022-09-26_foredragningslista.pdf").matters}
    assert matters["§ 192"].title == "Verkställighet av stadsfullmäktiges beslut 8.9.2022"
    from document import Document
    from extract.matters import find_matters
    text = ("Föredragningslista\n\nÄrenden som skall behandlas Sida\n"
            "12 § Val av protokolljusterare ........................ 2\n"
            "13 § Verkställighet av stadsfullmäktiges beslut ......... 3\n\f"
            "12 § Val av protokolljusterare\nFörslag:\nStyrelsen utser protokolljusterare.\n\nStyrelsens beslut:\n\f"
            "NKBY/529/00.02.00/2022\n13 § Verkställighet av stadsfullmäktges beslut\n\nFörslag:\nBesluten verkställs.\n\nStyrelsens beslut:\n")
    doc = find_matters(Document(doc_id="t", source="t.txt", file_type="txt", text=text))
    assert [m.title for m in doc.matters] == ["Val av protokolljusterare", "Verkställighet av stadsfullmäktiges beslut"]


# --- proposals ------------------------------------------------------------------------------


def test_an_attached_protocol_extracts_proposals_are_not_the_documents():
    # the presidium's three items, then the attached nämnd extracts (`Beslut`, `Propositionsordning`, …)
    # with their tjänsteutlåtanden (`Förslag till beslut`)
    items = proposal_items("goteborg_kf_2026-04-13_revisionsberattelse_2025.pdf")
    assert len(items) == 3 and all(item.startswith(("Kommunfullmäktige", "Ledamöterna")) for item in items)
    own = Section(label="proposals", heading="Förslag till beslut", text="Kommunfullmäktige beviljar ansvarsfrihet.", start=0)
    extract = [Section(label="decision", heading="Beslut", text="Nämnden översänder yttrandet.", start=0),
               Section(label="proposals", heading="Förslag till beslut", text="Nämnden godkänner yttrandet.", start=0)]
    assert [p.items for p in extract_proposals([own, *extract], "")] == [["Kommunfullmäktige beviljar ansvarsfrihet."]]
    # a meeting's part before any proposal cuts nothing
    assert sum(len(p.items) for p in extract_proposals([*extract, own], "")) == 2


def test_a_lone_diary_number_of_an_attachment_is_no_listed_one():
    # the handling's attached extracts and letters each print their own `Ärendenummer …`, pages apart
    assert real("goteborg_kf_2026-04-13_revisionsberattelse_2025.pdf").dnr == []
    filler = "Text om ärendet.\n" * 40
    assert listed_dnr(f"Ärendenummer FFS-2026-00773\n{filler}Diarienummer: SRV-2025-00080\n") == []
    listing = "Dnr IF-2026-00025. Placeringsavtal\nBeslutad 2026-05-02\n\nDnr IF-2026-00031. Bistånd\n"
    assert listed_dnr(filler + listing) == ["IF-2026-00025", "IF-2026-00031"]
