"""The command line end to end, as a user runs it: real processes on a temporary data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, sample, seed_opening


def diarium(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir), "DIARIUM_REOCR": "never", "COLUMNS": "200"}
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"diarium {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def cli_data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli")
    digital = [str(sample(n)) for n in ("000", "003", "004")]
    result = diarium("ingest", *digital, "--json", data_dir=data_dir)
    report = json.loads(result.stdout)
    assert report["documents"] == 3 and report["failed"] == 0
    assert report["pages"] >= 9 and report["chunks"] > 15
    return data_dir


def test_search_json_has_the_documented_fields(cli_data_dir):
    result = json.loads(diarium("search", "verksamhetsuppdrag för stöd till våldsutsatta", "--json", "--limit", "3", data_dir=cli_data_dir).stdout)
    assert {"query", "hits", "weak", "facets"} <= set(result) and result["weak"] is False
    hits = result["hits"]
    assert hits[0]["source"].endswith(sample("003").name)
    for field in ("doc_id", "source", "sources", "title", "municipality", "date", "doc_type", "dnr", "section", "text", "score", "page", "paragraph"):
        assert field in hits[0]
    assert isinstance(hits[0]["dnr"], list) and hits[0]["page"] >= 1 and hits[0]["paragraph"] is None


def test_search_text_output_and_filters(cli_data_dir):
    output = diarium("search", "lämna-program", "--municipality", "Stockholm", "--limit", "2", data_dir=cli_data_dir).stdout
    assert "Remiss Motion om lämna-program" in output and "KS 2023/553" in output
    assert "No hits." in diarium("search", "lämna-program", "--until", "2000-01-01", data_dir=cli_data_dir).stdout


def test_show_file_and_stored_document(cli_data_dir):
    shown = json.loads(diarium("show", str(sample("004")), "--json", data_dir=cli_data_dir).stdout)
    for field in ("doc_id", "source", "title", "municipality", "date", "dnr", "sections", "proposals", "entities"):
        assert field in shown
    assert shown["dnr"] == ["KS 2023/553"]
    assert {"label", "heading", "text"} <= set(shown["sections"][0])
    assert shown["proposals"][0]["body"] == "Hässelby-Vällingby stadsdelsnämnd"
    assert {"text", "label", "start", "end"} <= set(shown["entities"][0])
    stored = json.loads(diarium("show", shown["doc_id"][:12], "--json", data_dir=cli_data_dir).stdout)
    assert stored["doc_id"] == shown["doc_id"] and stored["sections"] == shown["sections"]


def test_stats_and_normalize(cli_data_dir):
    stats = json.loads(diarium("stats", "--json", data_dir=cli_data_dir).stdout)
    assert stats["documents"] == 3 and stats["index_points"] == stats["chunks"]
    text = diarium("normalize", str(sample("002")), data_dir=cli_data_dir).stdout
    assert text.startswith("Våld i nära relationer och hedersrelaterat förtryck")


def test_a_failed_file_is_reported_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.4\n%garbage")
    good = tmp_path / "bra.txt"
    good.write_text(seed_opening("003"), encoding="utf-8")
    result = diarium("ingest", str(bad), str(good), data_dir=tmp_path / "data", check=False)
    assert result.returncode == 1
    assert "1 documents" in result.stdout and "1 failed" in result.stdout
    assert f"{bad}: corrupt or truncated PDF" in result.stderr


def test_help_on_every_command(tmp_path):
    for command in ("ingest", "search", "show", "normalize", "reindex", "stats"):
        assert "--help" in diarium(command, "--help", data_dir=tmp_path).stdout
