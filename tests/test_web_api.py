"""The web server's JSON API and pages through an HTTP client (the real app on the real
archive, model and index; tests/web_archive.py): every endpoint, the same JSON as the
command line's `--json`, exports, error codes, escaping, source files, the token."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config import Settings
from conftest import ROOT, sample
from errors import UsageError
from web.app import create_app
from web.render import EXPORT_COLUMNS
from web_archive import NOT_INGESTED, PROTOCOL, SCRIPT_TITLE, web_archive  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow
BASE = "http://127.0.0.1"
LEANLINK = "verksamhetsuppdrag för stöd till våldsutsatta"


@pytest.fixture(scope="module")
def client(web_archive, embedder):
    app = create_app(Settings(data_dir=web_archive), embedder=embedder)
    with TestClient(app, base_url=BASE) as client:
        yield client


@pytest.fixture(scope="module")
def documents(client) -> dict[str, dict]:
    """Listed documents by a short name: `protocol`, `script`, `ocr` (the OCR'd 004), `digital` (004)."""
    rows = client.get("/api/list").json()
    by_source = {}
    for row in rows:
        doc = client.get(f"/api/document/{row['doc_id']}").json()
        for source in doc["sources"]:
            by_source[Path(source).name] = doc
    return {
        "protocol": by_source[PROTOCOL.name],
        "script": by_source["skript_tjansteskrivelse.txt"],
        "ocr": by_source[sample("004", "ocr").name],
        "digital": by_source[sample("004").name],
    }


def diarium_json(data_dir: Path, *args: str):
    """`diarium ARGS --json` in its own process (it waits for the index the server holds)."""
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args, "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def needs_matters(doc: dict) -> None:
    if not doc["matters"]:
        pytest.skip("the protocol has no matters: extract/matters.py does not find its § yet")


# --- the same answers as the command line -------------------------------------------------


def test_search_is_the_cli_search_json(client, web_archive):
    api = client.get("/api/search", params={"q": LEANLINK, "limit": 3, "municipality": "linköping"})
    assert api.status_code == 200
    assert api.json()["hits"], "the Leanlink decision is in the sample archive"
    assert api.json() == diarium_json(web_archive, "search", LEANLINK, "--limit", "3", "--municipality", "linköping")


def test_document_case_and_stats_are_the_cli_json(client, web_archive, documents):
    doc_id = documents["digital"]["doc_id"]
    assert client.get(f"/api/document/{doc_id}").json() == diarium_json(web_archive, "show", doc_id)
    assert client.get("/api/case/KS 2023/553").json() == diarium_json(web_archive, "case", "KS 2023/553")
    assert client.get("/api/stats").json() == diarium_json(web_archive, "stats")


def test_case_lists_every_copy_in_date_order(client, documents):
    case = client.get("/api/case/KS-2023-00553").json()
    assert case["dnr"] == "KS-2023-00553"
    assert {entry["doc_id"] for entry in case["entries"]} >= {documents["digital"]["doc_id"], documents["ocr"]["doc_id"]}
    assert [entry["date"] for entry in case["entries"]] == sorted(entry["date"] for entry in case["entries"])


# --- search, filters, facets, list ----------------------------------------------------------


def test_filters_narrow_the_hits_and_facets_count_them(client):
    result = client.get("/api/search", params={"q": "våld i nära relationer", "limit": 20, "facets": "true"}).json()
    assert set(result["facets"]) == {"municipality", "body", "doc_type", "year"}
    assert result["facets"]["municipality"]["Stockholm"] >= 1 and result["facets"]["municipality"]["Linköping"] >= 2
    stockholm = client.get("/api/search", params={"q": "våld i nära relationer", "limit": 20, "municipality": "Stockholm"}).json()["hits"]
    assert stockholm and {hit["municipality"] for hit in stockholm} == {"Stockholm"}
    dated = client.get("/api/search", params={"q": "våld i nära relationer", "since": "2023", "until": "2023-12"}).json()["hits"]
    assert dated and all(hit["date"].startswith("2023") for hit in dated)
    typed = client.get("/api/search", params={"q": "våld i nära relationer", "doc_type": "tjänsteutlåtande"}).json()["hits"]
    assert typed and {hit["doc_type"] for hit in typed} == {"tjänsteutlåtande"}
    sections = client.get("/api/search", params={"q": "samråd", "section": "samrad", "all_chunks": "true"}).json()["hits"]
    assert sections and {hit["section"] for hit in sections} == {"samrad"}
    assert client.get("/api/search", params={"q": "stöd", "entity": "leanlink"}).json()["hits"]
    assert client.get("/api/search", params={"q": "stöd", "entity": "Atlantisbolaget"}).json()["hits"] == []


def test_a_filter_that_matches_nothing_names_the_stored_values(client):
    result = client.get("/api/search", params={"q": "våld", "municipality": "Atlantis"}).json()
    assert result["hits"] == [] and "Stockholm" in result["known_values"]["municipality"]


def test_protocol_hits_carry_their_paragraph_and_dnr_finds_the_matter(client, documents):
    needs_matters(documents["protocol"])
    hits = client.get("/api/search", params={"q": "detaljplan för bostäder", "dnr": "BN-2023-00211"}).json()["hits"]
    assert hits and hits[0]["paragraph"] == "§ 137" and hits[0]["dnr"] == ["BN-2023-00211"] and hits[0]["page"] == 3


def test_list_gives_documents_and_matters(client, documents):
    rows = client.get("/api/list").json()
    assert {row["doc_id"] for row in rows} >= {doc["doc_id"] for doc in documents.values()}
    stockholm = client.get("/api/list", params={"municipality": "stockholm"}).json()
    assert stockholm and {row["municipality"] for row in stockholm} == {"Stockholm"}
    needs_matters(documents["protocol"])
    matters = client.get("/api/list", params={"matters": "true", "doc_type": "protokoll"}).json()
    assert [row["paragraph"] for row in matters] == [matter["paragraph"] for matter in documents["protocol"]["matters"]]


# --- exports -------------------------------------------------------------------------------


def test_export_csv_and_jsonl_are_the_hits_with_citable_urls(client, documents):
    params = {"q": "detaljplan för bostäder Skörvalla", "limit": 5}
    hits = client.get("/api/search", params=params).json()["hits"]
    response = client.get("/api/export.csv", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    # which copy of one text ranks first among equal scores may differ between two searches
    assert len(rows) == len(hits) and all(row["document"] in {hit["doc_id"], *hit["versions"]} for row, hit in zip(rows, hits))
    assert [float(row["score"]) for row in rows] == [hit["score"] for hit in hits]
    lines = [json.loads(line) for line in client.get("/api/export.jsonl", params=params).text.splitlines()]
    assert [line["document"] for line in lines] == [row["document"] for row in rows]
    assert all(line["url"].startswith(f"{BASE}/dokument/{line['document']}") for line in lines)
    if documents["protocol"]["matters"]:
        assert lines[0]["matter"] == "§ 137" and lines[0]["url"] == f"{BASE}/dokument/{documents['protocol']['doc_id']}/arende/1"
        assert client.get(lines[0]["url"]).status_code == 200


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, status, says",
    [
        ("/api/search?q=x&limit=0", 422, "limit"),
        ("/api/search?q=x&limit=many", 422, "limit"),
        ("/api/search?q=x&mode=fuzzy", 422, "mode"),
        ("/api/search?q=x&since=2023-13", 400, "YYYY-MM-DD"),
        ("/api/search?q=x&since=2024&until=2023", 400, "after"),
        ("/api/search?q=x&doc_type=memo", 400, "tjänsteskrivelse"),
        ("/api/search?q=x&section=slutet", 400, "samrad"),
        ("/api/search", 400, "empty query"),
        ("/api/search?q=%20%20", 400, "empty query"),
        ("/api/document/abcdef0123", 404, "no stored document"),
        ("/api/document/..%2F..%2Fetc%2Fpasswd", 404, "no such page"),
        ("/api/document/abc%00def", 404, "hexadecimal"),
        ("/api/case/%20", 400, "diary number"),
        ("/api/nothing", 404, "no such page"),
        ("/?q=x&limit=many", 422, "limit"),
        ("/?q=x&since=igår", 400, "YYYY"),
        ("/dokument/abcdef0123", 404, "no stored document"),
        ("/dokument/zz", 404, "hexadecimal"),
        ("/ingenting", 404, "no such page"),
    ],
)
def test_bad_parameters_get_a_clear_status_and_one_line(client, url, status, says):
    response = client.get(url)
    assert response.status_code == status, response.text
    text = response.json()["error"] if url.startswith("/api/") else response.text
    assert says in text and "Traceback" not in response.text
    if url.startswith("/api/"):
        assert "\n" not in text and response.json()["status"] == status


def test_an_index_built_by_another_recipe_is_503_with_what_to_run(client, web_archive):
    db = sqlite3.connect(web_archive / "documents.sqlite")
    (old,) = db.execute("SELECT value FROM meta WHERE key='payload_version'").fetchone()
    try:
        db.execute("UPDATE meta SET value='0' WHERE key='payload_version'")
        db.commit()
        response = client.get("/api/search", params={"q": "våld"})
        assert response.status_code == 503 and "diarium reindex" in response.json()["error"]
        page = client.get("/", params={"q": "våld"})
        assert page.status_code == 503 and "diarium reindex" in page.text
    finally:
        db.execute("UPDATE meta SET value=? WHERE key='payload_version'", (old,))
        db.commit()
        db.close()
    assert client.get("/api/search", params={"q": "våld"}).status_code == 200


# --- pages ---------------------------------------------------------------------------------


def test_document_text_and_query_are_escaped_and_no_script_may_run(client, documents):
    page = client.get(f"/dokument/{documents['script']['doc_id']}")
    assert page.status_code == 200
    assert documents["script"]["title"] == SCRIPT_TITLE
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "<b>fet" not in page.text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    found = client.get("/", params={"q": '<script>alert("q")</script> webbformulär'})
    assert found.status_code == 200 and "<script>" not in found.text
    assert "&lt;script&gt;alert(&#34;q&#34;)" in found.text and "&lt;script&gt;alert(&#34;xss&#34;)" in found.text


def test_document_and_matter_pages_have_stable_urls(client, documents):
    digital = documents["digital"]["doc_id"]
    short = client.get(f"/dokument/{digital[:10]}?sida=2", follow_redirects=False)
    assert short.status_code == 308 and short.headers["location"] == f"/dokument/{digital}?sida=2"
    page = client.get(f"/dokument/{digital}")
    assert f'<link rel="canonical" href="{BASE}/dokument/{digital}">' in page.text and 'id="sida-3"' in page.text
    protocol = documents["protocol"]
    needs_matters(protocol)
    matter = client.get(f"/dokument/{protocol['doc_id']}/arende/1")
    assert matter.status_code == 200 and "§ 137" in matter.text and "BN-2023-00211" in matter.text
    assert f"{BASE}/dokument/{protocol['doc_id']}/arende/1" in matter.text  # the citation
    assert client.get(f"/dokument/{protocol['doc_id']}/arende/{len(protocol['matters']) + 1}").status_code == 404


def test_ocr_repairs_are_shown_with_the_text_before_them(client, documents):
    ocr = documents["ocr"]
    assert ocr["edits"], "the OCR'd sample has repairs"
    page = client.get(f"/dokument/{ocr['doc_id']}").text
    first = ocr["edits"][0]
    assert f'<span class="after">{first["after"]}</span><span class="before">{first["before"]}</span>' in page
    assert 'id="visa-fore"' in page


def test_only_recorded_source_files_are_served(client, documents, web_archive):
    digital = documents["digital"]["sources"][0]
    response = client.get("/fil", params={"path": digital})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == Path(digital).read_bytes()
    script = Path(documents["script"]["sources"][0])
    assert client.get("/fil", params={"path": str(script)}).text.startswith("Tjänsteskrivelse")
    beside = script.with_name(NOT_INGESTED)
    assert beside.is_file()
    for path in (str(beside), f"{script}/../{NOT_INGESTED}", f"{script.parent}/../files/{NOT_INGESTED}", NOT_INGESTED,
                 "/etc/passwd", f"{script.parent}/../data/documents.sqlite", str(web_archive / "documents.sqlite")):
        refused = client.get("/fil", params={"path": path})
        assert refused.status_code == 404, path
        assert "inte en källa" not in refused.text and "SQLite" not in refused.text


def test_api_docs_work_without_a_network(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/document/{doc_id}", "/api/case/{dnr}", "/api/stats", "/api/list", "/api/export.csv", "/api/export.jsonl"} <= set(spec["paths"])
    assert {"q", "municipality", "body", "doc_type", "section", "dnr", "entity", "since", "until", "limit", "mode", "facets"} <= {
        parameter["name"] for parameter in spec["paths"]["/api/search"]["get"]["parameters"]
    }
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/static/api-docs/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/api-docs/swagger-ui-bundle.js").status_code == 200


def test_only_loopback_host_names_are_answered(client):
    assert client.get("/api/stats", headers={"host": "localhost:8080"}).status_code == 200
    assert client.get("/api/stats", headers={"host": "diarium.example.org"}).status_code == 400


def test_a_token_is_required_when_given(web_archive, embedder):
    with pytest.raises(UsageError, match="--token"):
        create_app(Settings(data_dir=web_archive), host="0.0.0.0", embedder=embedder)
    app = create_app(Settings(data_dir=web_archive), token="hemligt-123", host="0.0.0.0", embedder=embedder)
    with TestClient(app, base_url="http://diarium.example.org") as other:
        refused = other.get("/api/stats")
        assert refused.status_code == 401 and "token" in refused.json()["error"]
        assert other.get("/api/stats", headers={"Authorization": "Bearer fel"}).status_code == 401
        assert other.get("/api/stats", headers={"Authorization": "Bearer hemligt-123"}).status_code == 200
        assert other.get("/").status_code == 401
        opened = other.get("/?token=hemligt-123&q=v%C3%A5ld", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "http://diarium.example.org/?q=v%C3%A5ld"
        assert "httponly" in opened.headers["set-cookie"].lower()
        assert other.get("/").status_code == 200  # with the cookie the client kept


def test_nothing_can_be_written_through_the_server(client, documents):
    doc_id = documents["script"]["doc_id"]
    for method, url in (("POST", "/api/search"), ("DELETE", f"/api/document/{doc_id}"), ("PUT", f"/dokument/{doc_id}"), ("POST", "/")):
        assert client.request(method, url).status_code == 405, (method, url)
    assert client.get(f"/api/document/{doc_id}").status_code == 200
    writable = [route.path for route in client.app.routes if set(getattr(route, "methods", None) or ()) - {"GET", "HEAD"}]
    assert writable == []
