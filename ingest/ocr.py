"""OCR with Swedish tesseract, for pages with no text layer and for scanned pages whose
text layer an earlier, non-Swedish OCR damaged badly (`Social- och omsorgsférvaltningen`).
Which pages to OCR is the policy in ingest/pdf.py (`--reocr auto|always|never`).

How damaged a page is, is measured, not guessed from marks: the share of its lower-case
words that are not Swedish words (`lexicon.rejected_words`). Clean Swedish pages score
0–2 %, pages OCR'd with an English model 14–30 %. The word check lives in the shared
`lexicon` package because normalize's restoration needs the same notion of a Swedish
word, and a stage must not import another stage's internals.

Pages are rendered with `pdftoppm` (poppler) and read with `tesseract -l swe`, both
Debian packages (tesseract-ocr-swe, poppler-utils). When they are missing, ingest still
works: the document gets one note saying which pages were left as they are, and the
process logs it once.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from config import available_cores
from document import Page
from lexicon import rejected_words

OCR_DPI = 300
DAMAGED_SHARE = 0.08  # a page whose lower-case words are rejected this often is re-OCR'd
MIN_CHECKED_WORDS = 20  # fewer words than this: judge the page by the whole document

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        return frozenset()
    result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def available() -> bool:
    return "swe" in tesseract_languages()


def damage(text: str) -> float:
    """Share of the text's lower-case words that are not Swedish (0 if it has none)."""
    rejected, checked = rejected_words(text)
    return rejected / checked if checked else 0.0


def damaged_pages(pages: list[Page]) -> list[int]:
    """0-based indexes of the pages whose text layer is badly damaged."""
    counts = [rejected_words(page.text) for page in pages]
    total_rejected = sum(r for r, _ in counts)
    total_checked = sum(c for _, c in counts)
    document_damaged = total_checked >= MIN_CHECKED_WORDS and total_rejected / total_checked >= DAMAGED_SHARE
    out = []
    for index, (rejected, checked) in enumerate(counts):
        if not checked:
            continue
        share = rejected / checked
        if share >= DAMAGED_SHARE and (checked >= MIN_CHECKED_WORDS or document_damaged):
            out.append(index)
    return out


# Tesseract's OpenMP threads fight over a page's small work items: one thread per
# tesseract read a page in 5.1 s where the default took 8.2 s (2 cores), so pages are
# read one thread each, several pages at a time.
_TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_page(pdf: Path, page_number: int, dpi: int = OCR_DPI) -> str:
    """The text of one page (1-based) read by Swedish tesseract."""
    with tempfile.TemporaryDirectory(prefix="diarium-ocr-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            # PGM, not PNG: poppler's PNG compression took 21 s of a page's 21.2 s
            ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", "-f", str(page_number), "-l", str(page_number), str(pdf), str(stem)],
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            ["tesseract", f"{stem}.pgm", "stdout", "-l", "swe", "--dpi", str(dpi)],
            check=True,
            capture_output=True,
            text=True,
            env=_TESSERACT_ENV,
        )
    return result.stdout


def better(old: str, new: str) -> bool:
    """Is the new OCR text better than the old text layer? Yes if the old one is empty or
    the new one has a clearly smaller share of non-Swedish words without losing most of
    the words (a failed OCR returns little text)."""
    if not old.strip():
        return bool(new.strip())
    old_rejected, old_checked = rejected_words(old)
    new_rejected, new_checked = rejected_words(new)
    if new_checked < old_checked / 2:
        return False
    return new_rejected / max(new_checked, 1) < old_rejected / max(old_checked, 1)


_warned_missing = False


def reocr_pages(pdf: Path, pages: list[Page], indexes: list[int]) -> list[str]:
    """OCR the given pages; a page takes the new text where its old text was empty or
    worse (`better`). Returns notes on what was done or skipped."""
    global _warned_missing
    if not available():
        empty = sum(1 for i in indexes if not pages[i].text.strip())
        damaged = len(indexes) - empty
        if not _warned_missing:
            log.warning("Swedish tesseract (tesseract-ocr-swe, poppler-utils) is not installed: pages are not OCR'd")
            _warned_missing = True
        skipped = [f"{empty} page(s) without a text layer"] if empty else []
        skipped += [f"{damaged} page(s) with a damaged text layer kept as they are"] if damaged else []
        return [f"not OCR'd ({', '.join(skipped)}): Swedish tesseract is not installed"] if skipped else []
    replaced = 0
    notes = []
    with ThreadPoolExecutor(max_workers=max(1, min(len(indexes), available_cores()))) as pool:
        futures = [(i, pool.submit(ocr_page, pdf, pages[i].number)) for i in indexes]
    for i, future in futures:
        try:
            new_text = future.result()
        except subprocess.CalledProcessError as exc:
            reason = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
            notes.append(f"page {pages[i].number}: OCR failed ({reason[-1] if reason else exc.returncode})")
            continue
        if better(pages[i].text, new_text):
            pages[i] = Page(number=pages[i].number, text=new_text, origin="ocr")
            replaced += 1
    if replaced:
        notes.insert(0, f"{replaced} page(s) OCR'd with Swedish tesseract")
    return notes
