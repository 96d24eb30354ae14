"""A full disk and a read-only data directory, with real `diarium` processes on real mounts
(tmpfs, a read-only bind mount; skipped where mounting is not permitted): reads work and
write nothing, writes stop with one line, and after space is freed a rerun completes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "faults"))

from harness import (  # noqa: E402
    NOBODY,
    NotPermitted,
    allocated_bytes,
    can_switch_user,
    diarium,
    fill,
    one_line_error,
    read_only_view,
    seed_folder,
    sparse_copy,
    tmpfs,
)

READS = (
    ("stats",),
    ("search", "våld i nära relationer", "--limit", "1"),
    ("list",),
    ("show", "{doc}"),
    ("case", "{dnr}"),
)
WRITES = (("ingest", "{new}"), ("check",), ("reindex",), ("delete", "{doc}"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory, embedder) -> tuple[Path, str, str]:
    """A small real archive (three documents), the id of one of them and its diary number."""
    from config import Settings
    from pipeline.writer import ArchiveWriter

    work = tmp_path_factory.mktemp("small")
    with ArchiveWriter(Settings(data_dir=work / "data", reocr="never"), embedder=embedder) as writer:
        writer.ingest([seed_folder(work / "inbox", count=3)], workers=1)
        doc = next(doc for doc in writer.store.documents() if doc.dnr)
    return work / "data", doc.doc_id, doc.dnr[0]


@pytest.fixture()
def new_file(tmp_path) -> Path:
    path = tmp_path / "ny.txt"
    path.write_text("Kommunstyrelsen beslutar om en ny detaljplan för Tallbohov.\n" * 20, encoding="utf-8")
    return path


def _args(args: tuple[str, ...], doc: str, dnr: str, new: Path | None = None) -> list[str]:
    return [arg.format(doc=doc, dnr=dnr, new=new) for arg in args]


def _mounted(context):
    try:
        return context.__enter__()
    except NotPermitted as exc:
        pytest.skip(str(exc))


def test_reads_need_no_free_space_and_a_write_stops_with_one_line(tmp_path, archive, new_file):
    data, doc, dnr = archive
    disk = tmp_path / "disk"
    # 600 MB: after the filler goes, room for an in-place write on tmpfs (see index/stores/edge.py)
    mount = tmpfs(disk, "600m")
    _mounted(mount)
    try:
        sparse_copy(data, disk / "data")
        filler = fill(disk)
        assert shutil.disk_usage(disk).free < 64 * 1024
        before = allocated_bytes(disk / "data")
        for args in READS:
            result = diarium(disk / "data", *_args(args, doc, dnr))
            assert result.returncode == 0, (args, result.stderr)
            assert result.stdout.strip()
        assert allocated_bytes(disk / "data") == before  # reading wrote nothing
        written = diarium(disk / "data", "ingest", str(new_file))
        assert one_line_error(written), written.stderr
        assert "free" in written.stderr or "full" in written.stderr
        filler.unlink()
        rerun = diarium(disk / "data", "ingest", str(new_file))
        assert rerun.returncode == 0, rerun.stderr
        assert "1 documents" in rerun.stdout
        assert diarium(disk / "data", "check", "--no-repair").returncode == 0
    finally:
        mount.__exit__(None, None, None)


def test_a_read_only_mount_can_be_searched_and_refuses_writes(tmp_path, archive, new_file):
    data, doc, dnr = archive
    snapshot = tmp_path / "snapshot"
    shutil.copytree(data, snapshot, symlinks=True)
    view = read_only_view(snapshot, tmp_path / "view")
    _mounted(view)
    try:
        for args in READS:
            result = diarium(tmp_path / "view", *_args(args, doc, dnr))
            assert result.returncode == 0, (args, result.stderr)
            assert result.stdout.strip()
        for args in WRITES:
            result = diarium(tmp_path / "view", *_args(args, doc, dnr, new_file))
            assert one_line_error(result), (args, result.stderr)
            assert "read-only" in result.stderr.lower() or "Read-only" in result.stderr
    finally:
        view.__exit__(None, None, None)


def test_an_archive_without_write_permission_can_be_read(archive, new_file):
    """`chmod -R a-w`; run as another user when we are root (root may write anyway). That
    user has no model or lexicon, so no search: `stats` opens the vector index."""
    data, doc, _ = archive
    user = None
    if os.geteuid() == 0 and not can_switch_user():
        pytest.skip("root without setpriv: a read-only permission would not stop root")
    with tempfile.TemporaryDirectory(prefix="diarium-readonly-") as work:  # where another user can reach it
        copy = Path(work) / "data"
        shutil.copytree(data, copy, symlinks=True)
        shutil.copy(new_file, Path(work) / "ny.txt")
        if os.geteuid() == 0:
            user = NOBODY
            os.chmod(work, 0o755)
            subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(copy), str(Path(work) / "ny.txt")], check=True)
        subprocess.run(["chmod", "-R", "a-w", str(copy)], check=True)
        try:
            listing = diarium(copy, "list", user=user)
            assert listing.returncode == 0 and "3 documents" in listing.stdout, listing.stderr
            stats = diarium(copy, "stats", "--json", user=user)  # opens the vector index (a private copy of it)
            assert stats.returncode == 0 and json.loads(stats.stdout)["index_points"] > 0, stats.stderr
            shown = diarium(copy, "show", doc, user=user)
            assert shown.returncode == 0, shown.stderr
            written = diarium(copy, "ingest", str(Path(work) / "ny.txt"), user=user)
            assert one_line_error(written), written.stderr
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(copy)], check=True)
