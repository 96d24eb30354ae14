"""Query → ranked hits: embed the query (dense and sparse), ask the vector store, keep
only live documents, collapse to the best chunk per document, and make snippets."""

from __future__ import annotations

from document import Hit
from index.docstore import DocumentStore
from index.embed.embedder import Embedder
from index.snippets import make_snippet
from index.sparse import query_vector
from index.vectorstore import SearchFilters, StoredPoint, VectorStore, check_search_mode

CANDIDATES_PER_HIT = 5  # chunks fetched per requested hit, before collapsing to documents


def _hit(point: StoredPoint, query: str) -> Hit:
    payload = point.payload
    return Hit(
        doc_id=payload.get("doc_id", ""),
        chunk_id=point.chunk_id,
        score=point.score,
        source=payload.get("source", ""),
        title=payload.get("title", ""),
        municipality=payload.get("municipality", ""),
        body=payload.get("body", ""),
        date=payload.get("date", ""),
        dnr=list(payload.get("dnr", [])),
        section=payload.get("section", ""),
        heading=payload.get("heading", ""),
        text=payload.get("text", ""),
        snippet=make_snippet(payload.get("text", ""), query),
    )


def search(
    query: str,
    store: DocumentStore,
    vectors: VectorStore,
    embedder: Embedder,
    filters: SearchFilters | None = None,
    limit: int = 10,
    mode: str = "hybrid",
    all_chunks: bool = False,
) -> list[Hit]:
    check_search_mode(mode)  # before the query is embedded
    dense = embedder.embed_query(query) if mode != "sparse" else None
    sparse = query_vector(query) if mode != "dense" else None
    points = vectors.search(dense, sparse, filters or SearchFilters(), limit * CANDIDATES_PER_HIT, mode)
    live = store.live_among({point.payload.get("doc_id", "") for point in points})
    hits: list[Hit] = []
    seen: set[str] = set()
    for point in points:
        doc_id = point.payload.get("doc_id", "")
        if doc_id not in live or (not all_chunks and doc_id in seen):
            continue
        seen.add(doc_id)
        hits.append(_hit(point, query))
        if len(hits) >= limit:
            break
    return hits
