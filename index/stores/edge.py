"""The embedded vector store: Qdrant Edge (`qdrant-edge-py`), Qdrant's in-process engine.

Layout under the data directory: `qdrant-edge/gen-NNNN/` shard directories, a
`qdrant-edge/current` symlink naming the live one, and a `gen-NNNN.lock` file beside each.
A rebuild writes a new generation beside the live one and swaps the link atomically
(`os.replace`), so readers never see a half-built index.

One process at a time has a shard open, and a process opens it only while it holds the
shard's lock file (`flock`, exclusive), from before `EdgeShard.load` until after `close`.
Qdrant Edge locks the shard itself too, but only once loading has read the segments: a
reader loading while a writer flushed read a half-written id tracker and failed with
`Corrupted ID tracker mapping storage` (2 of 6 runs of a concurrent test). Under the
lock file no process ever reads files that another is writing, so that race cannot
happen, whatever the timing. A process waiting for the lock marks itself in
`gen-NNNN.wanted` (a shared `flock`), so that a process keeping the shard open between
operations (the web server, `keep_open`) can see that someone waits and let go.

Writers hold the shard briefly: a batch of documents (pipeline/write_batch.py) or an
optimization of a bounded amount of new points. Readers wait for the lock up to
`LOCK_WAIT_SECONDS`, then fail with one line.

Qdrant Edge has no background optimizer: points land in an appendable segment whose
sparse index lives in RAM and is rebuilt each time the shard is opened, and whose dense
vectors are searched by brute force. `optimize()` turns full segments into indexed ones
(HNSW for the dense vectors, a memory-mapped sparse index) that open in a fraction of
that. Writers call it after a run and every `OPTIMIZE_EVERY_POINTS` points within one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from errors import IndexBusyError, StorageError
from index.payload import DATE_FIELD, KEYWORD_FIELDS
from index.query import Condition, QueryPlan
from index.stores.base import DENSE, SPARSE, IndexedChunk, StoredPoint

LOCK_WAIT_SECONDS = 60.0
# Segments of at most about 13k points (of 384-d vectors), and many of them before any
# merge, so that one optimization never rebuilds an index much larger than that.
MAX_SEGMENT_KB = 20_000
SEGMENTS = 16
_LINK = "current"


class ShardLock:
    """The exclusive right to open one shard, and the sign that someone waits for it."""

    def __init__(self, root: Path, generation: str, wait: float):
        self.path = root / f"{generation}.lock"
        self.wanted_path = root / f"{generation}.wanted"
        self.wait = wait
        self._handle = None

    def acquire(self) -> None:
        handle = _open_lock_file(self.path)
        if _try_lock(handle, fcntl.LOCK_EX):
            self._handle = handle
            return
        wanted = _open_lock_file(self.wanted_path)
        fcntl.flock(wanted, fcntl.LOCK_SH)  # announce the wait (released with the file)
        try:
            deadline = time.monotonic() + self.wait
            delay = 0.005
            while not _try_lock(handle, fcntl.LOCK_EX):
                if time.monotonic() > deadline:
                    handle.close()
                    raise IndexBusyError(
                        f"the vector index {self.path.parent} was held by another process for over {self.wait:.0f} s; try again"
                    )
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        finally:
            wanted.close()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the flock
            self._handle = None

    def others_waiting(self) -> bool:
        """Does another process wait for this shard?"""
        if not self.wanted_path.exists():
            return False
        with open(self.wanted_path, "rb") as wanted:
            if _try_lock(wanted, fcntl.LOCK_EX):
                return False
            return True


def _open_lock_file(path: Path):
    try:
        return open(path, "a+b")
    except PermissionError:
        raise StorageError(f"cannot open {path}: permission denied (is the data directory read-only?)") from None
    except OSError as exc:
        raise StorageError(f"cannot open {path}: {exc.strerror or exc}") from None


def _try_lock(handle, mode: int) -> bool:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


class EdgeVectorStore:
    def __init__(self, root: Path, generation: str | None = None, lock_wait: float = LOCK_WAIT_SECONDS):
        self.root = Path(root)
        self.generation = generation  # None: the live generation named by `current`
        self.lock_wait = lock_wait
        self._held: qe.EdgeShard | None = None
        self._held_lock: ShardLock | None = None
        self._held_generation: str | None = None
        self._keep_open = False
        self._mutex = threading.RLock()  # one operation at a time on a kept-open shard

    # --- generations -------------------------------------------------------------------

    def _resolved_generation(self) -> str | None:
        return self.generation or self.live_generation()

    @property
    def path(self) -> Path:
        generation = self._resolved_generation()
        return self.root / generation if generation else self.root / _LINK

    def live_generation(self) -> str | None:
        link = self.root / _LINK
        return os.readlink(link) if link.is_symlink() else None

    def staging(self) -> EdgeVectorStore:
        """A store for the next generation, beside the live one (kept if one is partly built)."""
        live = self.live_generation()
        number = int(live.split("-")[1]) + 1 if live else 1
        return EdgeVectorStore(self.root, f"gen-{number:04d}", self.lock_wait)

    def promote(self, staging: EdgeVectorStore) -> None:
        """Make `staging` the live generation atomically and delete the old one (waiting
        until no process has it open)."""
        old = self.live_generation()
        temporary = self.root / f".{_LINK}.tmp"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(staging.generation)
        os.replace(temporary, self.root / _LINK)
        if old and old != staging.generation:
            lock = ShardLock(self.root, old, self.lock_wait)
            lock.acquire()
            try:
                shutil.rmtree(self.root / old, ignore_errors=True)
                for leftover in (lock.wanted_path,):
                    leftover.unlink(missing_ok=True)
                lock.path.unlink(missing_ok=True)
            finally:
                lock.release()

    def exists(self) -> bool:
        path = self.path
        return (path / "segments").exists() or (path.is_dir() and any(path.iterdir()))

    # --- shard access ------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[EdgeVectorStore]:
        """Keep the shard open for every operation inside the block."""
        with self._mutex:
            if self._held is not None:
                yield self
                return
            self._load()
            try:
                yield self
            finally:
                self._unload()

    def keep_open(self) -> None:
        """Keep the shard open between operations (a long-lived reader such as the web
        server); `yield_if_wanted` lets it go when another process waits for it."""
        self._keep_open = True

    def yield_if_wanted(self) -> bool:
        """Close a kept-open shard if another process waits for it, or if the live
        generation changed; True if it was closed. It is opened again when next used."""
        with self._mutex:
            if self._held is None or not self._keep_open:
                return False
            stale = self.generation is None and self._held_generation != self.live_generation()
            if stale or (self._held_lock is not None and self._held_lock.others_waiting()):
                self._unload()
                return True
            return False

    def _load(self) -> None:
        generation = self._resolved_generation()
        if generation is None:
            raise StorageError(f"no vector index in {self.root}")
        lock = ShardLock(self.root, generation, self.lock_wait)
        lock.acquire()
        try:
            shard = qe.EdgeShard.load(str(self.root / generation))
        except Exception as exc:
            lock.release()
            raise _storage_error(self.root / generation, exc) from exc
        except BaseException:
            lock.release()
            raise
        self._held, self._held_lock, self._held_generation = shard, lock, generation

    def _unload(self) -> None:
        shard, lock = self._held, self._held_lock
        self._held = self._held_lock = self._held_generation = None
        try:
            if shard is not None:
                shard.close()
        finally:
            if lock is not None:
                lock.release()

    @contextmanager
    def _shard(self) -> Iterator[qe.EdgeShard]:
        with self._mutex:
            if self._held is not None and self._keep_open:
                self.yield_if_wanted()
            if self._held is not None:
                yield self._held
                return
            self._load()
            try:
                yield self._held
            finally:
                if not self._keep_open:
                    self._unload()

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
        lock = ShardLock(self.root, generation, self.lock_wait)
        lock.acquire()
        try:
            shard = qe.EdgeShard.create(str(self.root / generation), config)
            try:
                # payload indexes memory-mapped as well
                for field in KEYWORD_FIELDS:
                    shard.update(qe.UpdateOperation.create_field_index(field, qe.KeywordIndexParams(memory=qe.Memory.Cold)))
                shard.update(qe.UpdateOperation.create_field_index(DATE_FIELD, qe.DatetimeIndexParams(memory=qe.Memory.Cold)))
                shard.flush()
            finally:
                shard.close()
        finally:
            lock.release()
        if not self.generation:
            self.promote(EdgeVectorStore(self.root, generation, self.lock_wait))

    # --- writes ------------------------------------------------------------------------

    def upsert(self, points: list[IndexedChunk]) -> None:
        if not points:
            return
        edge_points = [
            qe.Point(
                point.chunk_id,
                {DENSE: point.dense.tolist(), SPARSE: qe.SparseVector(indices=point.sparse.indices, values=point.sparse.values)},
                point.payload,
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
    def _filter(conditions: list[Condition]) -> qe.Filter | None:
        must = []
        for condition in conditions:
            if condition.any_of:
                match = qe.MatchValue(condition.any_of[0]) if len(condition.any_of) == 1 else qe.MatchAny(any=list(condition.any_of))
                must.append(qe.FieldCondition(key=condition.key, match=match))
            elif condition.since or condition.until:
                since = f"{condition.since}T00:00:00Z" if condition.since else None
                until = f"{condition.until}T23:59:59Z" if condition.until else None
                must.append(qe.FieldCondition(key=condition.key, range=qe.RangeDateTime(gte=since, lte=until)))
        return qe.Filter(must=must) if must else None

    def search(self, plan: QueryPlan, with_vectors: bool = False) -> list[StoredPoint]:
        if not self.exists():
            return []
        condition = self._filter(plan.conditions)
        dense = qe.Query.Nearest(plan.dense.tolist(), using=DENSE) if plan.dense is not None else None
        sparse = (
            qe.Query.Nearest(qe.SparseVector(indices=plan.sparse.indices, values=plan.sparse.values), using=SPARSE)
            if plan.sparse is not None
            else None
        )
        vectors = [DENSE] if with_vectors else None
        if plan.kind == "fused":
            request = qe.QueryRequest(
                limit=plan.limit,
                prefetches=[
                    qe.Prefetch(limit=plan.depth, query=dense, filter=condition),
                    qe.Prefetch(limit=plan.depth, query=sparse, filter=condition),
                ],
                query=qe.Fusion.Dbsf(),
                with_payload=True,
                with_vector=vectors,
            )
        else:
            query = dense if plan.kind == "dense" else sparse
            request = qe.QueryRequest(limit=plan.limit, query=query, filter=condition, with_payload=True, with_vector=vectors)
        with self._shard() as shard:
            results = shard.query(request)
        return [_stored_point(point) for point in results]

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
        with self._mutex:
            if self._held is not None:
                self._unload()


def _stored_point(point) -> StoredPoint:
    vector = None
    if getattr(point, "vector", None):
        dense = point.vector.get(DENSE) if isinstance(point.vector, dict) else None
        vector = np.asarray(dense, dtype=np.float32) if dense is not None else None
    return StoredPoint(str(point.id), float(point.score), dict(point.payload or {}), vector)


def _storage_error(path: Path, exc: Exception) -> StorageError:
    """A one-line error for a shard that cannot be opened."""
    text = " ".join(str(exc).split())[:200]
    return StorageError(f"the vector index {path} cannot be opened ({text}); run `diarium check` to rebuild it from the stored documents")
