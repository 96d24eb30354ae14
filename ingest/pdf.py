"""PDF pages to text with pdfplumber, one page at a time so memory stays bounded, and the
re-OCR policy: which pages Swedish tesseract reads again (ingest/ocr.py).

`auto` re-reads a page when its text cannot be made readable Swedish otherwise:
- it has no text layer;
- it is a scan whose text layer holds no running text (no lower-case word, fewer than
  `MIN_SCAN_WORDS` words): the image was never read, only a stamp was written on it
  (`Bilaga Stadsstyrelsen, 26.09.2022 § 199`);
- its text stays unreadable after restoration (ingest/damage.py), scan or born digital:
  a broken font encoding (`protokojjet`, `Förgdrggnnngslnsagn`) is drawn with the right
  glyphs, so the rendered page reads well although its text layer does not.
A scan whose English-model OCR layer restoration repairs (`férvaltningen`) is not read
again: on the OCR evaluation set that costs 0.6 points of WER (1.02 % against 0.41 %)
and saves all of its OCR (39 of 48 pages, 70 CPU-s); on the Nykarleby gold pages the
policy takes WER from 32.7 % to 2.93 % reading 107 of 254 pages (docs/eval-ocr.md, "Re-OCR
policy and resolution"). `always` re-reads every page with anything drawn on it, `never`
none. A page keeps whichever text is better (`ocr.better`).

Hostile files end in a one-line error: a page whose content streams inflate past
`MAX_PAGE_CONTENT_BYTES` is refused before pdfminer interprets it (a 300 KB file can
hold a 300 MB stream), and anything pdfminer raises on a damaged page becomes
"corrupt PDF (page N)".
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.utils.exceptions import PdfminerException

from config import Limits
from document import Page
from ingest import damage, ocr
from ingest.errors import IngestError
from ingest.layout import strip_furniture
from lexicon import rejected_words

logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_SCAN_WORDS = 20  # a scan with fewer words and none lower-case was never read (a stamp line has 5)
SCAN_COVERAGE = 0.5  # a page whose images cover this share of it is a scan
MAX_PAGE_CONTENT_BYTES = 100 * 2**20  # decoded content of one page; real pages have a few MB at most
PARAGRAPH_GAP = 1.6  # a vertical gap this many times the usual line spacing is a blank line


def read_pdf_pages(
    path: Path,
    *,
    reocr: str = "auto",
    password: str | None = None,
    limits: Limits | None = None,
    deadline: float | None = None,
) -> tuple[list[Page], list[str]]:
    """Return the page texts of a PDF and notes about what was done or skipped.
    `deadline` (`time.monotonic()`) bounds OCR; the parse workers bound the rest."""
    limits = limits or Limits()
    layer = text_layer(path, password=password, limits=limits)
    notes = _apply_reocr_policy(path, layer, reocr, limits, deadline)
    for page, text in zip(layer.pages, strip_furniture([page.text for page in layer.pages])):
        page.text = text
    return layer.pages, notes


@dataclass
class TextLayer:
    """A PDF's pages as its text layer has them (furniture not yet removed)."""

    pages: list[Page]
    scanned: set[int] = field(default_factory=set)  # 0-based indexes of the pages that are scans
    blank: set[int] = field(default_factory=set)  # pages with nothing drawn on them: no text, image or vector graphics


def text_layer(path: Path, *, password: str | None = None, limits: Limits | None = None) -> TextLayer:
    limits = limits or Limits()
    layer = TextLayer(pages=[])
    pdf = _open(path, password)
    try:
        try:
            page_count = len(pdf.pages)
        except Exception as exc:
            raise IngestError(str(path), _describe_pdf_error(exc, password)) from exc
        if page_count == 0:
            raise IngestError(str(path), "PDF has no pages")
        if page_count > limits.max_pages:
            raise IngestError(str(path), f"PDF has {page_count} pages (the limit is {limits.max_pages})")
        for index, page in enumerate(pdf.pages):
            _check_content_size(path, page, index + 1)
            try:
                text = page_text(page)
                if _is_scan(page):
                    layer.scanned.add(index)
                if not any(page.objects.get(kind) for kind in ("char", "image", "curve", "line", "rect")):
                    layer.blank.add(index)
            except (RecursionError, MemoryError):
                raise
            except Exception as exc:  # pdfminer raises many unrelated types for damaged pages
                raise IngestError(str(path), f"corrupt PDF (page {index + 1})") from exc
            finally:
                page.close()  # drop pdfplumber's per-page object cache
            layer.pages.append(Page(number=index + 1, text=text, origin="text_layer"))
    finally:
        _close(pdf)
    return layer


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


