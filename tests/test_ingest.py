"""ingest/: page text from the sample PDFs, page furniture removed, bad files reported."""

from __future__ import annotations

import re

import pytest
from reportlab.pdfgen import canvas

from conftest import ROOT, SAMPLES, sample
from errors import IngestError
from ingest.files import find_files
from ingest.reader import read_document


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


REAL = ROOT / "data" / "eval" / "real" / "documents"
SHARED = ROOT.parent / "shared" / "real" / "documents"
MARKDOWN = """---
kommun: kungsbacka
organ: bygg-au
typ: kallelse
---

<!-- sida 1 -->

# KALLELSE/UNDERRÄTTELSE

**Byggnadsnämndens   arbetsutskott**

[Tabell 1-1](kallelse.tabeller/1-1.csv)

|  | Ärende | Beteckning | Förslag |
| --- | --- | --- | --- |
| 1. | Förändring av<br>ärendelista | BN-2025-<br>00001 | Förslag till beslut<br>Arbetsutskottet godkänner *ärendelistan*. |

<!-- sida 2 -->

KUNGSBACKA  KOMMUN

2(2)

Sekreterare \\_\\_\\_\\_ Sofia Johansson
"""


def test_markdown_reads_as_page_text(tmp_path):
    path = tmp_path / "kallelse.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    raw = read_document(path)
    assert raw.file_type == "md" and len(raw.pages) == 2
    first, second = (page.text for page in raw.pages)
    assert "kommun:" not in raw.text and "<!--" not in raw.text and ".csv" not in raw.text and "| ---" not in raw.text
    assert first.startswith("KALLELSE/UNDERRÄTTELSE\n\nByggnadsnämndens   arbetsutskott\n")
    assert "Ärende\tBeteckning\tFörslag\n\n1.\tFörändring av\närendelista\tBN-2025-\n00001\tFörslag till beslut\nArbetsutskottet godkänner ärendelistan." in first
    assert "2(2)" not in second and "Sekreterare ____ Sofia Johansson" in second


def test_real_markdown_agenda_has_its_pages_and_rows():
    raw = read_document(REAL / "kungsbacka_ifo_kallelse_2025-10-16.md")
    assert len(raw.pages) == 4
    assert "1.\tGodkännande av dagordningen\tIF-2023-\n00055\tFörslag till beslut\n" in raw.pages[0].text
    assert "|" not in raw.text and "<br>" not in raw.text


def test_running_headers_and_signature_stamps_of_text_pages_are_furniture():
    raw = read_document(SHARED / "kungsbacka_bnau_protokoll_2024-05-23_p137_163_164.txt")
    first, *later = (page.text for page in raw.pages)
    assert first.startswith("KUNGSBACKA KOMMUN                  SAMMANTRÄDESPROTOKOLL\nByggnadsnämndens arbetsutskott\nDatum\n")
    for page in later:
        assert "SAMMANTRÄDESPROTOKOLL" not in page and not page.lstrip().startswith("Byggnadsnämndens arbetsutskott")
    assert "digitalt signerat" not in raw.text and "Transaktionsidentitet" not in raw.text
    assert "§ 137 Dnr BN-2023-00211" in raw.text


def test_a_running_footer_goes_from_the_first_page_too_and_template_lines_go():
    from ingest.layout import strip_furniture

    pages = [f"Rubrik {n}\nText på sidan {n}.\nStadsrevisionen, Styrning genom planer och program {n} (4)" for n in range(1, 5)]
    pages[0] = "Rapportsammandrag\nTa inte bort denna rad den innehåller dold information\n" + pages[0]
    cleaned = strip_furniture(pages)
    assert not any("Stadsrevisionen, Styrning" in page for page in cleaned)
    assert "Ta inte bort" not in cleaned[0] and cleaned[0].startswith("Rapportsammandrag\nRubrik 1")


def test_a_diary_number_repeated_at_page_tops_is_no_running_header():
    raw = read_document(SHARED / "ungdomsfullmaktige_protokoll_30_01_2023_16_15_153457.pdf", reocr="never")
    assert "NKBY/58/12.03.01/2023" in raw.pages[8].text
    assert "Protokoll 7 § 30.01.2023 Sida" not in raw.pages[8].text


def test_utf16_text_is_decoded(tmp_path):
    swedish = "Förslag till beslut\nSocialnämnden föreslås besluta att öka stödet till våldsutsatta."
    for encoding, name in (("utf-16", "bom.txt"), ("utf-16-le", "le.txt"), ("utf-16-be", "be.txt")):
        path = tmp_path / name
        path.write_bytes(swedish.encode(encoding))
        raw = read_document(path)
        assert raw.text.strip() == swedish, encoding


def test_random_bytes_are_no_text(tmp_path):
    import random

    noise = tmp_path / "brus.txt"
    noise.write_bytes(random.Random(7).randbytes(200_000))
    assert _reason(noise).startswith("binary file, not text or PDF")
