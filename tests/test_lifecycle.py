"""Archive lifecycle with real files and real processes: idempotent ingest, edits,
duplicates, delete and prune, interrupted ingest resumed, consistency check and repair,
and concurrent readers and writers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import Settings
from conftest import ROOT, SEEDS, seed_opening
from errors import ArchiveLockedError, NotFoundError
from pipeline.locking import WriterLock
from pipeline.writer import ArchiveWriter as Archive

DOCS = sorted(SEEDS.glob("00[234]_*.txt"))


def _archive(data_dir: Path, embedder) -> Archive:
    return Archive(Settings(data_dir=data_dir, reocr="never"), embedder=embedder)


def _state(archive: Archive) -> tuple:
    """Everything that must be equal between two archives holding the same documents."""
    return (
        sorted(archive.store.doc_ids("live")),
        archive.store.doc_ids("pending"),
        sorted((Path(r.path).name, r.doc_id) for r in archive.store.all_sources()),
        archive.vectors.point_counts(),
    )


@pytest.fixture()
def folder(tmp_path) -> Path:
    """Three real documents, shortened: these tests are about bookkeeping."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in DOCS:
        (folder / path.name).write_text(seed_opening(path.name[:3]), encoding="utf-8")
    return folder


@pytest.fixture()
def full_folder(tmp_path) -> Path:
    """The three documents whole, so that an ingest lasts long enough to be interrupted."""
    folder = tmp_path / "inbox-full"
    folder.mkdir()
    for path in DOCS:
        shutil.copy(path, folder / path.name)
    return folder


def test_same_content_at_two_paths_is_one_document(tmp_path, folder, embedder):
    shutil.copy(folder / DOCS[0].name, folder / "kopia.txt")
    with _archive(tmp_path / "data", embedder) as archive:
        report = archive.ingest([folder], workers=1)
        statuses = sorted(result.status for result in report.files)
        assert statuses == ["added", "added", "added", "duplicate"]
        doc = archive.find(str(folder / "kopia.txt"))
        assert sorted(Path(source).name for source in doc.sources) == sorted([DOCS[0].name, "kopia.txt"])
        assert archive.check(repair=False).ok


def test_edited_file_replaces_its_old_version(tmp_path, folder, embedder):
    target = folder / DOCS[2].name
    with _archive(tmp_path / "data", embedder) as archive:
        archive.ingest([folder], workers=1)
        old = archive.find(str(target)).doc_id
        target.write_text(target.read_text(encoding="utf-8") + "\nTillägg: ärendet om simhallen i Tallbohov.\n", encoding="utf-8")
        report = archive.ingest([folder], workers=1)
        assert [r.status for r in report.files if r.status != "unchanged"] == ["updated"]
        new = archive.find(str(target)).doc_id
        assert new != old and archive.store.get(old) is None
        assert old not in archive.vectors.point_counts()
        hits = archive.search("simhallen i Tallbohov", limit=3).hits
        assert hits[0].doc_id == new
        assert archive.check(repair=False).ok


def test_delete_and_prune(tmp_path, folder, embedder):
    with _archive(tmp_path / "data", embedder) as archive:
        archive.ingest([folder], workers=1)
        gone = archive.find(str(folder / DOCS[0].name)).doc_id
        (folder / DOCS[0].name).unlink()
        report = archive.ingest([folder], prune=True, workers=1)
        assert report.pruned == [gone]
        deleted = archive.delete(archive.find(str(folder / DOCS[1].name)).doc_id[:10])
        assert len(deleted) == 1
        assert len(archive.store.doc_ids("live")) == 1
        assert set(archive.vectors.point_counts()) == set(archive.store.doc_ids("live"))
        with pytest.raises(NotFoundError, match="no stored document"):
            archive.delete("ffffffffff")


def test_check_finds_and_repairs_inconsistencies(tmp_path, folder, embedder):
    with _archive(tmp_path / "data", embedder) as archive:
        archive.ingest([folder], workers=1)
        a, b, c = archive.store.doc_ids("live")
        archive.vectors.delete_documents([a])  # points lost
        archive.store.set_state(b, "pending")  # indexing interrupted
        with archive.store.transaction():
            archive.store.delete(c)  # row gone, points left behind
        report = archive.check(repair=False)
        assert (report.missing_points, report.pending, report.orphan_points) == ([a], [b], [c])
        assert archive.check(repair=True).repaired
        assert archive.check(repair=False).ok
        assert set(archive.vectors.point_counts()) == {a, b}


