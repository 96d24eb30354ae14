"""What a vector store is to diarium: the interface shared by the embedded Qdrant Edge
index (edge.py) and a Qdrant server (server.py). Points are chunks with a dense vector,
a sparse vector and a payload (index/payload.py); searches run a `QueryPlan`
(index/query.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from index.query import Condition, QueryPlan
from index.sparse import SparseVector

DENSE = "dense"
SPARSE = "sparse"


@dataclass(frozen=True)
class FilterTypes:
    """The filter classes of one Qdrant client library (qdrant_edge and qdrant_client name
    them differently), for `build_filter`."""

    filter: Callable[..., Any]
    field: Callable[..., Any]
    match_any: Callable[..., Any]
    date_range: Callable[..., Any]


def build_filter(conditions: list[Condition], types: FilterTypes) -> Any | None:
    """The search conditions as a Qdrant filter: every condition must hold."""
    must = [
        types.field(key=c.key, match=types.match_any(any=list(c.any_of)))
        if c.any_of
        else types.field(key=c.key, range=types.date_range(gte=c.instants[0], lte=c.instants[1]))
        for c in conditions
        if c.any_of or c.since or c.until
    ]
    return types.filter(must=must) if must else None


def points_per_document(scroll: Callable[[Any], tuple[list[Any], Any]]) -> dict[str, int]:
    """Points per doc_id, read page by page: `scroll(offset)` returns a page of records
    (with a `doc_id` payload) and the offset of the next page, None after the last."""
    counts: dict[str, int] = {}
    records, offset = scroll(None)
    while True:
        for record in records:
            doc_id = str(record.payload["doc_id"])
            counts[doc_id] = counts.get(doc_id, 0) + 1
        if offset is None:
            return counts
        records, offset = scroll(offset)


@dataclass
class StoredPoint:
    """A search result or scrolled point: the chunk id, its score, its payload and (when
    asked for) its dense vector."""

    chunk_id: str
    score: float
    payload: dict[str, Any] = field(default_factory=dict)
    dense: np.ndarray | None = None


@dataclass
class IndexedChunk:
    """A chunk ready for the index: its id, vectors and payload."""

    chunk_id: str
    dense: np.ndarray
    sparse: SparseVector
    payload: dict[str, Any]
    reused: bool = False  # the dense vector is the live index's, not embedded again (a rebuild)


class VectorStore(Protocol):
    def create(self, dimension: int) -> None:
        """Create an empty collection (with payload indexes) if there is none."""

    def exists(self) -> bool: ...

    def session(self, writing: bool = True) -> AbstractContextManager[VectorStore]:
        """Keep the underlying index open across the operations in a `with` block (for
        reading only: `writing=False`)."""

    def keep_open(self) -> None:
        """Stay open between operations (a long-lived reader)."""

    def yield_if_wanted(self) -> bool:
        """Let go of a kept-open index if another process waits for it; True if it did."""

    def staging(self) -> VectorStore:
        """A store for a new generation built beside the live one."""

    def promote(self, staging: VectorStore) -> None:
        """Make `staging` the live generation atomically."""

    def upsert(self, points: list[IndexedChunk]) -> None: ...

    def delete_documents(self, doc_ids: list[str]) -> None: ...

    def optimize(self) -> bool:
        """Build the indexes of newly written points (Qdrant Edge); a no-op on a server,
        which optimizes by itself."""

    def search(self, plan: QueryPlan, with_vectors: bool = False) -> list[StoredPoint]: ...

    def count(self) -> int: ...

    def stored(self, chunk_ids: list[str]) -> dict[str, StoredPoint]:
        """The points of these chunk ids that the index holds, with payload and dense vector."""

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""

    def doc_ids(self) -> set[str]: ...

    def drop(self) -> None:
        """Delete a staging generation (never the live one)."""

    def close(self) -> None: ...
