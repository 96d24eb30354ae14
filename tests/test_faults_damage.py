"""A damaged document store or vector index: every command ends in success or one line
(never a traceback), `check` finds every kind of damage, rebuilds what the store can
rebuild (the index), salvages what can still be read of a damaged store and names what
is lost, and afterwards the archive is consistent and searchable."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

import cli
from config import Settings
from conftest import SEEDS
from pipeline.writer import ArchiveWriter

sys.path.insert(0, str(Path(__file__).resolve().parent / "faults"))

from harness import INDEX_DAMAGE, STORE_DAMAGE  # noqa: E402

READS = (("stats",), ("search", "våld i nära relationer", "--limit", "3"), ("list",), ("show", "{doc}"))


def _build(work: Path, embedder, lines: int | None) -> Path:
    inbox = work / "inbox"
    inbox.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:5]:
        text = path.read_text(encoding="utf-8")
        (inbox / path.name).write_text("\n".join(text.split("\n")[:lines]) + "\n" if lines else text, encoding="utf-8")
    with ArchiveWriter(Settings(data_dir=work / "data", reocr="never"), embedder=embedder) as writer:
        writer.ingest([inbox], workers=1)
    return work / "data"


@pytest.fixture(scope="module")
def archive(tmp_path_factory, embedder) -> Path:
    """Five whole seed documents: a store of several hundred KB, so that 8 KB of garbage
    hits some documents, not all."""
    return _build(tmp_path_factory.mktemp("damage"), embedder, None)


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory, embedder) -> Path:
    """The openings of five seed documents: quick to index again."""
    return _build(tmp_path_factory.mktemp("damage-small"), embedder, 30)


def diarium(capsys, *args: str) -> tuple[int, str, str]:
    """`diarium ARGS` in this process; any exception other than the exit is a traceback."""
    sys.argv = ["diarium", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exit:
        code = exit.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line(code: int, err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return code == 0 or (code == 1 and len(lines) == 1 and lines[0].startswith("error:"))


def _damaged_copy(archive: Path, tmp_path: Path) -> tuple[Path, str, set[str]]:
    data = tmp_path / "data"
    shutil.copytree(archive, data, symlinks=True)
    db = sqlite3.connect(data / "documents.sqlite")
    doc_ids = {row[0] for row in db.execute("SELECT doc_id FROM documents")}
    db.close()
    (data / "documents.sqlite-wal").unlink(missing_ok=True)
    (data / "documents.sqlite-shm").unlink(missing_ok=True)
    return data, sorted(doc_ids)[0], doc_ids


def _every_command_ends_in_one_line(capsys, data: Path, doc: str) -> None:
    for args in READS:
        code, _, err = diarium(capsys, *[arg.format(doc=doc) for arg in args], "--data-dir", str(data))
        assert _one_line(code, err), (args, err)


@pytest.mark.slow
@pytest.mark.parametrize("damage", sorted(STORE_DAMAGE))
def test_store_damage_is_found_salvaged_and_reported(capsys, tmp_path, archive, damage):
    data, doc, doc_ids = _damaged_copy(archive, tmp_path)
    STORE_DAMAGE[damage](data / "documents.sqlite")
    _every_command_ends_in_one_line(capsys, data, doc)
    code, out, err = diarium(capsys, "check", "--no-repair", "--json", "--data-dir", str(data))
    assert code == 1 and json.loads(out)["store_problems"], (damage, out, err)  # found, and nothing touched
    code, out, err = diarium(capsys, "check", "--json", "--data-dir", str(data))
    report = json.loads(out)
    assert report["repaired"] and report["store_problems"], err
    assert report["salvaged"] + report["lost_documents"] == len(doc_ids)  # every document kept or counted lost
    if damage == "8 KB of garbage in the middle":
        assert 0 < report["salvaged"] < len(doc_ids)  # only some pages were hit
    if report["salvaged"]:
        assert Path(report["damaged_copy"]).exists()  # the damaged file is kept
    code, out, _ = diarium(capsys, "check", "--no-repair", "--json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["ok"], out
    code, out, err = diarium(capsys, "stats", "--json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["documents"] == report["salvaged"], err


@pytest.mark.slow
@pytest.mark.parametrize("damage", sorted(INDEX_DAMAGE))
def test_index_damage_is_found_and_rebuilt_from_the_store(capsys, tmp_path, small_archive, damage):
    data, doc, doc_ids = _damaged_copy(small_archive, tmp_path)
    INDEX_DAMAGE[damage](data)
    _every_command_ends_in_one_line(capsys, data, doc)
    new = tmp_path / "new"
    new.mkdir()
    (new / "ny.txt").write_text("Kommunstyrelsen beslutar om en ny detaljplan för Tallbohov.\n", encoding="utf-8")
    code, out, err = diarium(capsys, "ingest", str(new), "--data-dir", str(data))  # a write: one line too
    assert _one_line(code, err), err
    code, out, err = diarium(capsys, "check", "--json", "--data-dir", str(data))
    report = json.loads(out)
    assert not report["store_problems"], (out, err)
    if damage == "segment deleted":  # Qdrant Edge may replay the lost points from its write-ahead log
        assert report["ok"] or report["rebuilt_index"], out
    else:
        assert report["index_problem"] and report["rebuilt_index"], (out, err)
    code, out, _ = diarium(capsys, "check", "--no-repair", "--json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["ok"], out
    code, out, err = diarium(capsys, "search", "våld i nära relationer", "--limit", "3", "--json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["hits"], err
    assert sorted(p.name for p in (data / "qdrant-edge").iterdir() if p.is_dir() and not p.is_symlink()) == [os.readlink(data / "qdrant-edge" / "current")]
