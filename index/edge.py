"""The embedded vector store: Qdrant Edge (`qdrant-edge-py`), Qdrant's in-process engine.

Layout under the data directory: `qdrant-edge/gen-NNNN/` shard directories and a
`qdrant-edge/current` symlink naming the live one. A rebuild writes a new generation
beside the live one and swaps the link atomically (`os.replace`), so readers never see
a half-built index.

Qdrant Edge locks its shard directory while it is open: a second process that opens
it fails with `WouldBlock`. Every operation here therefore opens the shard, does its
work and closes it again (reopening is cheap), and retries while another process holds
it, so a search waits a moment for an ingest batch instead of failing. Where one
process does many operations in a row and nobody else needs the shard meanwhile (a
rebuild writing its new generation, a benchmark running warm queries), `session()`
keeps it open across them.

Qdrant Edge has no background optimizer: points land in an appendable segment whose
sparse index lives in RAM and is rebuilt each time the shard is opened (0.8 s at 100k
points, most of a cold `diarium search`), and whose dense vectors are searched by brute
force. `optimize()` turns full segments into indexed ones (HNSW for the dense vectors, a
memory-mapped sparse index) that open in a fraction of that. Writers call it
(pipeline/archive.py) after a run and every `OPTIMIZE_EVERY_POINTS` points within one
(pipeline/write_batch.py), so each call indexes a bounded amount and readers wait
seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from index.sparse import SparseVector
from index.vectorstore import (
    DATE_FIELD,
    DENSE,
    KEYWORD_FIELDS,
    SPARSE,
    IndexedChunk,
    SearchFilters,
    StoredPoint,
    date_bounds,
    prefetch_depth,
    search_plan,
)

LOCK_WAIT_SECONDS = 60.0
# Segments of at most about 13k points (of 384-d vectors), and many of them before any
# merge, so that one optimization never rebuilds an index much larger than that.
MAX_SEGMENT_KB = 20_000
SEGMENTS = 16
_LINK = "current"


class IndexBusyError(RuntimeError):
    pass


class EdgeVectorStore:
    def __init__(self, root: Path, generation: str | None = None, lock_wait: float = LOCK_WAIT_SECONDS):
        self.root = Path(root)
        self.generation = generation  # None: the live generation named by `current`
        self.lock_wait = lock_wait
        self._held: qe.EdgeShard | None = None

    # --- generations -------------------------------------------------------------------

    @property
    def path(self) -> Path:
        if self.generation:
            return self.root / self.generation
        return self.root / _LINK

    def live_generation(self) -> str | None:
        link = self.root / _LINK
        return os.readlink(link) if link.is_symlink() else None

    def staging(self) -> EdgeVectorStore:
        """A store for the next generation, beside the live one (kept if one is partly built)."""
        live = self.live_generation()
        number = int(live.split("-")[1]) + 1 if live else 1
        return EdgeVectorStore(self.root, f"gen-{number:04d}", self.lock_wait)

    def promote(self, staging: EdgeVectorStore) -> None:
        """Make `staging` the live generation atomically and delete the old one."""
        old = self.live_generation()
        temporary = self.root / f".{_LINK}.tmp"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(staging.generation)
        os.replace(temporary, self.root / _LINK)
        if old and old != staging.generation:
            shutil.rmtree(self.root / old, ignore_errors=True)

    def exists(self) -> bool:
        return (self.path / "segments").exists() or (self.path.exists() and any(self.path.iterdir()))

    # --- shard access ------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[EdgeVectorStore]:
        """Keep the shard open for every operation inside the block."""
        if self._held is not None:
            yield self
            return
        with self._open() as shard:
            self._held = shard
            try:
                yield self
            finally:
                self._held = None

    @contextmanager
    def _shard(self) -> Iterator[qe.EdgeShard]:
        if self._held is not None:
            yield self._held
        else:
            with self._open() as shard:
                yield shard

    @contextmanager
    def _open(self) -> Iterator[qe.EdgeShard]:
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                shard = qe.EdgeShard.load(str(self.path.resolve()))
                break
            except Exception as exc:  # the binding raises a plain exception text
                if "WouldBlock" not in str(exc) or time.monotonic() > deadline:
                    if "WouldBlock" in str(exc):
                        raise IndexBusyError(f"vector index {self.path} is held by another process") from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        try:
            yield shard
        finally:
            shard.close()

    def create(self, dimension: int) -> None:
        if self.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        generation = self.generation or "gen-0001"
        config = qe.EdgeConfig(
            # optimized segments are memory-mapped, not read in, when the shard is opened: a
            # search touches only the few vectors and postings the HNSW graph leads it to
            vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine, memory=qe.Memory.Cold)},
            id_tracker_memory=qe.Memory.Cold,
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf, memory=qe.Memory.Cold)},
            optimizers=qe.EdgeOptimizersConfig(default_segment_number=SEGMENTS, max_segment_size=MAX_SEGMENT_KB),
        )
        shard = qe.EdgeShard.create(str(self.root / generation), config)
        try:
            # payload indexes memory-mapped as well
            for field in KEYWORD_FIELDS:
                shard.update(qe.UpdateOperation.create_field_index(field, qe.KeywordIndexParams(memory=qe.Memory.Cold)))
            shard.update(qe.UpdateOperation.create_field_index(DATE_FIELD, qe.DatetimeIndexParams(memory=qe.Memory.Cold)))
            shard.flush()
        finally:
            shard.close()
        if not self.generation:
            staging = EdgeVectorStore(self.root, generation, self.lock_wait)
            self.promote(staging)

    # --- writes ------------------------------------------------------------------------

    def upsert(self, points: list[IndexedChunk]) -> None:
        if not points:
            return
        edge_points = [
            qe.Point(
                point.chunk.chunk_id,
                {
                    DENSE: point.dense.tolist(),
                    SPARSE: qe.SparseVector(indices=point.sparse.indices, values=point.sparse.values),
                },
                point.payload(),
            )
            for point in points
        ]
        with self._shard() as shard:
            shard.update(qe.UpdateOperation.upsert_points(edge_points))
            shard.flush()

    def delete_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids or not self.exists():
            return
        condition = qe.Filter(must=[qe.FieldCondition(key="doc_id", match=qe.MatchAny(any=list(doc_ids)))])
        with self._shard() as shard:
            shard.update(qe.UpdateOperation.delete_points_by_filter(condition))
            shard.flush()

    def optimize(self) -> bool:
        """Index what the optimizer plans to (blocking; readers wait meanwhile); True if
        anything changed."""
        if not self.exists():
            return False
        with self._shard() as shard:
            return bool(shard.optimize())

    # --- reads -------------------------------------------------------------------------

    @staticmethod
    def _filter(filters: SearchFilters) -> qe.Filter | None:
        must = [qe.FieldCondition(key=key, match=qe.MatchValue(value)) for key, value in filters.keyword_conditions().items()]
        since, until = date_bounds(filters)
        if since or until:
            must.append(qe.FieldCondition(key=DATE_FIELD, range=qe.RangeDateTime(gte=since, lte=until)))
        if filters.doc_ids is not None:
            must.append(qe.FieldCondition(key="doc_id", match=qe.MatchAny(any=list(filters.doc_ids))))
        return qe.Filter(must=must) if must else None

    def search(
        self,
        dense: np.ndarray | None,
        sparse: SparseVector | None,
        filters: SearchFilters,
        limit: int,
        mode: str = "hybrid",
    ) -> list[StoredPoint]:
        if not self.exists():
            return []
        condition = self._filter(filters)
        dense_query = qe.Query.Nearest(dense.tolist(), using=DENSE) if dense is not None else None
        sparse_query = (
            qe.Query.Nearest(qe.SparseVector(indices=sparse.indices, values=sparse.values), using=SPARSE)
            if sparse is not None and sparse.indices
            else None
        )
        plan = search_plan(mode, dense_query is not None, sparse_query is not None)
        if plan is None:
            return []
        if plan == "fused":
            depth = prefetch_depth(limit)
            request = qe.QueryRequest(
                limit=limit,
                prefetches=[
                    qe.Prefetch(limit=depth, query=dense_query, filter=condition),
                    qe.Prefetch(limit=depth, query=sparse_query, filter=condition),
                ],
                query=qe.Fusion.Dbsf(),  # DBSF: see vectorstore.search_plan
                with_payload=True,
            )
        else:
            query = dense_query if plan == "dense" else sparse_query
            request = qe.QueryRequest(limit=limit, query=query, filter=condition, with_payload=True)
        with self._shard() as shard:
            results = shard.query(request)
        return [StoredPoint(str(point.id), float(point.score), dict(point.payload or {})) for point in results]

    def count(self) -> int:
        if not self.exists():
            return 0
        with self._shard() as shard:
            return int(shard.count(qe.CountRequest(exact=True)))

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""
        if not self.exists():
            return {}
        counts: dict[str, int] = {}
        offset = None
        with self._shard() as shard:
            while True:
                records, offset = shard.scroll(
                    qe.ScrollRequest(offset=offset, limit=4096, with_payload=qe.PayloadSelector.Include(["doc_id"]))
                )
                for record in records:
                    doc_id = str(record.payload["doc_id"])
                    counts[doc_id] = counts.get(doc_id, 0) + 1
                if offset is None:
                    return counts

    def doc_ids(self) -> set[str]:
        return set(self.point_counts())

    def drop(self) -> None:
        """Delete this generation (never the live one)."""
        if self.generation and self.generation != self.live_generation():
            shutil.rmtree(self.root / self.generation, ignore_errors=True)

    def close(self) -> None:
        """Nothing is held between operations."""
