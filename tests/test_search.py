"""Search on the sample archive (real model, real Qdrant Edge): the three modes, one hit
per document unless all chunks are asked for, and snippets that mark the query terms."""

from __future__ import annotations

import re

import pytest

from errors import UsageError
from index.snippets import MARK_CLOSE, MARK_OPEN, make_snippet, strip_marks
from index.sparse import index_terms

MARKED = re.compile(re.escape(MARK_OPEN) + r"(.+?)" + re.escape(MARK_CLOSE))


def test_snippet_marks_query_words_inside_the_best_window():
    text = " ".join(["Inledande ord utan betydelse."] * 20) + " Nattpatrullen gör tillsynsbesök med kamera. " + " ".join(["Avslutning."] * 40)
    snippet = make_snippet(text, "kameratillsyn på natten", window=12)
    assert MARKED.findall(snippet) == ["Nattpatrullen", "tillsynsbesök", "kamera."]
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert strip_marks(snippet)[2:-2] in text


def test_snippet_of_text_without_query_words_is_its_beginning_unmarked():
    snippet = make_snippet("Ett kort stycke om budget.", "skolskjuts")
    assert snippet == "Ett kort stycke om budget."


def _seed(hit) -> str:
    return hit.source.rsplit("/", 1)[-1][:3]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hybrid", "dense", "sparse"])
def test_each_mode_finds_the_document_and_collapses_to_one_hit_per_document(sample_archive, mode):
    hits = sample_archive.search("verksamhetsuppdrag till Leanlink om stöd vid våld i nära relation", limit=5, mode=mode).hits
    assert hits and _seed(hits[0]) == "003", [(_seed(hit), round(hit.score, 3)) for hit in hits]
    assert len({hit.doc_id for hit in hits}) == len(hits)


@pytest.mark.slow
def test_all_chunks_returns_every_chunk_and_collapsing_keeps_each_documents_best(sample_archive):
    query = "handlingsplan mot våld i nära relationer"
    collapsed = sample_archive.search(query, limit=10).hits
    every = sample_archive.search(query, limit=10, all_chunks=True).hits
    assert len(every) == 10 and len({hit.chunk_id for hit in every}) == 10
    assert len({hit.doc_id for hit in every}) < len(every)
    copies = {doc_id for hit in collapsed for doc_id in hit.versions}  # another copy of a kept hit's text
    first_seen = [doc_id for doc_id in dict.fromkeys(hit.doc_id for hit in every) if doc_id not in copies]
    assert [hit.doc_id for hit in collapsed[: len(first_seen)]] == first_seen
    best = {hit.doc_id: hit.chunk_id for hit in reversed(every)}
    assert [hit.chunk_id for hit in collapsed[: len(first_seen)]] == [best[doc_id] for doc_id in first_seen]


@pytest.mark.slow
def test_sparse_hits_contain_a_query_term_and_snippets_mark_it(sample_archive):
    query = "genomlysning av skyddat boende"
    hits = sample_archive.search(query, limit=5, mode="sparse", all_chunks=True).hits
    assert hits
    wanted = set(index_terms(query))
    for hit in hits:
        assert wanted & set(index_terms(f"{hit.title} {hit.heading} {hit.text}"))
    marked = MARKED.findall(hits[0].snippet)
    assert marked and all(wanted & set(index_terms(word)) for word in marked)


@pytest.mark.slow
def test_dense_mode_finds_a_paraphrase_without_shared_words(sample_archive):
    """No sample says `misshandel` or `makar`; all of them are about violence in close relationships."""
    hits = sample_archive.search("misshandel mellan makar", limit=3, mode="dense").hits
    assert len(hits) == 3
    assert all(re.search(r"v[aå]ld", (hit.title + hit.text).lower()) for hit in hits)


def test_unknown_mode_is_refused(sample_archive):
    with pytest.raises(UsageError, match="hybrid"):
        sample_archive.search("budget", mode="fuzzy")
