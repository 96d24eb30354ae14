"""Privacy and the network: what an archive writes is private (0700 folders, 0600 files)
and `check` makes an exposed one private; a model named only by a stored archive never
makes diarium reach for the network; the Qdrant API key never goes in clear text to
another host; an unreachable server is one line."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from errors import StorageError, UsageError
from index.stores.server import ServerVectorStore, check_api_key_transport

sys.path.insert(0, str(Path(__file__).resolve().parent / "faults"))

from harness import ROOT, diarium, one_line_error, seed_folder  # noqa: E402

# Runs the command line with an audit hook that ends the process at the first network
# look-up or connection (Python's own audit events: nothing in diarium is replaced).
AUDITED = """
import os, socket, sys
def hook(event, args):
    if event == "socket.getaddrinfo" or (event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6)):
        sys.stderr.write(f"NETWORK {event} {args[1:]!r}\\n")
        sys.stderr.flush()
        os._exit(99)
sys.addaudithook(hook)
sys.argv = ["diarium", *sys.argv[1:]]
import cli
cli.main()
"""


def _audited(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AUDITED, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "DIARIUM_REOCR": "never", **(env or {})})


def _modes(data_dir: Path) -> dict[str, int]:
    """Permission bits of everything under the data directory (links excepted)."""
    found = {".": data_dir.stat().st_mode & 0o777}
    for path in data_dir.rglob("*"):
        if not path.is_symlink():
            found[str(path.relative_to(data_dir))] = path.stat().st_mode & 0o777
    return found


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    """An archive written by `diarium ingest` and read by `diarium search`, both in processes
    started with the usual umask 022."""
    work = tmp_path_factory.mktemp("private")
    data = work / "data"
    command = [sys.executable, str(ROOT / "cli.py")]
    env = {**os.environ, "DIARIUM_REOCR": "never"}
    for args in (["ingest", str(seed_folder(work / "inbox")), "--workers", "1"], ["search", "nämnden", "--limit", "1"]):
        run = subprocess.run([*command, *args, "--data-dir", str(data)], env=env, cwd=ROOT, capture_output=True, text=True,
                             preexec_fn=lambda: os.umask(0o022), timeout=600)
        assert run.returncode == 0, run.stderr
    return data


def test_everything_an_archive_writes_is_private(ingested):
    modes = _modes(ingested)
    assert {name for name in modes if name.endswith(".lock")}  # the lock files are among them
    exposed = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert not exposed


def test_check_makes_an_exposed_archive_private(tmp_path, ingested):
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(ingested), str(data)], check=True)
    subprocess.run(["chmod", "-R", "go+rX", str(data)], check=True)
    found = diarium(data, "check", "--no-repair", "--json")
    assert found.returncode == 1 and json.loads(found.stdout)["exposed"], found.stderr
    assert diarium(data, "check").returncode == 0
    assert not {name for name, mode in _modes(data).items() if mode & 0o077}


def test_a_model_named_only_by_the_archive_is_never_downloaded(tmp_path, ingested):
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(ingested), str(data)], check=True)
    with sqlite3.connect(data / "documents.sqlite") as db:
        db.execute("UPDATE meta SET value='acme-kommun/no-such-model' WHERE key='model'")
    result = _audited("search", "nämnden", "--data-dir", str(data))
    assert "NETWORK" not in result.stderr, result.stderr
    assert one_line_error(result), result.stderr
    assert "acme-kommun/no-such-model" in result.stderr


def test_the_api_key_never_goes_in_clear_text_to_another_host():
    with pytest.raises(UsageError, match="plain http"):
        check_api_key_transport("http://qdrant.example.org:6333", "hemlig", insecure=False)
    check_api_key_transport("https://qdrant.example.org:6333", "hemlig", insecure=False)
    check_api_key_transport("http://localhost:6333", "hemlig", insecure=False)
    check_api_key_transport("http://qdrant.example.org:6333", None, insecure=False)
    check_api_key_transport("http://qdrant.example.org:6333", "hemlig", insecure=True)  # explicitly allowed
    result = _audited("stats", "--qdrant-url", "http://qdrant.example.org:6333", env={"DIARIUM_QDRANT_API_KEY": "hemlig"})
    assert "NETWORK" not in result.stderr and one_line_error(result), result.stderr  # refused before any connection
    assert "hemlig" not in result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_one_line(tmp_path):
    port = _closed_port()
    with pytest.raises(StorageError, match="cannot reach the Qdrant server"):
        ServerVectorStore.connect(f"http://127.0.0.1:{port}", "diarium")
    result = diarium(tmp_path, "stats", "--qdrant-url", f"http://127.0.0.1:{port}")
    assert one_line_error(result), result.stderr
