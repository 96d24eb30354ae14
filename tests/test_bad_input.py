"""Bad input in a batch: each bad file gets a one-line error naming the file and the
cause (random bytes named .txt are no text; UTF-16 Swedish is), the rest of the batch is
ingested, and nothing stored is lost or duplicated."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from config import Settings
from conftest import ROOT, SEEDS, sample, seed_opening
from pipeline.writer import ArchiveWriter as Archive

SAMI = Path(__file__).resolve().parents[2] / "shared/real/g0vse/0530_artiklar_2020_06_gollegiella---nordsamiska.txt"
ENGLISH = (
    "The committee is asked to approve the attached plan. The plan describes how the council will "
    "work with housing companies to prevent domestic violence, and it will be evaluated by the board "
    "in the spring. It is proposed that the report is noted and that the work continues as planned. "
) * 6


def _pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    pdf = canvas.Canvas(str(path), encrypt=password)
    for text in pages:
        y = 780
        for line in text.split("\n"):
            pdf.drawString(60, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture()
def bad_folder(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "bra.txt").write_text(seed_opening("003"), encoding="utf-8")
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "webbsida.pdf").write_text("<!doctype html><html><body>404</body></html>")
    (folder / "avklippt.pdf").write_bytes(sample("002").read_bytes()[:5000])
    swedish = [line[:95] for line in (SEEDS / "002_95c716d96d135b8b.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    _pdf(folder / "krypterad.pdf", ["\n".join(swedish[:45])], password="hemligt")
    _pdf(folder / "engelsk.pdf", ["\n".join(ENGLISH[i : i + 90] for i in range(0, len(ENGLISH), 90))])
    shutil.copy(sample("003", "scan"), folder / "bara-bilder.pdf")
    (folder / "latin1.txt").write_bytes(seed_opening("004").encode("cp1252", errors="replace"))
    (folder / "utf16.txt").write_bytes(seed_opening("002").encode("utf-16"))
    (folder / "brus.txt").write_bytes(random.Random(14).randbytes(100_000))
    if SAMI.exists():  # a real government press release in Northern Sami
        shutil.copy(SAMI, folder / "samiska.txt")
    return folder


EXPECTED = {
    "tom.pdf": "empty file (0 bytes)",
    "webbsida.pdf": "named .pdf but is an HTML page (no %PDF header)",
    "avklippt.pdf": "corrupt or truncated PDF",
    "krypterad.pdf": "encrypted PDF (give --password)",
    "engelsk.pdf": "document is in English, not Swedish",
    "bara-bilder.pdf": "no text found",
    "brus.txt": "binary file, not text or PDF",
}
if SAMI.exists():
    EXPECTED["samiska.txt"] = "document is not in Swedish"


def test_bad_files_fail_alone_with_one_line_reasons(tmp_path, bad_folder, embedder):
    with Archive(Settings(data_dir=tmp_path / "data", reocr="never"), embedder=embedder) as archive:
        report = archive.ingest([bad_folder], workers=2)
        by_name = {Path(result.path).name: result for result in report.files}
        for name, reason in EXPECTED.items():
            assert by_name[name].status == "failed", name
            assert by_name[name].message.startswith(reason), (name, by_name[name].message)
            assert "\n" not in by_name[name].message
        assert by_name["bra.txt"].status == "added", by_name["bra.txt"].message
        for name in ("latin1.txt", "utf16.txt"):
            assert by_name[name].status == "added", (name, by_name[name].message)
        latin1 = archive.store.get(by_name["latin1.txt"].doc_id)
        assert "Hässelby-Vällingby stadsdelsnämnd" in latin1.text
        assert "decoded as cp1252 (not UTF-8)" in latin1.notes
        stored = archive.stats()
        # a second run retries only the failures and stores nothing twice
        again = archive.ingest([bad_folder], workers=1)
        assert again.summary()["failed"] == len(EXPECTED) and again.summary()["documents"] == 0
        assert archive.stats() == stored
        assert archive.check(repair=False).ok


def test_the_right_password_opens_an_encrypted_pdf(tmp_path, bad_folder, embedder):
    with Archive(Settings(data_dir=tmp_path / "data", reocr="never"), embedder=embedder) as archive:
        report = archive.ingest([bad_folder / "krypterad.pdf"], password="hemligt", workers=1)
        assert report.files[0].status == "added", report.files[0].message
        assert archive.search("skyddat boende", limit=1).hits[0].doc_id == report.files[0].doc_id


def test_unreadable_file_is_reported(tmp_path):
    locked = tmp_path / "hemlig.txt"
    shutil.copy(SEEDS / "003_db53f24a16d4a028.txt", locked)
    locked.chmod(0)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from errors import IngestError\nfrom ingest.reader import read_document\n"
        "try:\n    read_document(sys.argv[2])\nexcept IngestError as e:\n    print(e.reason)"
    )
    # root reads anything: drop the capabilities that let it ignore file permissions
    drop = ["-dac_override", "-dac_read_search"]
    prefix = ["setpriv", f"--inh-caps={','.join(drop)}", f"--bounding-set={','.join(drop)}"] if os.getuid() == 0 else []
    if prefix and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv (util-linux) to drop privileges")
    result = subprocess.run([*prefix, sys.executable, "-c", code, str(ROOT), str(locked)], capture_output=True, text=True)
    assert result.stdout.strip() == "permission denied (file is not readable)", result.stderr


@pytest.mark.slow
def test_500_page_pdf_is_ingested_with_bounded_memory(tmp_path):
    paragraph = (SEEDS / "003_db53f24a16d4a028.txt").read_text(encoding="utf-8").split("\n")
    lines = [line[:95] for line in paragraph if line.strip()]
    # a third of a page each keeps the test short; `make bench` reads 500 full pages
    pages = ["\n".join(lines[(n * 7) % len(lines) :][:15]) or lines[0] for n in range(500)]
    big = _pdf(tmp_path / "stor.pdf", pages)
    # VmHWM is this process's own peak; ru_maxrss would carry the forking parent's over exec
    code = (
        "import sys, re; sys.path.insert(0, sys.argv[1]);"
        "from pipeline.process import process_file;"
        "doc = process_file(sys.argv[2], reocr='never');"
        "print(doc.page_count, re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT), str(big)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    page_count, peak_kib = map(int, result.stdout.split())
    assert page_count == 500
    assert peak_kib < 2 * 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"
