"""The vector store interface shared by the embedded index (index/edge.py) and a Qdrant
server (index/server.py): points are chunks with a dense vector, a sparse vector and
the chunk's payload; search takes the same filters on both."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from document import Chunk
from index.sparse import SparseVector

DENSE = "dense"
SPARSE = "sparse"
KEYWORD_FIELDS = ("doc_id", "municipality", "body", "section", "dnr", "entities", "doc_type")
DATE_FIELD = "date"
SEARCH_MODES = ("hybrid", "dense", "sparse")


def check_search_mode(mode: str) -> None:
    if mode not in SEARCH_MODES:
        raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(SEARCH_MODES)}")


def prefetch_depth(limit: int) -> int:
    """Candidates taken from each of the dense and sparse lists before fusing them."""
    return max(limit * 4, 40)


def search_plan(mode: str, has_dense: bool, has_sparse: bool) -> str | None:
    """What a store runs for `mode`: `dense`, `sparse`, `fused`, or None (nothing to ask,
    e.g. a sparse search for a query of stopwords only).

    `fused` takes `prefetch_depth` candidates from each list and fuses them with Qdrant's
    distribution-based score fusion (DBSF: each list's scores scaled by its mean ± 3σ,
    then summed). It measured as good as reciprocal-rank fusion and steadier: with RRF a
    tiny change of the dense vectors (ONNX or int8 instead of torch) moved near-ties
    enough to change MRR@10 by up to 0.02, with DBSF by at most 0.01
    (docs/eval-retrieval.md)."""
    check_search_mode(mode)
    if mode == "sparse":
        return "sparse" if has_sparse else None
    if mode == "dense" or not has_sparse:
        return "dense" if has_dense else None
    return "fused"


@dataclass
class SearchFilters:
    """Filters for search; every field that is set must match."""

    municipality: str | None = None
    body: str | None = None
    section: str | None = None
    dnr: str | None = None
    entity: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    doc_ids: list[str] | None = None

    def keyword_conditions(self) -> dict[str, Any]:
        conditions = {
            "municipality": self.municipality,
            "body": self.body,
            "section": self.section,
            "dnr": self.dnr,
            "entities": self.entity,
        }
        return {key: value for key, value in conditions.items() if value}


@dataclass
class StoredPoint:
    """A search result or scrolled point: the chunk id, its score and its payload."""

    chunk_id: str
    score: float
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class IndexedChunk:
    chunk: Chunk
    dense: np.ndarray
    sparse: SparseVector

    def payload(self) -> dict[str, Any]:
        payload = dict(self.chunk.metadata)
        payload.update(
            chunk_id=self.chunk.chunk_id,
            doc_id=self.chunk.doc_id,
            ordinal=self.chunk.ordinal,
            section=self.chunk.section,
            heading=self.chunk.heading,
            text=self.chunk.text,
        )
        if not payload.get("date"):
            payload.pop("date", None)  # a datetime index rejects empty strings
        return payload


def date_bounds(filters: SearchFilters) -> tuple[str | None, str | None]:
    since = f"{filters.since}T00:00:00Z" if filters.since else None
    until = f"{filters.until}T23:59:59Z" if filters.until else None
    return since, until


class VectorStore(Protocol):
    def create(self, dimension: int) -> None:
        """Create an empty collection (with payload indexes) if there is none."""

    def exists(self) -> bool: ...

    def session(self) -> AbstractContextManager[VectorStore]:
        """Keep the underlying index open across the operations in a `with` block."""

    def staging(self) -> VectorStore:
        """A store for a new generation built beside the live one."""

    def promote(self, staging: VectorStore) -> None:
        """Make `staging` the live generation atomically."""

    def upsert(self, points: list[IndexedChunk]) -> None: ...

    def delete_documents(self, doc_ids: list[str]) -> None: ...

    def optimize(self) -> bool:
        """Build the indexes of newly written points (Qdrant Edge); a no-op on a server,
        which optimizes by itself."""

    def search(
        self,
        dense: np.ndarray | None,
        sparse: SparseVector | None,
        filters: SearchFilters,
        limit: int,
        mode: str = "hybrid",
    ) -> list[StoredPoint]: ...

    def count(self) -> int: ...

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""

    def doc_ids(self) -> set[str]: ...

    def drop(self) -> None:
        """Delete a staging generation (never the live one)."""

    def close(self) -> None: ...