def _diarium_process(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir), "DIARIUM_REOCR": "never"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), *args, "--json"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _ingest_process(folder: Path, data_dir: Path) -> subprocess.Popen:
    return _diarium_process(data_dir, "ingest", str(folder), "--workers", "1")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_ingest_resumes_to_the_same_state_as_a_clean_run(tmp_path, full_folder, embedder, sig):
    folder = full_folder
    clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
    with _archive(clean_dir, embedder) as archive:
        archive.ingest([folder], workers=1)
        expected = _state(archive)
    process = _ingest_process(folder, killed_dir)
    # kill once the first document is being written
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (killed_dir / "documents.sqlite").exists():
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(sig)
    process.wait(timeout=60)
    with _archive(killed_dir, embedder) as archive:
        archive.ingest([folder], workers=1)
        assert _state(archive) == expected
        assert archive.check(repair=False).ok


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def test_parse_workers_leave_when_their_ingest_is_killed(tmp_path, folder):
    process = _diarium_process(tmp_path / "data", "ingest", str(folder), "--workers", "2")
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = [pid for pid in _children(process.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        time.sleep(0.05)
    assert len(workers) == 2, "the ingest should have started two parse workers"
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)
    process.communicate(timeout=30)  # nothing holds its output pipes any more


@pytest.mark.slow
def test_search_works_while_another_process_ingests_and_second_writer_is_refused(tmp_path, full_folder, embedder):
    folder = full_folder
    data_dir = tmp_path / "data"
    with _archive(data_dir, embedder) as archive:
        archive.ingest([folder / DOCS[0].name], workers=1)
    more = tmp_path / "more"
    more.mkdir()
    for n in range(4):  # distinct content, so each is really indexed
        (more / f"extra{n}.txt").write_text(DOCS[1].read_text(encoding="utf-8") + f"\nBilaga {n}.\n", encoding="utf-8")
    writer = _ingest_process(more, data_dir)
    searches = 0
    try:
        while not (data_dir / "writer.lock").exists() or not (data_dir / "writer.lock").read_text():
            time.sleep(0.05)
        with pytest.raises(ArchiveLockedError, match="is being written by pid"):
            with WriterLock(data_dir):
                pass
        while writer.poll() is None:
            with _archive(data_dir, embedder) as reader:
                assert reader.search("hedersrelaterat förtryck", limit=3).hits
            searches += 1
    finally:
        out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert json.loads(out)["documents"] == 4
    assert searches >= 1


@pytest.mark.slow
def test_interrupted_reindex_leaves_the_live_index_and_resumes(tmp_path, full_folder, embedder, monkeypatch):
    data_dir = tmp_path / "data"
    for path in sorted(SEEDS.glob("*.txt")):  # every seed twice: a rebuild of several batches
        shutil.copy(path, full_folder / path.name)
        (full_folder / f"kopia-{path.name}").write_text(path.read_text(encoding="utf-8") + "\nKopia.\n", encoding="utf-8")
    with _archive(data_dir, embedder) as archive:
        archive.ingest([full_folder], workers=1)
        expected = _state(archive)
        live = archive.vectors.live_generation()
        staging = archive.vectors.staging()
    rebuild = _diarium_process(data_dir, "reindex", "--fresh")  # embedding every chunk: slow enough to be interrupted
    searches = 0
    try:
        while rebuild.poll() is None:  # search until the first batch of the rebuild is written, then kill it
            with _archive(data_dir, embedder) as reader:
                assert reader.search("hedersrelaterat förtryck", limit=3).hits
                searches += 1
                if reader.store.get_meta("staging_progress"):
                    break
        assert rebuild.poll() is None, "the rebuild ended before it could be interrupted"
    finally:
        rebuild.kill()
        rebuild.communicate(timeout=60)
    assert searches >= 1
    half_built = staging.doc_ids()
    assert 0 < len(half_built) < len(expected[0])
    with _archive(data_dir, embedder) as archive:
        assert archive.vectors.live_generation() == live and staging.path.exists()
        assert _state(archive) == expected
        assert archive.search("hedersrelaterat förtryck", limit=3).hits
        embedded = []
        monkeypatch.setattr(embedder, "embed_passages", lambda texts, real=embedder.embed_passages: embedded.append(texts) or real(texts))
        # resumes the half-built generation: only the missing documents are embedded (every
        # chunk of them: without reuse, which would keep their unchanged vectors)
        archive.reindex(reuse=False)
        missing = set(expected[0]) - half_built
        assert sum(len(texts) for texts in embedded) == sum(count for doc_id, count in archive.store.chunk_counts().items() if doc_id in missing)
        assert archive.vectors.live_generation() == staging.generation
        assert _state(archive) == expected
        assert archive.check(repair=False).ok
