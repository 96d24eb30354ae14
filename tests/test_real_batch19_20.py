"""Extraction rules taught by the nineteenth and twentieth TUNE batches of data/eval/real/ (twelve and
eight Kungsbacka documents drawn at random from 2024–2026 bundles; 99.3 % and 98.9 % of their checks
right on their first runs), each pinned on the document that taught it, through the real pipeline,
and on the general form the rule covers. docs/eval-real.md measures all of them (`tune 19`, `tune 20`)."""

from __future__ import annotations

from conftest import real

from extract.sections import heading_label


def test_a_statement_headed_by_a_nämnds_long_name_in_the_genitive():
    doc = real("kungsbacka_miljo_2024-05-30_motion_tolkavgift.txt")
    assessment = [s for s in doc.sections if s.label == "assessment"]
    assert assessment and any(s.heading == "Nämnden för Miljö & Hälsoskydds yttrande" for s in assessment)
    for heading in ("Nämnden för Miljö & Hälsoskydds yttrande", "Nämnden för Tekniks yttrande", "Byggnadsnämndens yttrande"):
        assert heading_label(heading) == "assessment", heading
    assert heading_label("Nämnden för Miljö & Hälsoskydd yttrar sig över motionen") is None
