"""ingest/: page text from the sample PDFs, page furniture removed, bad files reported."""

from __future__ import annotations

import re

import pytest
from reportlab.pdfgen import canvas

from conftest import SAMPLES, sample
from ingest import IngestError, find_files, read_document


def test_reads_every_sample_with_text_and_identity():
    for path in find_files([SAMPLES]).files:
        raw = read_document(path, reocr="never") if ".scan." not in path.name else None
        if raw is None:
            continue
        assert len(raw.doc_id) == 64
        assert raw.pages and raw.file_type == "pdf"
        assert len(raw.text.split()) > 300, path.name


def test_page_counters_and_footers_are_removed():
    raw = read_document(sample("000"), reocr="never")
    assert raw.pages[0].text.startswith("Linkopings Tjansteskrivelse")
    for page in raw.pages:
        assert not re.search(r"\b\d\s?\(\d\)\s*$", page.text, re.M), page.text[:200]
        assert not re.search(r"\n\s*\d{1,2}\s*$", page.text.rstrip()), "lone page number left at page end"


def test_paragraph_gaps_become_blank_lines():
    raw = read_document(sample("004"), reocr="never")
    assert "Ludvig Jansson\nTelefon: 08-50805795\n\nTill" in raw.pages[0].text


def test_text_files_decode_cp1252(tmp_path):
    path = tmp_path / "gammal.txt"
    path.write_bytes("Förslag till beslut\nSocialnämnden föreslås besluta att öka stödet.".encode("cp1252"))
    raw = read_document(path)
    assert "Förslag till beslut" in raw.text and "öka" in raw.text
    assert raw.notes == ["decoded as cp1252 (not UTF-8)"]


def _reason(path) -> str:
    with pytest.raises(IngestError) as error:
        read_document(path, reocr="never")
    assert "\n" not in error.value.reason
    return error.value.reason


def test_bad_files_get_one_line_reasons(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert _reason(empty) == "empty file (0 bytes)"

    html = tmp_path / "page.pdf"
    html.write_text("<!DOCTYPE html><html><body>Inte en PDF</body></html>")
    assert "HTML page" in _reason(html)

    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(sample("003").read_bytes()[:3000])
    assert "corrupt or truncated PDF" in _reason(truncated)

    encrypted = tmp_path / "encrypted.pdf"
    pdf = canvas.Canvas(str(encrypted), encrypt="hemligt")
    pdf.drawString(72, 720, "Förslag till beslut: nämnden beslutar att anta planen.")
    pdf.save()
    assert _reason(encrypted) == "encrypted PDF (give --password)"
    raw = read_document(encrypted, password="hemligt", reocr="never")
    assert "nämnden beslutar" in raw.text

    assert _reason(tmp_path / "missing.pdf") == "file not found"


def test_image_only_pdf_without_ocr_is_an_error():
    reason = _reason(sample("003", "scan"))
    assert reason.startswith("no text found")
