"""The archive the web tests serve: a copy of the session's sample archive (the PDFs of
data/samples/, digital and OCR'd) plus a real protocol with three § (Kungsbacka's
byggnadsnämnd), a tjänsteskrivelse whose title and text hold HTML and script, and a
file beside it that was never ingested (which the server must not hand out).

Built once per test session for both web test modules (each module imports the
fixture; the cache keeps the build single)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import Settings

PROTOCOL = Path("/work/shared/real/documents/kungsbacka_bnau_protokoll_2024-05-23_p137_163_164.txt")
SCRIPT_TITLE = 'Granskning av <script>alert("xss")</script> webbformulär'
SCRIPT_DOCUMENT = f"""Tjänsteskrivelse
Malmö stad
Kommunstyrelsen
2024-02-01
Dnr KS 2024/99

{SCRIPT_TITLE}

Sammanfattning
Kommunens webbformulär visade texten <b>fet</b> och <img src=x onerror=alert(1)> utan att koda tecknen.
Stadskontoret föreslår att alla formulär granskas av säkerhetsenheten innan de publiceras.

Förslag till beslut
Kommunstyrelsen föreslås besluta
att uppdra åt stadskontoret att granska alla webbformulär,
att rapportera resultatet till kommunstyrelsen senast i juni 2024.
"""
NOT_INGESTED = "hemlig.txt"

_built: dict[str, Path] = {}


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory, sample_archive_dir, embedder) -> Path:
    """The data directory (the ingested text files are in `files/` beside it)."""
    if "data_dir" not in _built:
        from pipeline.writer import ArchiveWriter

        data_dir = tmp_path_factory.mktemp("web") / "data"
        shutil.copytree(sample_archive_dir, data_dir, symlinks=True)
        files = data_dir.with_name("files")
        files.mkdir()
        (files / "skript_tjansteskrivelse.txt").write_text(SCRIPT_DOCUMENT, encoding="utf-8")
        (files / NOT_INGESTED).write_text("inte en källa\n", encoding="utf-8")
        shutil.copy(PROTOCOL, files / PROTOCOL.name)
        with ArchiveWriter(Settings(data_dir=data_dir, reocr="never"), embedder=embedder) as archive:
            report = archive.ingest([files / "skript_tjansteskrivelse.txt", files / PROTOCOL.name])
        assert not report.failed, report.failed
        _built["data_dir"] = data_dir
    return _built["data_dir"]
