"""Extraction rules taught by the eighteenth TUNE batch of data/eval/real/ (twelve Kungsbacka
documents drawn at random from 2024–2026 bundles; 97 % of its checks right on its first run),
each pinned on the document that taught it, through the real pipeline, and on the general form
the rule covers. docs/eval-real.md measures all of them (`tune 18`)."""

from __future__ import annotations

from conftest import real

from extract.body import is_body_line


def test_a_subject_line_ending_in_a_body_after_a_comma_is_the_title_not_the_body():
    doc = real("kungsbacka_teknik_2025-05-20_informationsredovisning.txt")
    assert doc.title == "Informationsredovisning, Nämnden för Teknik"
    assert doc.body == "Nämnden för Teknik"
    assert not is_body_line("Informationsredovisning, Nämnden för Teknik")
    assert is_body_line("Nämnden för Kultur & Fritid") and is_body_line("Kultur- och fritidsnämndens arbetsutskott")
