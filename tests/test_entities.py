"""Entities: the domain labels (DNR, LAW, PARTY), organisations, people and places from
the gazetteers and rules, OCR damage, genitives; the per-chunk entity payload used by
`search --entity`; and the extraction evaluation targets on seeds and corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.entities import merge_statistical, pipeline, tag_entities
from index.query import SearchFilters
from extraction_fixtures import extraction_eval


def labelled(text: str) -> set[tuple[str, str]]:
    return {(e.label, e.text) for e in tag_entities(text)}


def test_domain_labels():
    found = labelled(
        "Information enligt 19 § MBL lämnas enligt lag (1976:580) om medbestämmande i arbetslivet. "
        "Planen prövas enligt plan- och bygglagen (2010:900). Dnr KS 2023/553. "
        "Motionen från Maria Moraes (MP) stöds av Moderaterna."
    )
    assert {
        ("LAW", "19 § MBL"),
        ("LAW", "lag (1976:580) om medbestämmande i arbetslivet"),
        ("LAW", "plan- och bygglagen (2010:900)"),
        ("DNR", "KS 2023/553"),
        ("PRS", "Maria Moraes"),
        ("PARTY", "(MP)"),
        ("PARTY", "Moderaterna"),
    } <= found


def test_time_expressions():
    found = labelled(
        "Nämnden beslutade 2024-05-21 att remissen ska besvaras senast den 30 november 2017, "
        "med uppföljning under hösten 2025 och mars–april 2026 för perioden 2023–2024. Dnr SON 2021-459."
    )
    assert {
        ("TME", "2024-05-21"),
        ("TME", "30 november 2017"),
        ("TME", "hösten 2025"),
        ("TME", "mars–april 2026"),
        ("TME", "2023–2024"),
        ("DNR", "SON 2021-459"),
    } <= found
    assert not {text for label, text in found if label == "TME" and "459" in text}  # a dnr is no date


def test_a_dnr_without_prefix_leaves_out_its_introducing_word():
    found = labelled("Socialnämnden\nDnr 2019-755\nDiarienummer: KS 2023/553")
    assert {("DNR", "2019-755"), ("DNR", "KS 2023/553")} <= found
    assert not {text for label, text in found if label == "DNR" and text.lower().startswith(("dnr", "diarie"))}


def test_organisations_people_places():
    found = labelled(
        "Samråd har skett med AB Stångåstaden, Örebrobostäder AB, Socialstyrelsen och Länsstyrelsen i Örebro län. "
        "Hässelby-Vällingby stadsdelsnämnd och Social- och omsorgsnämnden har yttrat sig, liksom Göteborgs Stad. "
        "Handläggare är Åsa Åbom. Bostäderna byggs i Rosengård vid Sigurdsgatan i Linköping."
    )
    assert {
        ("ORG", "AB Stångåstaden"),
        ("ORG", "Örebrobostäder AB"),
        ("ORG", "Socialstyrelsen"),
        ("ORG", "Länsstyrelsen i Örebro län"),
        ("ORG", "Hässelby-Vällingby stadsdelsnämnd"),
        ("ORG", "Social- och omsorgsnämnden"),
        ("ORG", "Göteborgs Stad"),
        ("PRS", "Åsa Åbom"),
        ("LOC", "Rosengård"),
        ("LOC", "Sigurdsgatan"),
        ("LOC", "Linköping"),
    } <= found


def test_ocr_damage_genitives_and_generic_words():
    found = labelled("Forslaget fran Socialstyrelsens utredning och Stdngéstaden i Linkdping. Förvaltningen och nämnden tillstyrker.")
    assert ("ORG", "Socialstyrelsen") in found  # genitive left out of the span
    assert ("ORG", "Stdngéstaden") in found
    assert ("LOC", "Linkdping") in found
    assert not {text for label, text in found if label == "ORG"} & {"Förvaltningen", "nämnden"}


def test_entity_offsets_point_into_the_text():
    text = "Kommunstyrelsens beslut 2024-03-12 om Leanlink."
    for entity in tag_entities(text):
        assert text[entity.start : entity.end].split() == entity.text.split()


def test_statistical_entities_only_fill_gaps():
    doc = pipeline()("Anna Berg talade med Leanlink i Linköping.")
    rules = list(doc.ents)
    other = pipeline()("Anna Berg talade med Leanlink i Linköping.")
    # a statistical model's view: one span overlapping a rule entity, one in a gap, one unknown label
    statistical = [other.char_span(0, 9, label="ORG"), other.char_span(10, 16, label="LOC"), other.char_span(17, 20, label="OBJ")]
    merged = merge_statistical(rules, statistical)
    assert (0, 9, "PRS") in merged and (0, 9, "ORG") not in merged
    assert (10, 16, "LOC") in merged
    assert not any(label == "OBJ" for _, _, label in merged)


@pytest.mark.slow
def test_search_filters_on_chunk_entities(sample_archive):
    hits = sample_archive.search("stöd till våldsutsatta", SearchFilters(entity="Leanlink"), limit=10, all_chunks=True).hits
    assert hits
    # only seeds 002 and 003 name Leanlink; the filter is on the entities of each chunk's section
    assert {Path(hit.source).name[:3] for hit in hits} <= {"002", "003"}
    assert not sample_archive.search("stöd till våldsutsatta", SearchFilters(entity="Finns Inte AB"), limit=10).hits
    # names match whatever their case
    assert sample_archive.search("stöd till våldsutsatta", SearchFilters(entity="leanlink"), limit=10).hits


@pytest.mark.slow
def test_extraction_targets_on_seeds_and_corpus():
    gold_documents = extraction_eval.load_gold()
    results = extraction_eval.run(gold_documents)
    assert len(results) >= 2 * len(gold_documents) - 2  # digital and OCR'd PDFs
    for group, members in extraction_eval.groups(results, gold_documents).items():
        summary = extraction_eval.summarize(members)
        failures = extraction_eval.target_failures(summary)
        assert not [f for f in failures if not f.startswith("dnr")], (group, failures)


def test_markdown_line_breaks_end_names_and_lists_are_not_one_name():
    text = (
        "| Svar på motion från Susanne<br>Andersson (SD) | Förvaltningen för Förskola &<br>Grundskola |\n"
        "Granskningen omfattar styrelsen för Sahlgrenska Universitetssjukhuset och utbildningsnämnden i Västra Götalandsregionen."
    )
    found = {(e.label, e.text) for e in tag_entities(text)}
    assert ("ORG", "Förvaltningen för Förskola & Grundskola") in found
    assert ("LOC", "Susanne") not in found  # a first name after `från` is no place
    assert {("ORG", "Sahlgrenska Universitetssjukhuset"), ("ORG", "utbildningsnämnden"), ("ORG", "Västra Götalandsregionen")} <= found
    assert not any(label == "LOC" and "Västra" in text_ for label, text_ in found)
