"""The vector store contract, on the real Qdrant Edge engine and on qdrant-client's own
local mode (standing in for a server): the same data in, the same answers out."""

from __future__ import annotations

import numpy as np
import pytest
from qdrant_client import QdrantClient

from document import Chunk, Document
from errors import StorageError
from index.payload import chunk_payload
from index.query import SearchFilters, plan_query
from index.sparse import passage_vector, query_vector
from index.stores.base import IndexedChunk
from index.stores.edge import EdgeVectorStore
from index.stores.server import ServerVectorStore

DIM = 8
TEXTS = {
    ("a", "arende"): "Nattlig tillsyn med kamera i hemtjänsten för äldre brukare.",
    ("a", "proposals"): "Äldrenämnden föreslås besluta att införa kameratillsyn.",
    ("b", "samrad"): "Samråd har skett med kommunledningsförvaltningen och socialförvaltningen.",
    ("c", "economy"): "Detaljplanen för Gottsunda kostar 2,4 miljoner kronor.",
}
META = {
    "a": {"municipality": "Uppsala", "date": "2024-03-12", "dnr": ["ÄLN-2024-0001"], "entities": ["Äldrenämnden"]},
    "b": {"municipality": "Linköping", "date": "2019-12-04", "dnr": ["SON 2019-755"], "entities": ["Leanlink"]},
    "c": {"municipality": "Uppsala", "date": "2021-06-01", "dnr": ["PBN 2021/12"], "entities": ["Gottsunda"]},
}


def _vector(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _document(doc_id: str) -> Document:
    meta = META[doc_id]
    return Document(doc_id=doc_id, source=f"/x/{doc_id}.pdf", file_type="pdf", text="", title=f"Dokument {doc_id}",
                    municipality=meta["municipality"], date=meta["date"], dnr=meta["dnr"])


def _points() -> list[IndexedChunk]:
    points = []
    for n, ((doc_id, section), text) in enumerate(TEXTS.items()):
        chunk = Chunk(chunk_id=f"00000000-0000-0000-0000-{n:012d}", doc_id=doc_id, ordinal=n, section=section, heading=section,
                      text=text, entities=META[doc_id]["entities"])
        points.append(IndexedChunk(chunk.chunk_id, _vector(n), passage_vector(text), chunk_payload(_document(doc_id), chunk)))
    return points


def _search(store, dense, sparse, filters, limit, mode):
    return store.search(plan_query(mode, dense, sparse, filters, limit))


@pytest.fixture(params=["edge", "client-local"])
def store(request, tmp_path):
    if request.param == "edge":
        store = EdgeVectorStore(tmp_path / "edge")
    else:
        store = ServerVectorStore(QdrantClient(location=":memory:"), "diarium")
    store.create(DIM)
    store.upsert(_points())
    yield store
    store.close()


def _docs(results) -> list[str]:
    return [point.payload["doc_id"] for point in results]


def test_dense_search_finds_the_nearest_vector(store):
    results = _search(store, _vector(2), None, SearchFilters(), limit=4, mode="dense")
    assert results[0].payload["section"] == "samrad"
    assert results[0].score == pytest.approx(1.0, abs=1e-4)


def test_sparse_search_matches_stemmed_terms(store):
    results = _search(store, None, query_vector("kameratillsynen"), SearchFilters(), limit=4, mode="sparse")
    # the whole compound ranks first; its parts (`kamera`, `tillsyn`) match a's other chunk
    assert set(_docs(results)) == {"a"}
    assert results[0].payload["section"] == "proposals"
    assert _search(store, None, query_vector("samrådet"), SearchFilters(), limit=4, mode="sparse")[0].payload["doc_id"] == "b"


def test_hybrid_fuses_both(store):
    results = _search(store, _vector(3), query_vector("detaljplanen"), SearchFilters(), limit=4, mode="hybrid")
    assert results[0].payload["doc_id"] == "c"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(municipality="Uppsala"), {"a", "c"}),
        (SearchFilters(municipality="uppsala"), {"a", "c"}),
        (SearchFilters(dnr="SON-2019-0755"), {"b"}),
        (SearchFilters(dnr="ALN 2024/1"), {"a"}),
        (SearchFilters(entity="leanlink"), {"b"}),
        (SearchFilters(since="2021"), {"a", "c"}),
        (SearchFilters(until="2021-06"), {"b", "c"}),
        (SearchFilters(section="samrad"), {"b"}),
        (SearchFilters(dnr="PBN 2021/12"), {"c"}),
        (SearchFilters(entity="Leanlink"), {"b"}),
        (SearchFilters(since="2020-01-01"), {"a", "c"}),
        (SearchFilters(since="2021-06-01", until="2021-06-01"), {"c"}),
        (SearchFilters(doc_ids=["a", "b"]), {"a", "b"}),
    ],
)
def test_filters(store, filters, expected):
    assert set(_docs(_search(store, _vector(0), None, filters, limit=10, mode="dense"))) == expected


def test_delete_count_and_doc_ids(store):
    assert store.count() == 4
    assert store.doc_ids() == {"a", "b", "c"}
    store.delete_documents(["a"])
    assert store.count() == 2
    assert store.doc_ids() == {"b", "c"}