def pages_to_reocr(layer: TextLayer, policy: str, threshold: float = damage.UNREADABLE_SHARE) -> list[int]:
    """0-based indexes of the pages the policy has OCR read again (see the module docstring).
    A page with nothing drawn on it is never read: there is nothing to read."""
    if policy == "never":
        return []
    return [
        index
        for index, page in enumerate(layer.pages)
        if index not in layer.blank
        and (
            policy == "always"
            or not page.text.strip()
            or (index in layer.scanned and _never_read(page.text))
            or damage.measure(page.text, threshold).unreadable(threshold)
        )
    ]


def _apply_reocr_policy(path: Path, layer: TextLayer, policy: str, limits: Limits, deadline: float | None) -> list[str]:
    if policy == "never":
        unread = any(not page.text.strip() and index not in layer.blank for index, page in enumerate(layer.pages))
        return ["pages without a text layer were not OCR'd (--reocr never)"] if unread else []
    wanted = pages_to_reocr(layer, policy)
    if len(wanted) > limits.ocr_pages:
        raise IngestError(str(path), f"{len(wanted)} pages need OCR (the limit is {limits.ocr_pages} a file)")
    if not wanted:
        return []
    return ocr.reocr_pages(path, layer.pages, wanted, deadline=deadline, seconds=limits.seconds_per_file)


def _never_read(text: str) -> bool:
    """Is a scan's text layer no reading of its image: no running text, a stamp at most?"""
    return len(text.split()) < MIN_SCAN_WORDS and rejected_words(text)[1] == 0


def _is_scan(page) -> bool:
    """Is the page an image (a scan), so that OCR can read it again?"""
    area = float(page.width * page.height) or 1.0
    covered = sum(float((image["x1"] - image["x0"]) * (image["bottom"] - image["top"])) for image in page.images)
    return covered / area >= SCAN_COVERAGE


def _check_content_size(path: Path, page, number: int) -> None:
    """Refuse a page whose content streams (and the forms they draw) inflate past
    MAX_PAGE_CONTENT_BYTES, inflating at most that much to find out."""
    try:
        streams = _content_streams(page.page_obj)
        total = 0
        for stream in streams:
            total += _decoded_size(stream, MAX_PAGE_CONTENT_BYTES - total)
            if total > MAX_PAGE_CONTENT_BYTES:
                limit = MAX_PAGE_CONTENT_BYTES // 2**20
                raise IngestError(str(path), f"page {number} inflates to more than {limit} MB of content (a compression bomb?)")
    except IngestError:
        raise
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:
        raise IngestError(str(path), f"corrupt PDF (page {number})") from exc


def _content_streams(page_obj) -> list[PDFStream]:
    """The page's content streams and the form XObjects of its resources (one level)."""
    streams = [stream for stream in (resolve1(s) for s in page_obj.contents) if isinstance(stream, PDFStream)]
    resources = resolve1(page_obj.resources) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    for value in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        xobject = resolve1(value)
        if isinstance(xobject, PDFStream) and str(resolve1(xobject.attrs.get("Subtype"))) == "/'Form'":
            streams.append(xobject)
    return streams


def _decoded_size(stream: PDFStream, budget: int) -> int:
    """The stream's decoded length, or a number above `budget` as soon as it passes it.
    A plain Flate stream is inflated in a bounded buffer; other filters are decoded."""
    filters = stream.get_filters()
    if stream.data is None and len(filters) == 1 and str(filters[0][0]) in ("/'FlateDecode'", "/'Fl'") and stream.rawdata is not None:
        inflater = zlib.decompressobj()
        try:
            return len(inflater.decompress(stream.rawdata, max(budget, 0) + 1))
        except zlib.error:
            return 0  # pdfminer's own decoding reports it, as a corrupt page
    return len(stream.get_data())


def _close(pdf) -> None:
    """Close the document; pdfplumber's close reads the page tree again, which raises on a
    damaged file and must not hide the error that stopped the reading."""
    try:
        pdf.close()
    except Exception:
        pass


def _open(path: Path, password: str | None):
    try:
        return pdfplumber.open(path, password=password or "")
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise IngestError(str(path), _describe_pdf_error(exc, password)) from exc


_READABLE = re.compile(r"^[\w .,:;()'/!?-]{1,80}$")


def _describe_pdf_error(exc: BaseException, password: str | None) -> str:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(inner, PDFPasswordIncorrect) or "Password" in type(inner).__name__ or "Encrypt" in type(inner).__name__:
        return "wrong password for encrypted PDF" if password else "encrypted PDF (give --password)"
    detail = str(inner).strip()
    # pdfminer's messages often quote raw bytes (`[/'ID', [b'Y\xb80\x02', …`): the type says enough then
    cause = f"{type(inner).__name__}: {detail}" if _READABLE.match(detail) else type(inner).__name__
    return f"corrupt or truncated PDF ({cause})"
