"""Every error path of the command line ends in one line on stderr (`error: …`), never a
traceback, with exit status 2 for a bad value (naming what is accepted) and 1 for
everything else; a failure that has a person's remedy names it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from pipeline.locking import WriterLock


def diarium(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DIARIUM_REOCR": "never", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=timeout)


def one_line_error(result: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("command", [["search", "våld"], ["show", "abcdef"], ["stats"], ["list"], ["case", "KS 2023/553"], ["check"], ["delete", "abcdef"], ["reindex"]])
def test_a_missing_archive_is_named_and_not_created(tmp_path, command):
    missing = tmp_path / "no-such-archive"
    one_line_error(diarium(*command, "--data-dir", str(missing)), 1, f"no archive at {missing}")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (["search", "x", "--mode", "fuzzy"], "'hybrid', 'dense', 'sparse'"),
        (["search", "x", "--section", "nope"], "'proposals'"),
        (["search", "x", "--doc-type", "faktura"], "'protokoll'"),
        (["search", "x", "--limit", "99999999999999999999"], "1000"),
        (["search", "x", "--since", "2023-13"], "YYYY, YYYY-MM or YYYY-MM-DD"),
        (["search", "x", "--until", "igår"], "--until"),
        (["ingest", "nothing", "--reocr", "sometimes"], "'auto', 'always', 'never'"),
        (["list", "--format", "xml"], "'table', 'csv', 'jsonl'"),
        (["frobnicate"], "No such command"),
    ],
)
def test_bad_values_fail_once_at_the_start_naming_what_is_accepted(tmp_path, args, accepted):
    one_line_error(diarium(*args, "--data-dir", str(tmp_path)) if args[0] != "frobnicate" else diarium(*args), 2, accepted)


def test_a_bad_setting_in_the_environment_fails_once(tmp_path):
    one_line_error(diarium("ingest", str(tmp_path), "--data-dir", str(tmp_path / "d"), env={"DIARIUM_REOCR": "sometimes"}), 2, "re-OCR policy", "auto, always, never")


@pytest.fixture()
def archive_copy(sample_archive_dir, tmp_path):
    """A copy of the session's sample archive, free to damage."""
    copy = tmp_path / "archive"
    shutil.copytree(sample_archive_dir, copy, symlinks=True)
    return copy


def test_an_empty_query_and_an_unknown_document(archive_copy):
    one_line_error(diarium("search", "  ", "--data-dir", str(archive_copy)), 2, "empty query")
    one_line_error(diarium("show", "ffffffffffff", "--data-dir", str(archive_copy)), 1, "no stored document")
    one_line_error(diarium("delete", "ffffffffffff", "--data-dir", str(archive_copy)), 1, "no stored document")


def test_a_second_writer_is_refused_and_told_why(archive_copy):
    with WriterLock(archive_copy):
        one_line_error(diarium("check", "--data-dir", str(archive_copy)), 1, "is being written by pid", "searching works meanwhile")


def test_another_model_points_to_reindex(archive_copy):
    one_line_error(diarium("search", "våld", "--data-dir", str(archive_copy), "--model", str(archive_copy / "a-local-model")), 1, "diarium reindex --model")


def test_a_damaged_document_store_is_one_line(archive_copy):
    with open(archive_copy / "documents.sqlite", "r+b") as handle:
        handle.seek(0)
        handle.write(b"\0" * 4096)
    for command in (["search", "våld"], ["stats"], ["list"]):
        one_line_error(diarium(*command, "--data-dir", str(archive_copy)), 1, "documents.sqlite")


def test_a_file_name_with_control_characters_stays_on_one_line(tmp_path):
    hostile = tmp_path / "evil\nname\x1b[2J.pdf"
    hostile.write_bytes(b"<html>not a pdf</html>")
    result = diarium("ingest", str(hostile), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "\\n" in failed[0] and "\x1b" not in result.stderr, result.stderr


def test_a_stale_model_in_the_store_never_reaches_for_a_hub(archive_copy):
    """An archive that names a hub model it was built with must not make a plain search
    download anything: it fails at once, in one line."""
    with sqlite3.connect(archive_copy / "documents.sqlite") as db:
        db.execute("UPDATE meta SET value='someone/not-cached-model' WHERE key='model'")
    result = diarium("search", "våld", "--data-dir", str(archive_copy), env={"HF_HUB_OFFLINE": "0"}, timeout=60)
    one_line_error(result, 1, "someone/not-cached-model")


_NETWORK_ATTEMPT_SECONDS = 8  # what a refused connection may add to the offline failure: no retries, no back-off


def test_a_hub_model_offline_fails_in_seconds_in_one_line_and_leaves_the_archive_writable(tmp_path):
    """`ingest --model <hub id>` where the hub cannot be reached (here: a closed port):
    one line within seconds, not minutes of retries, and no writer lock left held. The
    seconds are counted against the same command failing with the hub switched off
    (`HF_HUB_OFFLINE=1`, no network attempt), run just before: both pay the CLI's start-up
    (about 10 s alone on a 2-core machine, twice that when an evaluation runs beside the
    tests), so only the network attempt's own cost is bounded."""
    from pipeline.locking import WriterLock

    text = tmp_path / "beslut.txt"
    text.write_text("Tjänsteskrivelse\n\nNämnden föreslås besluta att godkänna budgeten för skolskjuts.\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    model = "intfloat/multilingual-e5-small"
    started = time.monotonic()
    offline = diarium("ingest", str(text), "--data-dir", str(tmp_path / "offline"), "--model", model,
                      env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-offline")}, timeout=60)
    start_up = time.monotonic() - started
    one_line_error(offline, 1, model, "cannot be reached")
    env = {"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf")}
    started = time.monotonic()
    result = diarium("ingest", str(text), "--data-dir", str(data_dir), "--model", model, env=env, timeout=60)
    assert time.monotonic() - started < start_up + _NETWORK_ATTEMPT_SECONDS
    one_line_error(result, 1, model, "cannot be reached")
    with WriterLock(data_dir):  # taken at once: the failed ingest holds nothing
        pass