def test_stored_points_by_chunk_id(store):
    """What a rebuild reuses: each asked-for point with its payload and its own dense vector;
    ids the index does not hold are left out."""
    points = _points()
    missing = "00000000-0000-0000-0000-999999999999"
    found = store.stored([points[1].chunk_id, points[3].chunk_id, missing])
    assert set(found) == {points[1].chunk_id, points[3].chunk_id}
    for point in (points[1], points[3]):
        assert found[point.chunk_id].payload["text"] == point.payload["text"]
        assert np.allclose(found[point.chunk_id].dense, point.dense, atol=1e-6)
    assert store.stored([]) == {}


def test_rebuild_swaps_generations_atomically(store):
    staging = store.staging()
    staging.create(DIM)
    staging.upsert(_points()[:1])
    assert store.count() == 4  # the live index is untouched while the new one is built
    store.promote(staging)
    assert store.count() == 1
    assert store.doc_ids() == {"a"}


def _many_points(count: int, dimension: int = 384) -> tuple[np.ndarray, list[IndexedChunk]]:
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(count, dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = ["kamera", "tillsyn", "samråd", "detaljplan", "skolskjuts", "budget", "bibliotek", "buller"]
    points = []
    for n in range(count):
        text = f"{words[n % 8]} {words[(n // 8) % 8]} nummer{n}"
        chunk = Chunk(chunk_id=f"00000000-0000-0000-0000-{n:012d}", doc_id=f"d{n // 10}", ordinal=n % 10, section="arende", heading="", text=text)
        doc = Document(doc_id=f"d{n // 10}", source="", file_type="txt", text="", municipality="Uppsala")
        points.append(IndexedChunk(chunk.chunk_id, vectors[n], passage_vector(text), chunk_payload(doc, chunk)))
    return vectors, points


def _indexed(store: EdgeVectorStore) -> bool:
    return bool(list(store.path.resolve().glob("segments/*/vector_index-dense")))


def test_edge_optimize_indexes_written_points_and_keeps_every_answer(tmp_path):
    """Edge has no background optimizer: `optimize()` builds the indexes of segments that
    outgrew the indexing threshold, and the answers stay the same."""
    count = 12_000  # past Qdrant's default indexing threshold (about 6,700 vectors of 384 floats)
    vectors, points = _many_points(count)
    store = EdgeVectorStore(tmp_path / "edge")
    store.create(vectors.shape[1])
    with store.session():
        for start in range(0, count, 2000):
            store.upsert(points[start : start + 2000])
    probes = [3, 4321, 11_999]

    def answers():
        return [
            (_search(store, vectors[n], None, SearchFilters(), 1, mode="dense")[0].chunk_id,
             _search(store, None, query_vector(f"nummer{n}"), SearchFilters(), 1, mode="sparse")[0].chunk_id)
            for n in probes
        ]

    before = answers()
    assert not _indexed(store)
    assert store.optimize() is True
    assert _indexed(store)  # an HNSW index now
    assert store.optimize() is False  # nothing left to do
    assert answers() == before == [(points[n].chunk_id,) * 2 for n in probes]
    assert store.count() == count


def test_writers_optimize_every_so_many_points(tmp_path):
    from pipeline.write_order import OPTIMIZE_EVERY_POINTS, OptimizeSchedule

    batch = OPTIMIZE_EVERY_POINTS // 5
    vectors, points = _many_points(OPTIMIZE_EVERY_POINTS + 2 * batch)
    store = EdgeVectorStore(tmp_path / "edge")
    store.create(vectors.shape[1])
    schedule = OptimizeSchedule(store)
    with store.session():
        for start in range(0, len(points), batch):
            # optimized when the count was reached, without being asked
            assert _indexed(store) == (start >= OPTIMIZE_EVERY_POINTS)
            store.upsert(points[start : start + batch])
            schedule.wrote(len(points[start : start + batch]))
    assert schedule.unoptimized == 2 * batch
    schedule.now()
    assert schedule.unoptimized == 0 and store.count() == len(points)


def test_shard_files_and_lock_files_are_private(tmp_path):
    store = EdgeVectorStore(tmp_path / "edge")
    store.create(DIM)
    store.upsert(_points())
    assert store.count() == 4
    paths = [path for path in (tmp_path / "edge").rglob("*") if not path.is_symlink()]
    assert any(path.name.endswith(".lock") for path in paths)
    assert not [str(path) for path in paths if path.stat().st_mode & 0o077]


def test_a_lost_current_link_is_damage_and_a_rebuild_replaces_every_generation(tmp_path):
    root = tmp_path / "edge"
    store = EdgeVectorStore(root)
    store.create(DIM)
    store.upsert(_points())
    (root / "current").unlink()
    with pytest.raises(StorageError, match="diarium check"):
        store.exists()
    with pytest.raises(StorageError, match="diarium check"):
        store.create(DIM)  # never a second, empty index beside the lost one
    staging = store.staging()
    assert staging.generation == "gen-0002"  # after every generation there is
    staging.create(DIM)
    staging.upsert(_points()[:1])
    store.promote(staging)
    assert store.count() == 1
    assert sorted(path.name for path in root.iterdir() if path.is_dir() and not path.is_symlink()) == ["gen-0002"]


def test_a_private_copy_leaves_holes_holes(tmp_path):
    from index.stores.edge import MIB, _copy_sparse

    source = tmp_path / "sparse"
    with open(source, "wb") as handle:
        handle.write(b"head")
        handle.seek(32 * MIB)
        handle.write(b"tail")
    _copy_sparse(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()
    assert (tmp_path / "copy").stat().st_blocks * 512 < MIB
