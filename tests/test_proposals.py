"""Proposals: one entry per deciding body with its items, whether the body is in the
heading, on an intro line, or only in the header; numbered items and att-clauses."""

from __future__ import annotations

import pytest

from swedish.fold import fold
from extract.proposals import extract_proposals, split_items
from extract.sections import split_sections
from extraction_fixtures import gold, processed, seed_variants


def proposals_of(text: str, default_body: str = ""):
    return extract_proposals(split_sections(text), default_body=default_body)


def test_body_from_heading_and_numbered_items():
    text = "Titel\n\nForslag till kommunstyrelsens beslut\n1, Planen antas.\n2. Uppdrag ges till\nförvaltningen.\n\nÄrende\nText."
    (proposal,) = proposals_of(text)
    assert proposal.body == "Kommunstyrelsen"  # a name, capitalised
    assert proposal.items == ["Planen antas.", "Uppdrag ges till förvaltningen."]


def test_body_from_intro_line_and_att_clauses():
    text = "Titel\n\nBeslutsförslag\nÄldrenämnden föreslås besluta\natt införa kameratillsyn,\natt uppdra åt förvaltningen att utvärdera, samt\natt återrapportera.\n"
    (proposal,) = proposals_of(text, default_body="Socialnämnden")
    assert proposal.body == "Äldrenämnden"
    assert proposal.items == ["att införa kameratillsyn", "att uppdra åt förvaltningen att utvärdera", "att återrapportera."]


def test_i_body_intro_and_default_body():
    (proposal,) = proposals_of("Titel\n\nFörslag till beslut\nI utbildningsnämnden:\n1. Riktlinjerna antas.\n")
    assert proposal.body == "Utbildningsnämnden"
    (proposal,) = proposals_of("Titel\n\nFörslag till beslut\nNämnden antar yttrandet.\n", default_body="Kulturnämnden")
    assert (proposal.body, proposal.items) == ("Kulturnämnden", ["Nämnden antar yttrandet."])


def test_text_without_markers_is_one_item():
    assert split_items("Hässelby-Vällingby stadsdelsnämnd antar yttrandet\nsom sitt eget.") == [
        "Hässelby-Vällingby stadsdelsnämnd antar yttrandet som sitt eget."
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name, variant", seed_variants())
def test_seed_proposals_match_gold(name, variant):
    doc = processed(name, variant)
    expected = gold(name)["proposals"]
    assert [fold(p.body) for p in doc.proposals] == [fold(p["body"]) for p in expected]
    assert [len(p.items) for p in doc.proposals] == [len(p["items"]) for p in expected]
