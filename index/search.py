"""Query → ranked hits: embed the query (dense and sparse), run the query plan on the
vector store, keep only live documents, collapse to the best chunk per document, group
copies of one text, and make snippets.

Ranking is Qdrant's fusion (index/query.py). A hybrid hit's `score` is the fused DBSF
score halved, so 0–1 (each list's score is scaled to 0–1 and the two are summed); a
dense hit's is the cosine, a sparse hit's the BM25 sum. Each hit also carries `similarity`, the
cosine between the query's and the chunk's embeddings (0–1 in practice), on one scale
for every query, and `matched_terms`, how many query terms the chunk contains. A query
with nothing close in the archive is told by those two (`is_weak`: no hit holds most of
the query's terms or comes close in meaning), not by the fused score, which is scaled
anew for every query.

Copies of one text (a digital PDF and its scanned, OCR'd twin; a decision filed in two
bundles) are one hit with every copy listed in `versions`: their best chunks share
nearly all words (`SAME_TEXT_JACCARD`), or the documents share title, date and type.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from document import Hit
from index.embed.embedder import Embedder
from index.query import SearchFilters, check_limit, plan_query
from index.snippets import make_snippet
from index.sparse import SparseVector, index_terms, query_vector
from index.stores.base import StoredPoint, VectorStore
from swedish.fold import fold

CANDIDATES_PER_HIT = 5  # chunks fetched per requested hit, before collapsing to documents
MAX_ROUNDS = 4  # fetch more candidates this many times when collapsing left too few hits
SAME_TEXT_JACCARD = 0.6
# A hit that holds less than MATCHED_SHARE of the query's terms and whose embedding is this far
# from the query's is no real match. multilingual-e5-small on the sample archive: the
# best hit of questions it answers scored 0.84-0.91, of questions it cannot answer
# (`recept på kanelbullar`, `fotbollens regler för offside`, `asdf qwerty`) 0.80-0.83.
WEAK_SIMILARITY = 0.835
MATCHED_SHARE = 0.6

LiveSources = Callable[[set[str]], dict[str, list[str]]]  # doc ids → sources of the live ones


@dataclass(frozen=True)
class EncodedQuery:
    """A query as the stores and the snippets need it, computed once per search."""

    text: str
    dense: np.ndarray | None
    sparse: SparseVector | None
    terms: frozenset[str]


def encode_query(query: str, embedder: Embedder | None, mode: str) -> EncodedQuery:
    dense = embedder.embed_query(query) if mode != "sparse" and embedder is not None else None
    sparse = query_vector(query) if mode != "dense" else None
    return EncodedQuery(query, dense, sparse, frozenset(index_terms(query)))


def search(
    query: EncodedQuery,
    vectors: VectorStore,
    live_sources: LiveSources,
    filters: SearchFilters | None = None,
    limit: int = 10,
    mode: str = "hybrid",
    all_chunks: bool = False,
) -> list[Hit]:
    check_limit(limit)
    filters = filters or SearchFilters()
    hits: list[Hit] = []
    fetch = limit * CANDIDATES_PER_HIT
    for _ in range(MAX_ROUNDS):
        plan = plan_query(mode, query.dense, query.sparse, filters, fetch)
        if plan is None:
            return []
        points = _ranked(vectors.search(plan, with_vectors=query.dense is not None))
        hits = _collapse(points, query, live_sources, limit, all_chunks, plan.kind == "fused")
        if len(hits) >= limit or len(points) < fetch:
            break
        fetch *= 4
    return hits[:limit]


def facet_pool(query: EncodedQuery, vectors: VectorStore, live_sources: LiveSources, filters: SearchFilters, mode: str, size: int) -> list[dict]:
    """The payloads of the best chunk of each live document among the `size` best chunks:
    what facet counts beside the results are counted from (no vectors, snippets or
    grouping of copies: a facet pool is ten times a page of hits and must cost little)."""
    plan = plan_query(mode, query.dense, query.sparse, filters, size)
    if plan is None:
        return []
    points = _ranked(vectors.search(plan))
    live = live_sources({point.payload.get("doc_id", "") for point in points})
    seen: set[str] = set()
    pool = []
    for point in points:
        doc_id = point.payload.get("doc_id", "")
        if doc_id in live and doc_id not in seen:
            seen.add(doc_id)
            pool.append(point.payload)
    return pool


def _ranked(points: list[StoredPoint]) -> list[StoredPoint]:
    """By score, ties broken by chunk id: the same search lists equal-scoring copies in
    the same order every time (the store's order of ties varies)."""
    return sorted(points, key=lambda point: (-point.score, point.chunk_id))


def _collapse(
    points: list[StoredPoint],
    query: EncodedQuery,
    live_sources: LiveSources,
    limit: int,
    all_chunks: bool,
    fused: bool,
) -> list[Hit]:
    sources = live_sources({point.payload.get("doc_id", "") for point in points})
    hits: list[Hit] = []
    words: list[tuple[set[str], tuple | None]] = []  # of each kept hit: its chunk's words and identity
    seen_docs: set[str] = set()
    for point in points:
        doc_id = point.payload.get("doc_id", "")
        if doc_id not in sources or (not all_chunks and doc_id in seen_docs):
            continue
        seen_docs.add(doc_id)
        chunk_words = set(fold(point.payload.get("text", "")).split())
        identity = _identity(point.payload)
        copy_of = None if all_chunks else next(
            (n for n, (other, other_identity) in enumerate(words) if (identity and identity == other_identity) or _jaccard(other, chunk_words) >= SAME_TEXT_JACCARD),
            None,
        )
        if copy_of is not None:  # also past the limit: a kept hit's copies ranked lower
            hits[copy_of].versions.append(doc_id)
            hits[copy_of].sources += [path for path in sources[doc_id] if path not in hits[copy_of].sources]
        elif len(hits) < limit:
            hits.append(_hit(point, query, sources[doc_id], fused))
            words.append((chunk_words, identity))
    return hits


def _identity(payload: dict) -> tuple | None:
    """What names one decision whatever the copy: title (folded, so an OCR'd copy's
    `Stangastaden` is `Stångåstaden`), date and type; None without a title and a date."""
    title, date = fold(payload.get("title", "")), payload.get("date", "")
    return (title, date, payload.get("doc_type", ""), payload.get("paragraph")) if title and date else None


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _hit(point: StoredPoint, query: EncodedQuery, sources: list[str], fused: bool) -> Hit:
    payload = point.payload
    text = payload.get("text", "")
    dense = query.dense
    similarity = float(np.dot(dense, point.dense)) if dense is not None and point.dense is not None else None
    return Hit(
        doc_id=payload.get("doc_id", ""),
        chunk_id=point.chunk_id,
        score=round(point.score / 2 if fused else point.score, 4),
        source=sources[0] if sources else "",
        title=payload.get("title", ""),
        municipality=payload.get("municipality", ""),
        body=payload.get("body", ""),
        date=payload.get("date", ""),
        doc_type=payload.get("doc_type", ""),
        dnr=list(payload.get("dnr", [])),
        section=payload.get("section", ""),
        heading=payload.get("heading", ""),
        text=text,
        page=payload.get("page"),
        paragraph=payload.get("paragraph"),
        matter=payload.get("matter"),
        matter_title=payload.get("matter_title", ""),
        sources=list(sources),
        versions=[],
        similarity=round(similarity, 4) if similarity is not None else None,
        matched_terms=len(query.terms & set(index_terms(text))),
        snippet=make_snippet(text, query.text, query.terms),
    )


def is_weak(hits: list[Hit], query_terms: int) -> bool:
    """True when no hit is a real match: none contains most (60 %) of the query's terms
    and none is close in meaning (or there are no hits)."""
    needed = max(1, math.ceil(MATCHED_SHARE * query_terms))
    return all(hit.matched_terms < needed and (hit.similarity is None or hit.similarity < WEAK_SIMILARITY) for hit in hits)
