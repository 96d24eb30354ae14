"""Re-OCR with Swedish tesseract (ingest/ocr.py and the policy in ingest/pdf.py): the
damage measure, keeping the better text, working without tesseract, and real OCR of an
image-only PDF and of a damaged text layer."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from conftest import ROOT, sample
from ingest import IngestError, ocr, read_document
from ingest.pdf import read_pdf_pages
from normalize import normalize_text

sys.path.insert(0, str(ROOT / "tests" / "eval"))
from wer import wer  # noqa: E402

GOLD_003 = ROOT / "data" / "eval" / "ocr" / "003_db53f24a16d4a028.txt"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Swedish tesseract is not installed")


def test_damage_measure_separates_clean_from_ocr_damaged_pages():
    clean, _ = read_pdf_pages(sample("003"), reocr="never")
    damaged, _ = read_pdf_pages(sample("003", "ocr"), reocr="never")
    real_archive, _ = read_pdf_pages(sample("000"), reocr="never")
    assert ocr.damaged_pages(clean) == []
    assert ocr.damaged_pages(damaged) == list(range(len(damaged)))
    assert len(ocr.damaged_pages(real_archive)) >= len(real_archive) - 1
    assert max(ocr.damage(page.text) for page in clean) < 0.03
    assert min(ocr.damage(page.text) for page in damaged) > 0.1


def test_the_better_text_is_kept():
    damaged = "Forslag till beslut: vald i nara relationer och hedersrelaterat fértryck beaktas och féljs upp"
    clean = "Förslag till beslut: våld i nära relationer och hedersrelaterat förtryck beaktas och följs upp"
    assert ocr.better(damaged, clean)
    assert not ocr.better(clean, damaged)
    assert ocr.better("", clean)
    assert not ocr.better(clean, "våld")  # a failed OCR that lost most of the words


def test_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="re-OCR policy"):
        read_document(sample("003"), reocr="sometimes")


@pytest.fixture()
def without_tesseract(monkeypatch, tmp_path):
    """A PATH on which neither tesseract nor pdftoppm can be found."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(ocr, "_warned_missing", False)
    ocr.tesseract_languages.cache_clear()
    yield
    ocr.tesseract_languages.cache_clear()


def test_without_tesseract_ingest_works_and_says_once_what_it_skipped(without_tesseract, caplog):
    with caplog.at_level(logging.WARNING, logger="ingest.ocr"):
        raw = read_document(sample("003", "ocr"), reocr="auto")
        again = read_document(sample("004", "ocr"), reocr="auto")
    assert raw.text.strip() and all(page.origin == "text_layer" for page in raw.pages)
    (note,) = [n for n in raw.notes if "not OCR'd" in n]
    assert "damaged text layer" in note and "tesseract is not installed" in note
    assert any("not OCR'd" in n for n in again.notes)
    assert len([r for r in caplog.records if "tesseract" in r.getMessage()]) == 1  # once per process
    with pytest.raises(IngestError, match="tesseract is not installed"):
        read_document(sample("003", "scan"), reocr="auto")


@needs_tesseract
def test_a_damaged_text_layer_that_is_no_scan_is_not_reocrd():
    """Sample 000 is born digital: its (damaged) text is drawn as text, with no image that
    OCR could read again; restoration is all that can help it."""
    raw = read_document(sample("000"), reocr="auto")
    assert all(page.origin == "text_layer" for page in raw.pages)
    assert not any("OCR" in note for note in raw.notes)


def test_never_leaves_damaged_pages_alone():
    raw = read_document(sample("003", "ocr"), reocr="never")
    assert all(page.origin == "text_layer" for page in raw.pages)


@pytest.mark.slow
@needs_tesseract
def test_image_only_pdf_is_ocrd_in_swedish():
    raw = read_document(sample("003", "scan"), reocr="auto")
    assert all(page.origin == "ocr" for page in raw.pages)
    assert any("OCR'd with Swedish tesseract" in note for note in raw.notes)
    text, _ = normalize_text(raw.text)
    assert "Våld i nära relation" in text
    assert wer(GOLD_003.read_text(encoding="utf-8"), text) < 0.03


@pytest.mark.slow
@needs_tesseract
def test_damaged_text_layer_is_reocrd_and_the_better_text_kept():
    before, _ = read_pdf_pages(sample("003", "ocr"), reocr="never", max_pages=1)
    after, notes = read_pdf_pages(sample("003", "ocr"), reocr="auto", max_pages=1)
    assert after[0].origin == "ocr"
    assert ocr.damage(after[0].text) < ocr.damage(before[0].text) / 3
    assert "förvaltningen" in after[0].text
