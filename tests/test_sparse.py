"""Sparse lexical vectors: Swedish terms (stopwords, stemming, folding, compounds), BM25
weights, and lexical search with Qdrant's IDF modifier in the real Qdrant Edge engine."""

from __future__ import annotations

import numpy as np

from document import Chunk, Document
from index.payload import chunk_payload
from index.query import SearchFilters, plan_query
from index.sparse import compound_parts, index_terms, passage_vector, query_vector, term_id, terms
from index.stores.base import IndexedChunk
from index.stores.edge import EdgeVectorStore


def test_terms_drop_stopwords_and_share_stems_across_inflections():
    assert terms("Förvaltningens förslag och förvaltningen") == terms("förvaltning förslag förvaltning")
    assert terms("hur många av de och att") == []


def test_terms_meet_words_that_lost_their_diacritics():
    assert set(terms("Socialforvaltningen foreslar")) <= set(terms("Socialförvaltningen föreslår"))


def test_folding_does_not_part_a_word_from_its_inflections():
    # folded `samrad` looks like a past participle to the stemmer; `samrådet` does not
    for inflected in ("samrådet", "samrådets", "samråden"):
        assert set(terms("samråd")) & set(terms(inflected)), inflected


def test_compounds_split_into_their_parts():
    assert compound_parts("kameratillsyn") == ("kamera", "tillsyn")
    assert compound_parts("hemtjänsttimmar") == ("hemtjanst", "timmar")  # fewest parts wins
    assert compound_parts("beslutet") == ()  # short words are not split
    assert compound_parts("förvaltningsrätten")[-1] == "ratten"


def test_query_words_match_inside_document_compounds():
    passage = passage_vector("Nattpatrullen gör tillsynsbesök hos brukarna.")
    query = query_vector("besök av patrull")
    assert set(query.indices) <= set(passage.indices)
    assert term_id(terms("nattpatrullen")[0]) in passage.indices  # the whole compound is a term too
    assert len(index_terms("nattpatrullen")) == 3


def test_bm25_weights_saturate_and_normalize_length():
    def weight(text: str, word: str) -> float:
        vector = passage_vector(text)
        return vector.values[vector.indices.index(term_id(terms(word)[0]))]

    once, thrice = weight("buller", "buller"), weight("buller buller buller", "buller")
    assert once < thrice < 3 * once
    padding = " ".join(f"ord{i}" for i in range(200))
    assert weight(f"buller {padding}", "buller") < once
    assert query_vector("buller buller").values == [1.0]


def _chunk(number: int, text: str) -> IndexedChunk:
    chunk = Chunk(chunk_id=f"00000000-0000-0000-0000-{number:012d}", doc_id=f"doc{number}", ordinal=0,
                  section="arende", heading="Ärendet", text=text)
    dense = np.zeros(4, dtype=np.float32)
    dense[number % 4] = 1.0
    doc = Document(doc_id=f"doc{number}", source="", file_type="txt", text=text)
    return IndexedChunk(chunk.chunk_id, dense, passage_vector(text), chunk_payload(doc, chunk))


def test_sparse_search_in_qdrant_edge_ranks_rare_terms_higher(tmp_path):
    store = EdgeVectorStore(tmp_path / "edge")
    store.create(4)
    store.upsert(
        [
            _chunk(1, "Kommunen föreslår att nämnden beslutar om riktlinjer för kommunen."),
            _chunk(2, "Kommunen inför nattlig kameratillsyn i hemtjänsten."),
            _chunk(3, "Kommunen bygger en förskola i kvarteret."),
        ]
    )
    points = store.search(plan_query("sparse", None, query_vector("kommunen och kameror för tillsyn"), SearchFilters(), 3))
    assert [point.payload["doc_id"] for point in points][0] == "doc2"
    assert {point.payload["doc_id"] for point in points} == {"doc1", "doc2", "doc3"}  # `kommun` matches all, weakly
    assert store.search(plan_query("sparse", None, query_vector("skolskjuts"), SearchFilters(), 3)) == []
