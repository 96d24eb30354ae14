"""OCR with Swedish tesseract for pages that have no usable text layer.

Runs `pdftoppm` (poppler) to render a page and `tesseract -l swe` on the image; both are
Debian packages. Without them ingest still works: it notes once what it skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from document import Page

OCR_DPI = 300
_WORD = re.compile(r"\S+")
_DAMAGE = re.compile(r"[a-zåäö][&6é1|][a-zåäö]|[a-zåäö]é|é[a-zåäö]", re.I)  # typical English-OCR marks


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        return frozenset()
    result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def available() -> bool:
    return "swe" in tesseract_languages()


def damage_score(text: str) -> float:
    """Share of words that carry a typical English-OCR mark (`férvaltningen`, `&dgare`)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for word in words if _DAMAGE.search(word)) / len(words)


DAMAGED_PAGE_SCORE = 0.02


def damaged_pages(pages: list[Page]) -> list[int]:
    """0-based indexes of pages whose text layer looks badly damaged by OCR."""
    return [i for i, page in enumerate(pages) if page.text.strip() and damage_score(page.text) >= DAMAGED_PAGE_SCORE]


def ocr_page(pdf: Path, page_number: int, dpi: int = OCR_DPI) -> str:
    with tempfile.TemporaryDirectory(prefix="diarium-ocr-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page_number), "-l", str(page_number), str(pdf), str(stem)],
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            ["tesseract", f"{stem}.png", "stdout", "-l", "swe", "--dpi", str(dpi)],
            check=True,
            capture_output=True,
            text=True,
        )
    return result.stdout


def reocr_pages(pdf: Path, pages: list[Page], indexes: list[int], prefer_new: bool = False) -> list[str]:
    """OCR the given pages in place; keep the new text where the old was empty or worse."""
    if not available():
        empty = sum(1 for i in indexes if not pages[i].text.strip())
        if empty:
            return [f"{empty} page(s) without a text layer not OCR'd: Swedish tesseract is not installed"]
        return []
    replaced = 0
    for i in indexes:
        new_text = ocr_page(pdf, pages[i].number)
        old_text = pages[i].text
        if prefer_new or not old_text.strip() or damage_score(new_text) < damage_score(old_text):
            pages[i] = Page(number=pages[i].number, text=new_text, origin="ocr")
            replaced += 1
    return [f"{replaced} page(s) re-OCR'd with Swedish tesseract"] if replaced else []
