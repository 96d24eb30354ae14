"""The OCR repair evaluation (tests/eval/ocr_eval.py) on a small set, with the targets of
issue 3: on the text layers of the OCR'd sample PDFs restoration removes at least 95 % of
the word errors, and on the digital PDFs it breaks at most 1 correct word in 1 000."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "eval"))
import ocr_eval  # noqa: E402

SAMPLES = ["002", "003", "004"]  # the OCR'd sample PDFs (003 and 002 were used for training, 004 not)


@pytest.fixture(scope="module")
def rows():
    return [ocr_eval.evaluate(document) for document in ocr_eval.load_documents(only=SAMPLES)]


def test_the_small_set_is_the_sample_pdfs(rows):
    assert sorted(row.document.name for row in rows) == SAMPLES
    assert all(row.document.ocr.name.endswith(".ocr.pdf") and row.document.digital for row in rows)


def test_restoration_removes_95_percent_of_the_word_errors(rows):
    raw, restored = ocr_eval.Score(), ocr_eval.Score()
    for row in rows:
        raw.add(row.raw)
        restored.add(row.restored)
        assert row.raw.wer > 0.2  # the text layers really are damaged
        assert ocr_eval.reduction(row.raw, row.restored) > 0.9, row.document.name
    assert ocr_eval.reduction(raw, restored) >= 0.95


def test_restoration_breaks_at_most_one_correct_word_in_a_thousand(rows):
    broken = sum(row.digital_broken for row in rows)
    words = sum(row.digital.words for row in rows)
    assert broken <= words / 1000


def test_the_report_has_a_row_per_document_and_the_totals(rows):
    report = ocr_eval.report(rows, with_reocr=False)
    for name in SAMPLES:
        assert f"| {name} |" in report
    assert "| all | 3 |" in report and "words/s" in report
