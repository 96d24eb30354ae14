"""Extraction rules taught by the fifteenth TUNE batch of data/eval/real/ (twelve Kungsbacka
documents drawn at random from 2024–2026 bundles; 96.4 % of its checks right on its first run),
each pinned on the document that taught it, through the real pipeline, and on the general form
the rule covers. docs/eval-real.md measures all of them (`tune 15`)."""

from __future__ import annotations

from conftest import proposal_items, real

from extract.body import resolving_body
from extract.sections import heading_label


def test_a_nämnds_proposal_to_the_fullmäktiges_decision_in_the_genitive():
    doc = real("kungsbacka_vo_2025-04-02_motion_broddar.txt")
    assert doc.title.startswith("Svar på motion från Roger Larsson (KB) om kostnadsfri utdelning av broddar")
    assert doc.body == "Nämnden för Vård & Omsorg"
    assert len(proposal_items("kungsbacka_vo_2025-04-02_motion_broddar.txt")) == 1
    for heading in ("Nämnden för Vård & Omsorgs förslag till beslut i kommunfullmäktige",
                    "Nämnden för Tekniks förslag till beslut till kommunfullmäktige",
                    "Byggnadsnämndens förslag till beslut i kommunfullmäktige"):
        assert heading_label(heading) == "proposals", heading
    assert heading_label("Nämnden för Service har fått förslag till beslut i kommunfullmäktige om taxan") is None


def test_a_planning_document_is_of_the_body_whose_resolution_it_reports_on():
    assert real("kungsbacka_ks_2025-04-28_samradsredogorelse_arena.txt").body == "Byggnadsnämnden"
    assert real("kungsbacka_bygg_2026-08-18_granskningsutlatande_gottskarsvagen.txt").body == "Byggnadsnämnden"
    assert resolving_body("Granskningsutlåtande\n\nByggnadsnämnden beslöt den 1 juni 2026 att genomföra granskning.\n") == "Byggnadsnämnden"
    assert resolving_body("Samrådsredogörelse\n\nNämnden beslöt att genomföra samråd.\n") == ""  # no particular body
    late = "Planen\n" + "Text.\n" * 40 + "Kommunfullmäktige beslutade 2020 att anta översiktsplanen.\n"
    assert resolving_body(late) == ""  # a resolution far into the text is background
