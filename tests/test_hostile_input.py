"""Hostile and huge input (issue 14): every file ends in a one-line error naming its cause,
within the per-file limits, and the batch goes on. The hostile PDFs are written at run
time by the small generators below (a few hundred KB each), never committed."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from config import Limits
from conftest import ROOT, SEEDS, sample
from errors import IngestError
from ingest import ocr
from ingest.reader import read_document
from pipeline.parallel import ParseRequest, parse_all


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a right xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def one_page(page: bytes, *more: bytes) -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, *more])


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def blank_pages(count: int, drawn: bool = False) -> bytes:
    """`count` pages without text (3,000 of them in 300 KB), empty or each with a box drawn
    on it (one content stream, object 3, shared by all)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    contents = b" /Contents 3 0 R" if drawn else b""
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>" % contents] * count
    catalog = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    return pdf_bytes([*catalog, stream(b"72 72 200 100 re f"), *pages])


def page_tree_loop() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def deep_nesting(depth: int) -> bytes:
    """A page whose content stream holds arrays nested `depth` deep after a line of text."""
    content = b"BT /F1 12 Tf 72 720 Td (Protokoll fort vid sammantradet) Tj ET\n" + b"[" * depth + b"]" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    return one_page(page, stream(content), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")


def flate_bomb(megabytes: int) -> bytes:
    """A page whose content stream inflates to `megabytes` MB (300 MB in about 450 KB)."""
    compressor = zlib.compressobj(9)
    block = b"0 0 m\n" * (2**20 // 6)
    data = b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()
    return one_page(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", stream(data, b"/Filter /FlateDecode"))


def fuzzed(source: bytes, seed: int, changes: int = 40) -> bytes:
    rng = random.Random(seed)
    data = bytearray(source)
    for _ in range(changes):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _reason(path: Path, **kwargs) -> str:
    with pytest.raises(IngestError) as error:
        read_document(path, **kwargs)
    assert "\n" not in error.value.reason and error.value.path == str(path)
    return error.value.reason


def test_pdfs_built_to_exhaust_end_in_one_line_errors(tmp_path):
    cases = {
        "blanka.pdf": (blank_pages(3000), "PDF has 3000 pages (the limit is 2000)"),
        "ritade.pdf": (blank_pages(400, drawn=True), "400 pages need OCR (the limit is 300 a file)"),
        "blanka-ocr.pdf": (blank_pages(1000), "no text found"),  # nothing drawn: nothing to OCR
        "bomb.pdf": (flate_bomb(300), "page 1 inflates to more than 100 MB of content (a compression bomb?)"),
        "slinga.pdf": (page_tree_loop(), "no text found"),  # pdfminer visits each node of the tree once: one blank page
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert _reason(path, reocr="auto") == reason, name
    assert os.path.getsize(tmp_path / "blanka.pdf") < 400_000 and os.path.getsize(tmp_path / "bomb.pdf") < 600_000


def test_deep_nesting_is_read_without_recursing(tmp_path):
    path = tmp_path / "nastlad.pdf"
    path.write_bytes(deep_nesting(200_000))
    assert "Protokoll fort vid sammantradet" in read_document(path, reocr="never").text


def test_fuzzed_pdfs_fail_with_readable_one_line_errors(tmp_path):
    sources = [sample("004").read_bytes(), sample("000").read_bytes()]
    outcomes = {"read": 0, "failed": 0}
    for seed in range(60):
        path = tmp_path / f"fuzz{seed}.pdf"
        path.write_bytes(fuzzed(sources[seed % 2], seed))
        try:
            read_document(path, reocr="never")
            outcomes["read"] += 1
        except IngestError as error:
            outcomes["failed"] += 1
            reason = error.reason
            assert "\n" not in reason and "\\x" not in reason and "b'" not in reason, reason
            assert reason.startswith(("corrupt PDF (page ", "corrupt or truncated PDF (", "no text found")), reason
    assert outcomes["failed"] >= 30, outcomes


def _diarium(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir), "DIARIUM_REOCR": "never", "COLUMNS": "200"}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_a_fifo_and_a_device_fail_at_once_through_the_cli(tmp_path):
    fifo = tmp_path / "ror"
    os.mkfifo(fifo)
    result = _diarium("ingest", str(fifo), "/dev/zero", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert f"{fifo}: a named pipe (FIFO), not a regular file" in result.stderr
    assert "/dev/zero: a device, not a regular file" in result.stderr
    assert "2 failed" in result.stdout


@pytest.mark.skipif(not ocr.available(), reason="Swedish tesseract is not installed")
def test_ocr_ends_at_the_time_limit():
    limits = Limits(seconds_per_file=1)
    started = time.monotonic()
    assert _reason(sample("003", "scan"), reocr="auto", limits=limits) == "took longer than 1 s to read (the limit per file)"
    assert time.monotonic() - started < 30  # the tesseract runs were ended, not waited for


def test_the_time_limit_holds_inline(tmp_path):
    big = tmp_path / "lang.txt"
    big.write_text((SEEDS / "003_db53f24a16d4a028.txt").read_text(encoding="utf-8") * 200, encoding="utf-8")
    request = ParseRequest(big, "x" * 64, "never", None, Limits(seconds_per_file=1))
    ((job, outcome),) = list(parse_all([("lang", request)], workers=1, limits=request.limits))
    assert isinstance(outcome, IngestError) and outcome.reason == "took longer than 1 s to read (the limit per file)"


def _kill_workers_reading(culprit: Path, stop: threading.Event) -> None:
    """Kill every child process that has `culprit` open: a worker that dies whenever it
    parses that file, as the kernel's OOM killer or a crash in a C library would have it."""
    me = os.getpid()
    while not stop.is_set():
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if int(open(f"/proc/{pid}/stat").read().split(") ")[1].split()[1]) != me:
                    continue
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(culprit) for fd in os.listdir(f"/proc/{pid}/fd")):
                    os.kill(int(pid), 9)
            except (OSError, IndexError, ValueError):
                continue
        time.sleep(0.05)


@pytest.mark.slow
def test_a_dying_worker_fails_only_its_file(tmp_path):
    culprit = tmp_path / "dodlig.pdf"
    pdf = canvas.Canvas(str(culprit))
    for number in range(300):  # long enough to be caught parsing it
        pdf.drawString(72, 720, f"Sida {number}: nämnden beslutar att anta planen för våld i nära relationer.")
        pdf.showPage()
    pdf.save()
    text = (SEEDS / "003_db53f24a16d4a028.txt").read_text(encoding="utf-8")[:3000]
    files = [culprit]
    for number in range(4):
        files.append(tmp_path / f"bra{number}.txt")
        files[-1].write_text(f"Ärende {number}\n\n{text}", encoding="utf-8")
    limits = Limits()
    stop = threading.Event()
    killer = threading.Thread(target=_kill_workers_reading, args=(culprit, stop), daemon=True)
    killer.start()
    try:
        jobs = [(path.name, ParseRequest(path, f"{n:064d}", "never", None, limits)) for n, path in enumerate(files)]
        results = dict(parse_all(jobs, 2, limits))
    finally:
        stop.set()
    assert set(results) == {path.name for path in files}
    assert isinstance(results["dodlig.pdf"], IngestError) and "the parsing process died" in results["dodlig.pdf"].reason
    assert all(not isinstance(results[path.name], IngestError) for path in files[1:]), results
