"""OCR with Swedish tesseract: reading pages again, and keeping whichever text is better.
Which pages are read is the policy in ingest/pdf.py (`--reocr auto|always|never`); how
damaged a page is, is measured in ingest/damage.py.

Pages are rendered with `pdftoppm` (poppler) and read with `tesseract -l swe`, both
Debian packages (tesseract-ocr-swe, poppler-utils). When they are missing, ingest still
works: the document gets one note saying which pages were left as they are, and the
process logs it once.

Each page is rendered into its own scratch folder `diarium-ocr-<pid>-*` in the system's
temporary folder (2.2 MB a page at 150 dpi, 8.4 MB at 300). A process killed during OCR cannot remove
it, so every ingest starts by removing the scratch folders whose owner process is gone
and that are older than a few minutes (`remove_stale_scratch`). Every tesseract and
pdftoppm run ends by the file's deadline (`config.Limits.seconds_per_file`), also when
the page is hostile.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from config import available_cores
from document import Page
from ingest.errors import over_time_limit
from lexicon import rejected_words

# The resolution pages are rendered at for tesseract, chosen by the trade-off in
# docs/eval-ocr.md ("Re-OCR policy and resolution"): 150 dpi reads the OCR evaluation set
# at 0.43 % WER when every page is read (300 dpi: 0.46 %) and the Nykarleby gold pages at
# 2.93 % under the auto policy (300 dpi: 3.77 %), for 1.49 CPU-s a page (200 dpi 1.69,
# 300 dpi 2.14). 100 dpi (1.10 CPU-s) reads the evaluation set a little worse (0.46 %) and
# leaves body text an x-height of about 7 pixels, below what tesseract is trained on;
# small print (8-point tables) is not in the gold set, so 150 keeps the margin.
OCR_DPI = 150
SCRATCH_PREFIX = "diarium-ocr-"
STALE_SCRATCH_SECONDS = 300  # a scratch folder this old whose owner process is gone is removed

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        return frozenset()
    result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def available() -> bool:
    return "swe" in tesseract_languages()


# Tesseract's OpenMP threads fight over a page's small work items: one thread per
# tesseract read a page in 5.1 s where the default took 8.2 s (2 cores), so pages are
# read one thread each, several pages at a time.
_TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_page(pdf: Path, page_number: int, dpi: int = OCR_DPI, deadline: float | None = None) -> str:
    """The text of one page (1-based) read by Swedish tesseract. `deadline` (a
    `time.monotonic()` value) ends the tools' runs with `subprocess.TimeoutExpired`."""
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            # PGM, not PNG: poppler's PNG compression took 21 s of a page's 21.2 s
            ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", "-f", str(page_number), "-l", str(page_number), str(pdf), str(stem)],
            check=True,
            capture_output=True,
            timeout=_remaining(deadline),
        )
        result = subprocess.run(
            ["tesseract", f"{stem}.pgm", "stdout", "-l", "swe", "--dpi", str(dpi)],
            check=True,
            capture_output=True,
            text=True,
            env=_TESSERACT_ENV,
            timeout=_remaining(deadline),
        )
    return result.stdout


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.1, deadline - time.monotonic())


def better(old: str, new: str) -> bool:
    """Is the new OCR text better than the old text layer? Yes if it has more Swedish
    words than the old one and, unless the old one had no lower-case words at all (a
    stamp line on a scan: `Bilaga Stadsstyrelsen, 26.09.2022 § 199`), a smaller share of
    words that are not Swedish. A failed OCR returns little text and loses."""
    old_rejected, old_checked = rejected_words(old)
    new_rejected, new_checked = rejected_words(new)
    if new_checked - new_rejected <= old_checked - old_rejected:
        return not old.strip() and bool(new.strip())
    return not old_checked or new_rejected / new_checked < old_rejected / old_checked


_warned_missing = False


def reocr_pages(
    pdf: Path, pages: list[Page], indexes: list[int], *, dpi: int = OCR_DPI, deadline: float | None = None, seconds: float = 0.0
) -> list[str]:
    """OCR the given pages; a page takes the new text where it is `better`. Returns notes
    on what was done or skipped. Past `deadline` the file fails (`seconds` is the limit,
    for the message)."""
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
        futures = [(i, pool.submit(ocr_page, pdf, pages[i].number, dpi, deadline)) for i in indexes]
        for i, future in futures:
            try:
                new_text = future.result()
            except subprocess.TimeoutExpired:
                for _, waiting in futures:
                    waiting.cancel()
                raise over_time_limit(str(pdf), seconds) from None
            except subprocess.CalledProcessError as exc:
                stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr or ""
                reason = stderr.strip().splitlines()
                notes.append(f"page {pages[i].number}: OCR failed ({reason[-1][:80] if reason else f'exit {exc.returncode}'})")
                continue
            if better(pages[i].text, new_text):
                pages[i] = Page(number=pages[i].number, text=new_text, origin="ocr")
                replaced += 1
    if replaced:
        notes.insert(0, f"{replaced} page(s) OCR'd with Swedish tesseract")
    return notes


def remove_stale_scratch(folder: Path | None = None, older_than: float = STALE_SCRATCH_SECONDS) -> list[Path]:
    """Remove OCR scratch folders left by processes that were killed during OCR: those
    older than `older_than` seconds whose owner process (the pid in the name) is gone.
    Returns the folders removed."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    for path in folder.glob(f"{SCRATCH_PREFIX}*"):
        try:
            age = time.time() - path.lstat().st_mtime
        except OSError:
            continue
        if age < older_than or not path.is_dir() or path.is_symlink() or _owner_alive(path.name):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _owner_alive(name: str) -> bool:
    """Is the process whose pid the scratch folder's name carries still running? A name
    without a pid (written before pids were recorded) has no owner left to wait for."""
    pid = name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True

