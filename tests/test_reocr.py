"""Re-OCR with Swedish tesseract (ingest/ocr.py, the damage measure in ingest/damage.py and
the policy in ingest/pdf.py) on real pages: Nykarleby's broken font encodings are read
again although the PDFs are born digital, a scan with only a stamp line is read, what
restoration repairs and clean or foreign text are left alone; the better text is kept;
ingest works without tesseract; OCR scratch folders of killed runs are removed."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, sample
from errors import UsageError
from errors import IngestError
from ingest import damage, ocr
from ingest.reader import read_document
from ingest.pdf import pages_to_reocr, text_layer
from normalize import normalize_text

sys.path.insert(0, str(ROOT / "tests" / "eval"))
from wer import wer  # noqa: E402

GOLD = ROOT / "data" / "eval" / "reocr"
NYKARLEBY = ROOT.parent / "shared" / "real" / "documents"
YOUTH_COUNCIL = NYKARLEBY / "ungdomsfullmaktige_protokoll_30_01_2023_16_15_153457.pdf"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Swedish tesseract is not installed")


def one_page(pdf: Path, number: int, folder: Path) -> Path:
    """Page `number` of `pdf` as a PDF of its own (poppler's pdfseparate)."""
    out = folder / f"{pdf.stem}-p{number}.pdf"
    subprocess.run(["pdfseparate", "-f", str(number), "-l", str(number), str(pdf), str(out)], check=True)
    return out


def test_broken_font_encodings_are_unreadable_after_restoration():
    layer = text_layer(YOUTH_COUNCIL)
    assert "Ungdomsfullmäktgg godkänngr förgdrggnnngslnsagn" in layer.pages[4].text  # page 5 as its text layer has it
    assert damage.measure(layer.pages[4].text).unreadable()
    assert not layer.scanned & {4, 8}  # born digital: the old policy never read these pages again
    assert {4, 8} <= set(pages_to_reocr(layer, "auto"))


def test_what_restoration_repairs_and_clean_or_foreign_text_are_not_reread(tmp_path):
    english_ocr = text_layer(sample("003", "ocr")).pages
    assert all(damage.measure(page.text).checked for page in english_ocr)
    assert max(damage.measure(page.text).share for page in english_ocr) < 0.05  # 14–21 % rejected before restoration
    for kind in ("pdf", "ocr"):
        assert pages_to_reocr(text_layer(sample("004", kind)), "auto") == [], kind
    bilingual = text_layer(one_page(NYKARLEBY / "personalsektionen_protokoll_28_03_2023_15_00_159076.pdf", 14, tmp_path))
    measured = damage.measure(bilingual.pages[0].text)
    assert measured.foreign_share > 0.2 and not measured.unreadable()  # Swedish and Finnish columns
    assert pages_to_reocr(bilingual, "auto") == []


def test_a_scan_with_only_a_stamp_line_is_chosen(tmp_path):
    layer = text_layer(one_page(NYKARLEBY / "stadsstyrelsen_foredragningslista_26_09_2022_16_30_140208.pdf", 49, tmp_path))
    assert layer.pages[0].text.strip() == "Bilaga Stadsstyrelsen, 26.09.2022 § 199" and layer.scanned == {0}
    assert pages_to_reocr(layer, "auto") == [0]
    assert pages_to_reocr(layer, "never") == []


def test_the_better_text_is_kept():
    damaged = "Förslag:\nUngdomsfullmäktgg godkänngr förgdrggnnngslnsagn och beslutar om eventuella tilläggsärenden."
    clean = "Förslag:\nUngdomsfullmäktige godkänner föredragningslistan och beslutar om eventuella tilläggsärenden."
    assert ocr.better(damaged, clean)
    assert not ocr.better(clean, damaged)
    assert ocr.better("", clean)
    assert not ocr.better(clean, "godkänner")  # a failed OCR that lost most of the words
    stamp = "Bilaga Stadsstyrelsen, 26.09.2022 § 199"
    assert ocr.better(stamp, stamp + "\nFöreningen ansöker härmed om bidrag för det uppsökande ungdomsarbetet.")


def test_unknown_policy_is_a_usage_error():
    with pytest.raises(UsageError, match="re-OCR policy 'sometimes'"):
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
        raw = read_document(YOUTH_COUNCIL, reocr="auto")
        again = read_document(YOUTH_COUNCIL, reocr="auto")
    assert raw.text.strip() and all(page.origin == "text_layer" for page in raw.pages)
    (note,) = [n for n in raw.notes if "not OCR'd" in n]
    assert "damaged text layer" in note and "tesseract is not installed" in note
    assert any("not OCR'd" in n for n in again.notes)
    assert len([r for r in caplog.records if "tesseract" in r.getMessage()]) == 1  # once per process
    with pytest.raises(IngestError, match="tesseract is not installed"):
        read_document(sample("003", "scan"), reocr="auto")


def test_never_leaves_damaged_pages_alone():
    raw = read_document(YOUTH_COUNCIL, reocr="never")
    assert all(page.origin == "text_layer" for page in raw.pages)


@pytest.mark.slow
@needs_tesseract
def test_a_born_digital_page_with_a_broken_encoding_is_read_again(tmp_path):
    page = one_page(YOUTH_COUNCIL, 5, tmp_path)
    raw = read_document(page, reocr="auto")
    assert raw.pages[0].origin == "ocr" and raw.notes[0] == "1 page(s) OCR'd with Swedish tesseract"
    text, _ = normalize_text(raw.text)
    assert "Ungdomsfullmäktige godkänner föredragningslistan" in text
    gold = (GOLD / "ungdomsfullmaktige_2023-01-30_p05.txt").read_text(encoding="utf-8")
    before, _ = normalize_text(read_document(page, reocr="never").text)
    assert wer(gold, text) < 0.2 < 0.4 < wer(gold, before)  # the logo, read as words, is most of what is left


@pytest.mark.slow
@needs_tesseract
def test_a_stamp_only_scan_is_read(tmp_path):
    raw = read_document(one_page(NYKARLEBY / "stadsstyrelsen_foredragningslista_26_09_2022_16_30_140208.pdf", 49, tmp_path))
    assert raw.pages[0].origin == "ocr"
    assert "ANSÖKAN OM BIDRAG FÖR UPPSÖKANDE UNGDOMSARBETE" in raw.text


@pytest.mark.slow
@needs_tesseract
def test_image_only_pdf_is_ocrd_in_swedish():
    raw = read_document(sample("003", "scan"), reocr="auto")
    assert all(page.origin == "ocr" for page in raw.pages)
    text, _ = normalize_text(raw.text)
    assert "Våld i nära relation" in text
    assert wer((ROOT / "data" / "eval" / "ocr" / "003_db53f24a16d4a028.txt").read_text(encoding="utf-8"), text) < 0.03


def test_scratch_folders_of_killed_runs_are_removed(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid whose process has ended
    old = time.time() - 2 * ocr.STALE_SCRATCH_SECONDS
    killed = tmp_path / f"{ocr.SCRATCH_PREFIX}{gone.pid}-abc"
    running = tmp_path / f"{ocr.SCRATCH_PREFIX}{os.getpid()}-def"
    fresh = tmp_path / f"{ocr.SCRATCH_PREFIX}{gone.pid}-ghi"
    for folder in (killed, running, fresh):
        folder.mkdir()
        (folder / "page.pgm").write_bytes(b"P5 1 1 255 \x00")
    for folder in (killed, running):
        os.utime(folder, (old, old))
    assert ocr.remove_stale_scratch(tmp_path) == [killed]
    assert not killed.exists() and running.exists() and fresh.exists()
