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


def test_one_bodys_proposal_to_another_is_the_proposing_bodys():
    """`<Nämnd>s förslag till Kommunstyrelsen` is a proposals heading, and the document is
    the proposing nämnd's decision, though its item is what Kommunstyrelsen should decide."""
    text = (
        "Förslag på fördelning ur donationsfonden\n\nNämnden för Individ och Familjeomsorgs förslag till Kommunstyrelsen\n\n"
        "Kommunstyrelsen beslutar att inte fördela årets medel.\n\nSammanfattning av ärendet\nText.\n"
    )
    (proposal,) = proposals_of(text)
    assert proposal.body == "Nämnden för Individ och Familjeomsorg"
    assert proposal.items == ["Kommunstyrelsen beslutar att inte fördela årets medel."]
    (proposal,) = proposals_of("Titel\n\nFörvaltningens förslag till beslut\nKulturnämnden antar planen.\n")
    assert proposal.body == "Kulturnämnden"  # an administration's proposal names no body


def test_a_motions_closing_demand_opens_its_proposals():
    """A motion ends `Med anledning av ovan yrkar <parti>:` and its `Att`-clauses (escaped
    dash bullets); an answer's `Motionären yrkar:` is not the document's proposal."""
    text = (
        "Motion om tolkavgift\n\nVi menar att det är rimligt.\n\nMed anledning av ovan yrkar Sverigedemokraterna:\n\n"
        "\\- Att Kommunfullmäktige ger berörda nämnder i uppdrag att se över avgiften.\n\n"
        "\\- Att Kommunfullmäktige beslutar att uteblivna besök betalas av den enskilde.\n\nStefan Jägnert / SD Kungsbacka\n"
    )
    (proposal,) = proposals_of(text)
    assert proposal.body == "Kommunfullmäktige"
    assert len(proposal.items) == 2
    assert [s.label for s in split_sections(text)][-1] == "signatures"  # a signer's party mark
    assert proposals_of("Svar på motion\n\nI motionen yrkar motionären:\natt avgift införs.\n") == []


def test_a_proposal_to_another_body_decides_for_it_only_when_it_spells_out_its_decision():
    """`X föreslår kommunfullmäktige besluta att …` gives the fullmäktige's decision; a
    remissvar's `X föreslår att kommunfullmäktige anser att motionen är besvarad` (or
    `… föreslår kommunfullmäktige att avslå motionen`) is X's own."""
    from extract.proposals import decision_subject

    assert decision_subject("Kommunstyrelsen föreslår kommunfullmäktige besluta att anta planen.") == "Kommunfullmäktige"
    assert decision_subject("Utbildningsnämnden föreslår att kommunfullmäktige beslutar att anta planen.") == "Kommunfullmäktige"
    assert decision_subject(
        "Nämnden för Gymnasium & Arbetsmarknad föreslår att kommunfullmäktige anser att motionen är besvarad."
    ) == "Nämnden för Gymnasium & Arbetsmarknad"
    assert decision_subject("Byggnadsnämnden föreslår kommunfullmäktige att avslå motionen.") == "Byggnadsnämnden"
