"""The archive end to end on the sample PDFs with the real model and Qdrant Edge."""

from __future__ import annotations

import numpy as np
import pytest

from config import Settings
from conftest import SAMPLES
from errors import ModelMismatchError
from index.query import SearchFilters
from pipeline.archive import Archive
from pipeline.writer import ArchiveWriter

# Queries a researcher might ask, paraphrased, and the seed document that answers each.
QUERIES = {
    "policy för bostadsbolaget att upptäcka våld mot hyresgäster": "000",
    "ny handlingsplan som även omfattar sexuellt våld oberoende av relation": "001",
    "genomlysning av behovet av skyddat boende för våldsutsatta": "002",
    "uppdrag till Leanlink att ge stöd till våldsutsatta vuxna och barn": "003",
    "remissvar om ett program för att lämna en våldsam relation": "004",
}


def _seed(hit) -> str:
    return hit.source.rsplit("/", 1)[-1][:3]


def test_ingest_summary(sample_archive):
    summary = sample_archive.stats()
    # 9 sample files, of which the image-only scan fails without re-OCR
    assert summary["documents"] == summary["sources"] == 8
    assert summary["chunks"] == summary["index_points"] > 8 * 5
    assert summary["counts"]["municipality"].get("Linköping", 0) >= 4


@pytest.mark.parametrize(("query", "seed"), QUERIES.items())
def test_search_puts_the_right_document_first(sample_archive, query, seed):
    hits = sample_archive.search(query, limit=5).hits
    assert _seed(hits[0]) == seed, [(_seed(h), round(h.score, 3)) for h in hits]
    assert len({hit.doc_id for hit in hits}) == len(hits), "hits collapse to one per document"


def test_search_filters(sample_archive):
    hits = sample_archive.search("våld i nära relationer", SearchFilters(municipality="Stockholm"), limit=10).hits
    assert hits and all(_seed(hit) == "004" for hit in hits)
    hits = sample_archive.search("samråd", SearchFilters(section="samrad"), limit=10, all_chunks=True).hits
    assert hits and all(hit.section == "samrad" for hit in hits)
    hits = sample_archive.search("handlingsplan", SearchFilters(dnr="SON 2021-459"), limit=10).hits
    assert {_seed(hit) for hit in hits} == {"000"}
    hits = sample_archive.search("handlingsplan", SearchFilters(since="2024-01-01"), limit=10).hits
    assert {_seed(hit) for hit in hits} == {"001"}


def test_reingest_changes_nothing(sample_archive_dir, embedder):
    with ArchiveWriter(Settings(data_dir=sample_archive_dir, reocr="never"), embedder=embedder) as archive:
        before = archive.stats()
        report = archive.ingest([SAMPLES])
        assert report.summary()["documents"] == 0
        assert report.summary()["unchanged"] == report.summary()["files"] - 1  # the scan fails again
        assert archive.stats() == before


def test_stored_documents_need_no_pdf(sample_archive):
    doc_id = sample_archive.store.doc_ids("live")[0]
    doc = sample_archive.find(doc_id[:10])
    assert doc is not None and doc.doc_id == doc_id
    assert doc.sections and doc.text and doc.sources


def test_reindex_builds_a_new_generation(tmp_path, embedder):
    with ArchiveWriter(Settings(data_dir=tmp_path, reocr="never"), embedder=embedder) as archive:
        archive.ingest([p for p in SAMPLES.glob("003_*.pdf") if p.name.count(".") == 1])
        before = archive.stats()
        live = archive.vectors.live_generation()
        result = archive.reindex()
        assert result["documents"] == before["documents"] == 1
        assert archive.vectors.live_generation() != live
        assert archive.stats()["index_points"] == before["index_points"]
        assert _seed(archive.search("Leanlink verksamhetsuppdrag", limit=1).hits[0]) == "003"

        # an index whose lexical vectors came from an older term scheme is refused until rebuilt
        archive.store.set_meta("sparse_scheme", "an-older-scheme")
        with pytest.raises(ModelMismatchError, match="run `diarium reindex`"):
            archive.search("Leanlink")
        archive.reindex()
        assert _seed(archive.search("Leanlink verksamhetsuppdrag", limit=1).hits[0]) == "003"


class _CountingEmbedder:
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, embedder):
        self.embedder, self.passages = embedder, 0

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.embedder.embed_passages(texts)


def test_reindex_keeps_the_vectors_of_unchanged_chunks(tmp_path, embedder):
    """A rebuild by the same model embeds only chunks whose text changed; `reuse=False`
    (`reindex --fresh`) embeds them all; the vectors kept are the live index's own."""
    counting = _CountingEmbedder(embedder)
    with ArchiveWriter(Settings(data_dir=tmp_path, reocr="never"), embedder=counting) as archive:
        archive.ingest([p for p in SAMPLES.glob("00[34]_*.pdf") if p.name.count(".") == 1])
        chunks = archive.stats()["chunks"]
        doc = next(archive.store.get(doc_id) for doc_id in archive.store.doc_ids("live"))
        ids = _chunk_ids(archive, doc.doc_id)
        before = {chunk_id: point.dense for chunk_id, point in archive.vectors.stored(ids).items()}
        assert len(before) == len(ids) > 0

        doc.title += " (reviderad)"  # every chunk of this document is embedded with its title
        archive.store.put(doc, state="live")
        counting.passages = 0
        result = archive.reindex()
        changed = len(before)
        assert result["reused_vectors"] == chunks - changed and counting.passages == changed
        after = archive.vectors.stored(ids)
        assert all(not np.array_equal(after[chunk_id].dense, vector) for chunk_id, vector in before.items())

        others = [chunk_id for chunk_id in _all_chunk_ids(archive) if chunk_id not in before]
        kept = archive.vectors.stored(others)
        counting.passages = 0
        assert archive.reindex()["reused_vectors"] == chunks and counting.passages == 0
        assert all(np.array_equal(archive.vectors.stored([c])[c].dense, kept[c].dense) for c in others[:5])

        counting.passages = 0
        assert archive.reindex(reuse=False)["reused_vectors"] == 0 and counting.passages == chunks
        assert _seed(archive.search("Leanlink verksamhetsuppdrag", limit=1).hits[0]) == "003"


def _chunk_ids(archive, doc_id: str) -> list[str]:
    from index.chunking import chunk_document

    return [chunk.chunk_id for chunk in chunk_document(archive.store.get(doc_id))]


def _all_chunk_ids(archive) -> list[str]:
    return [chunk_id for doc_id in archive.store.doc_ids("live") for chunk_id in _chunk_ids(archive, doc_id)]


def test_asking_for_another_model_points_to_reindex(sample_archive_dir, embedder):
    with Archive(Settings(data_dir=sample_archive_dir, model="sentence-transformers/all-MiniLM-L6-v2")) as archive:
        with pytest.raises(ModelMismatchError, match="diarium reindex --model"):
            archive.search("våld")
