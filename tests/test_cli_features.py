"""What an analyst expects of the command line, through real processes: forgiving
filters, copies of one text shown once, an honest answer to a query nothing matches,
protocol hits placed by § and page, listing and export, counts, a case's history, and
the small things (version, quiet, skipped files, English texts, a config file)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import REAL_DIRS, sample
from test_cli import diarium

PROTOCOL = "kungsbacka_bnau_protokoll_2024-05-23_p137_163_164.txt"
SHARED_REAL, OWN_REAL = REAL_DIRS


@pytest.fixture(scope="module")
def archive(sample_archive_dir, tmp_path_factory):
    """The sample archive (digital and OCR'd copies of the seeds) and a real protocol."""
    data_dir = tmp_path_factory.mktemp("features") / "archive"
    shutil.copytree(sample_archive_dir, data_dir, symlinks=True)
    diarium("ingest", str(SHARED_REAL / PROTOCOL), "--json", data_dir=data_dir)
    return data_dir


def search_json(archive, *args: str) -> dict:
    return json.loads(diarium("search", *args, "--json", data_dir=archive).stdout)


def documents(result: dict) -> set[str]:
    return {hit["source"].rsplit("/", 1)[-1][:3] for hit in result["hits"]}


def test_name_filters_ignore_case_and_diacritics(archive):
    exact = search_json(archive, "våld i nära relationer", "--municipality", "Stockholm")
    assert exact["hits"] and documents(exact) == {"004"}
    for spelling in ("stockholm", "STOCKHOLM"):
        assert documents(search_json(archive, "våld i nära relationer", "--municipality", spelling)) == {"004"}
    assert search_json(archive, "stöd till våldsutsatta", "--entity", "leanlink")["hits"]
    body = search_json(archive, "detaljplan", "--body", "byggnadsnämndens arbetsutskott")
    assert body["hits"] and all(hit["doc_type"] == "protokoll" for hit in body["hits"])


@pytest.mark.parametrize("form", ["SON 2021/459", "SON-2021-459", "son 2021-0459"])
def test_dnr_filter_takes_any_printed_form(archive, form):
    assert documents(search_json(archive, "handlingsplan", "--dnr", form)) == {"000"}


@pytest.mark.parametrize(("since", "until", "expected"), [("2024", None, {"001", "kun"}), ("2024-10", "2024-10", {"001"}), (None, "2019", {"003"})])
def test_dates_as_year_month_or_day(archive, since, until, expected):
    args = [arg for pair in (("--since", since), ("--until", until)) if pair[1] for arg in pair]
    assert documents(search_json(archive, "våld", "--limit", "20", *args)) <= expected


def test_a_filter_matching_nothing_names_the_stored_values(archive):
    result = diarium("search", "våld", "--municipality", "Ankeborg", data_dir=archive)
    assert "No hits." in result.stdout
    assert "no stored document has municipality 'Ankeborg'" in result.stderr and "Linköping" in result.stderr


def test_copies_of_one_text_are_one_hit_with_every_source(archive):
    result = search_json(archive, "remissvar om ett program för att lämna en våldsam relation", "--limit", "5")
    first = result["hits"][0]
    assert first["source"].rsplit("/", 1)[-1].startswith("004")
    names = sorted(source.rsplit("/", 1)[-1] for source in first["sources"])
    assert names == sorted([sample("004").name, sample("004", "ocr").name]), names
    assert len(first["versions"]) == 1
    assert sum(hit["source"].rsplit("/", 1)[-1].startswith("004") for hit in result["hits"]) == 1


def test_a_query_nothing_matches_says_so(archive):
    weak = search_json(archive, "finns inte alls xyz")
    assert weak["weak"] is True
    assert "No close match" in diarium("search", "finns inte alls xyz", data_dir=archive).stdout
    assert search_json(archive, "skyddat boende för våldsutsatta")["weak"] is False


def test_a_protocol_hit_carries_its_paragraph_dnr_and_page(archive):
    result = search_json(archive, "detaljplan för bostäder inom Skörvalla", "--doc-type", "protokoll", "--limit", "1")
    hit = result["hits"][0]
    assert (hit["paragraph"], hit["dnr"], hit["page"]) == ("§ 137", ["BN-2023-00211"], 3)
    assert hit["matter_title"].startswith("Uppdrag att upprätta förslag till detaljplan")
    text = diarium("search", "detaljplan för bostäder inom Skörvalla", "--doc-type", "protokoll", "--limit", "1", data_dir=archive).stdout
    assert "§ 137 · Dnr BN-2023-00211 · Byggnadsnämndens arbetsutskott 2024-05-23 · s. 3" in text
    by_dnr = search_json(archive, "rättelse", "--dnr", "BN-2024-000899")
    assert [hit["paragraph"] for hit in by_dnr["hits"]] == ["§ 164"]


def test_case_lists_every_step_of_a_matter(archive):
    result = json.loads(diarium("case", "BN 2023/211", "--json", data_dir=archive).stdout)
    assert [(entry["doc_type"], entry["paragraph"]) for entry in result["entries"]] == [("protokoll", "§ 137")]
    assert "Nothing in the archive carries" in diarium("case", "XYZ 1999/1", data_dir=archive).stdout


def test_case_follows_a_matter_from_the_proposal_through_the_protocol_to_the_agenda(tmp_path):
    # real Kungsbacka documents of IF-2024-12: the § of a protocol (2025-02-20) that took
    # it up, the agenda that lists it again (2025-10-16), the tjänsteskrivelse of 2026-06-02
    files = ["kungsbacka_ifo_protokoll_2025-02-20.md", "kungsbacka_ifo_kallelse_2025-10-16.md", "kungsbacka_ifo_2026-06-02_redovisning_domar_beslut.txt"]
    diarium("ingest", *(str(OWN_REAL / name) for name in files), "--reocr", "never", data_dir=tmp_path)
    for form in ("IF 2024/12", "IF-2024-00012"):
        entries = json.loads(diarium("case", form, "--json", data_dir=tmp_path).stdout)["entries"]
        assert [entry["doc_type"] for entry in entries] == ["protokoll", "kallelse", "tjänsteskrivelse"], entries
        assert [entry["date"] for entry in entries] == ["2025-02-20", "2025-10-16", "2026-06-02"]
        assert entries[0]["paragraph"] and entries[1]["number"]


def test_list_as_csv_and_json_lines_with_matters(archive):
    rows = list(csv.DictReader(io.StringIO(diarium("list", "--csv", data_dir=archive).stdout)))
    assert len(rows) == 9 and {"doc_id", "date", "doc_type", "municipality", "body", "dnr", "title"} <= set(rows[0])
    matters = [json.loads(line) for line in diarium("list", "--matters", "--jsonl", "--doc-type", "protokoll", data_dir=archive).stdout.splitlines()]
    assert [(row["paragraph"], row["dnr"]) for row in matters] == [("§ 137", ["BN-2023-00211"]), ("§ 163", ["BN-2023-001564"]), ("§ 164", ["BN-2024-000899"])]


def test_stats_counts_per_facet(archive):
    stats = json.loads(diarium("stats", "--json", data_dir=archive).stdout)
    assert stats["documents"] == 9 and stats["matters"] == 3
    counts = stats["counts"]
    assert counts["municipality"]["Linköping"] >= 4 and counts["doc_type"]["protokoll"] == 1
    assert set(counts) == {"municipality", "body", "year", "doc_type", "section"}
    assert counts["section"]["decision"] == 1


def test_version_quiet_and_skipped_files(tmp_path):
    assert diarium("--version", data_dir=tmp_path).stdout.startswith("diarium ")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "brev.docx").write_bytes(b"PK\x03\x04")
    (folder / "english.txt").write_text("The committee approved the annual report of the board for this year.\n", encoding="utf-8")
    result = diarium("ingest", str(folder), data_dir=tmp_path / "data", check=False)
    assert result.returncode == 1
    assert "skipped" in result.stderr and "brev.docx" in result.stderr and "unsupported file type .docx" in result.stderr
    assert "english.txt: document is in English, not Swedish" in result.stderr
    assert "1 skipped" in result.stdout
    quiet = diarium("--quiet", "ingest", str(folder), data_dir=tmp_path / "data", check=False)
    lines = quiet.stderr.splitlines()
    assert not any(line.startswith("skipped") for line in lines) and any("english.txt" in line for line in lines)  # failures are always told


def test_a_config_file_sets_defaults_and_an_option_overrides_it(archive, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{archive}"\n', encoding="utf-8")
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {key: value for key, value in os.environ.items() if key != "DIARIUM_DATA_DIR"}
    env["DIARIUM_CONFIG"] = str(config)
    stats = subprocess.run([sys.executable, str(ROOT / "cli.py"), "stats", "--json"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert json.loads(stats.stdout)["data_dir"] == str(archive)
    elsewhere = subprocess.run([sys.executable, str(ROOT / "cli.py"), "stats", "--data-dir", str(tmp_path / "none")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert elsewhere.returncode == 1 and "no archive at" in elsewhere.stderr
