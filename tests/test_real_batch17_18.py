"""Extraction rules taught by the seventeenth and eighteenth TUNE batches of data/eval/real/
(twelve Kungsbacka documents each, drawn at random from 2024–2026 bundles; 98.5 % and 97 % of
their checks right on their first runs), each pinned on the document that taught it, through the
real pipeline, and on the general form the rule covers. docs/eval-real.md measures all of them
(`tune 17`, `tune 18`)."""

from __future__ import annotations

from conftest import real

from extract.body import is_body_line
from extract.document_date import find_date


def test_a_subject_line_ending_in_a_body_after_a_comma_is_the_title_not_the_body():
    doc = real("kungsbacka_teknik_2025-05-20_informationsredovisning.txt")
    assert doc.title == "Informationsredovisning, Nämnden för Teknik"
    assert doc.body == "Nämnden för Teknik"
    assert not is_body_line("Informationsredovisning, Nämnden för Teknik")
    assert is_body_line("Nämnden för Kultur & Fritid") and is_body_line("Kultur- och fritidsnämndens arbetsutskott")


def test_a_routines_date_is_when_it_was_updated_not_when_it_applies_from():
    # TUNE batch 17: `Gäller från: 2024-03-05` / `Uppdaterad: 2024-03-01`
    assert real("kungsbacka_teknik_2024-03-01_rutin_avstangning_vattenforsorjning.txt").date == "2024-03-01"
    assert find_date("Titel: Rutin\nGäller från: 2024-03-05\nUppdaterad: 2024-03-01\n") == "2024-03-01"
