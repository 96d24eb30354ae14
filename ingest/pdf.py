"""PDF pages to text with pdfplumber, one page at a time so memory stays bounded.

Pages with no text layer are handed to OCR (ingest/ocr.py) when the policy allows and
tesseract is installed; running page furniture (headers, footers, `1(4)` counters) is
removed by ingest/layout.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from config import Limits
from document import Page
from ingest import ocr
from ingest.errors import IngestError
from ingest.layout import remove_repeated_edge_lines, strip_page_furniture

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _open(path: Path, password: str | None):
    try:
        return pdfplumber.open(path, password=password or "")
    except (PdfminerException, PDFPasswordIncorrect) as exc:
        raise IngestError(str(path), _describe_pdf_error(exc, password)) from exc
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise IngestError(str(path), _describe_pdf_error(exc, password)) from exc


def _describe_pdf_error(exc: BaseException, password: str | None) -> str:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return "wrong password for encrypted PDF" if password else "encrypted PDF (give --password)"
    text = str(inner).strip().splitlines()[0] if str(inner).strip() else name
    return f"corrupt or truncated PDF ({name}: {text[:120]})"


PARAGRAPH_GAP = 1.6  # a vertical gap this many times the usual line spacing is a blank line


def page_text(page) -> str:
    """The page's lines in reading order, with a blank line wherever the vertical gap
    between lines is clearly larger than the page's usual line spacing (pdfplumber's own
    text output loses those paragraph breaks, which section and title detection need)."""
    lines = page.extract_text_lines(x_tolerance=1.5, y_tolerance=3, return_chars=False)
    if not lines:
        return ""
    steps = sorted(b["top"] - a["top"] for a, b in zip(lines, lines[1:]) if b["top"] > a["top"])
    usual = steps[len(steps) // 4] if steps else lines[0]["bottom"] - lines[0]["top"]  # lower quartile: body spacing
    out = [lines[0]["text"]]
    for previous, line in zip(lines, lines[1:]):
        if line["top"] - previous["top"] > PARAGRAPH_GAP * usual:
            out.append("")
        out.append(line["text"])
    return "\n".join(out)


def read_pdf_pages(
    path: Path,
    *,
    reocr: str = "auto",
    password: str | None = None,
    limits: Limits | None = None,
) -> tuple[list[Page], list[str]]:
    """Return the page texts of a PDF and notes about what was done or skipped."""
    pages: list[Page] = []
    notes: list[str] = []
    needs_ocr: list[int] = []
    scanned: list[int] = []
    pdf = _open(path, password)
    try:
        try:
            page_count = len(pdf.pages)
        except Exception as exc:
            raise IngestError(str(path), _describe_pdf_error(exc, password)) from exc
        if page_count == 0:
            raise IngestError(str(path), "PDF has no pages")
        limits = limits or Limits()
        if page_count > limits.max_pages:
            raise IngestError(str(path), f"PDF has {page_count} pages (the limit is {limits.max_pages})")
        for index, page in enumerate(pdf.pages):
            try:
                text = page_text(page)
                if _is_scan(page):
                    scanned.append(index)
            except Exception as exc:
                raise IngestError(str(path), f"corrupt page {index + 1} ({type(exc).__name__})") from exc
            finally:
                page.close()  # drop pdfplumber's per-page object cache
            pages.append(Page(number=index + 1, text=text, origin="text_layer"))
            if not text.strip():
                needs_ocr.append(index)
    finally:
        pdf.close()

    notes += _apply_reocr_policy(path, pages, needs_ocr, scanned, reocr, limits)

    for page in pages:
        page.text = strip_page_furniture(page.text)
    _strip_repeated_lines(pages)
    return pages, notes


SCAN_COVERAGE = 0.5  # a page whose images cover this share of it is a scan


def _is_scan(page) -> bool:
    """Is the page an image (a scan), so that OCR can read it again? A born-digital page
    whose text layer is itself damaged OCR output (drawn as text) cannot be re-read."""
    area = float(page.width * page.height) or 1.0
    covered = sum(float((image["x1"] - image["x0"]) * (image["bottom"] - image["top"])) for image in page.images)
    return covered / area >= SCAN_COVERAGE


def _apply_reocr_policy(path: Path, pages: list[Page], empty: list[int], scanned: list[int], reocr: str, limits: Limits) -> list[str]:
    """OCR pages with Swedish tesseract by policy: `auto` the pages without a text layer
    and the scanned pages whose text layer is badly damaged (ingest/ocr.py measures it),
    `always` every page, `never` none. A page keeps whichever text is better."""
    if reocr == "never":
        return ["pages without a text layer were not OCR'd (--reocr never)"] if empty else []
    if reocr == "always":
        wanted = [page.number - 1 for page in pages]
    else:
        wanted = sorted(set(empty) | (set(ocr.damaged_pages(pages)) & set(scanned)))
    if len(wanted) > limits.ocr_pages:
        raise IngestError(str(path), f"{len(wanted)} pages need OCR (the limit is {limits.ocr_pages} a file)")
    return ocr.reocr_pages(path, pages, wanted) if wanted else []


def _strip_repeated_lines(pages: list[Page]) -> None:
    """Remove header/footer lines that repeat on most pages (only from page edges)."""
    texts = remove_repeated_edge_lines([page.text for page in pages])
    for page, text in zip(pages, texts):
        page.text = text
