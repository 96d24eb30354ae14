"""The embedded vector store: Qdrant Edge (`qdrant-edge-py`), Qdrant's in-process engine.

Layout under the data directory: `qdrant-edge/gen-NNNN/` shard directories, a
`qdrant-edge/current` symlink naming the live one, and a `gen-NNNN.lock` file beside each.
A rebuild writes a new generation beside the live one and swaps the link atomically
(`os.replace`), so readers never see a half-built index; the swap removes every other
generation (each under its lock, so not while a reader has it open).

**One process at a time opens a shard**, and only while it holds the shard's lock file
(`flock`, exclusive), from before `EdgeShard.load` until after `close`. Qdrant Edge's own
lock (a `flock` on the shard's `wal/` directory) is not enough: qdrant-edge-py 0.9.0's
`EdgeShard.load` reads every segment, and repairs what it finds half-written (it cuts a
partial entry off the id tracker's mapping file, resizes deleted-flag files, rewrites
its config), before it tries that lock. So a process that was about to fail with
`WouldBlock` had already read, and written, files another process was writing: with
the old retry-on-`WouldBlock` scheme, two readers loading in a loop beside one writer
failed with `Corrupted ID tracker mapping storage, got malformed mapping change byte
0x00` within seconds, and left the shard broken for good (the writer's next flush:
`Tracker journal … is shorter than expected`); with this lock, zero failures (see
docs/faults.md). Processes take the lock in turn (`ShardLock`), and a process keeping
the shard open between operations (the web server, `keep_open`) lets go when another
one waits.

**Reads never write to the data directory when it cannot take it.** Opening a shard
writes to it (above), and on tmpfs every memory-mapped page it touches is allocated even
when only read: a 0.5 MB index grew to 62 MB when opened, and on a nearly full disk the
process died of SIGBUS. So a reader opens the shard in place only when the directory is
writable and has room for what opening may allocate (`READ_MARGIN_BYTES`, plus the
unallocated parts of its files on a filesystem that allocates on touch); otherwise it
copies the shard (holes stay holes) to a private directory under the temporary directory
and opens the copy, holding the lock only while copying. A read-only directory without a
lock file is read without locking: nobody can be writing it. A writer that lacks that
room stops with one line before it opens anything (`WRITE_MARGIN_BYTES`), since a write
that runs out of space inside a memory-mapped file is a SIGBUS, not an error.

Writers hold the shard briefly: a batch of documents (pipeline/write_order.py) or one
optimization. Qdrant Edge has no background optimizer: points land in an appendable
segment whose sparse index lives in RAM and is rebuilt each time the shard is opened,
and whose dense vectors are searched by brute force; `optimize()` turns it into an
indexed segment (HNSW for the dense vectors, a memory-mapped sparse index) that opens in
a fraction of that, and writers call it every `OPTIMIZE_EVERY_POINTS` points and when
they finish. One call runs every optimization the engine plans, all under one hold, so
the configuration keeps each small: the appendable segment is indexed whatever it holds
(`INDEXING_THRESHOLD_KB`, so that no reader rebuilds a leftover's sparse index when it
opens the shard), merges never build a segment over `MAX_SEGMENT_KB` (about 19,500
points) and start only past `SEGMENTS` segments, and
segments are never vacuumed in place (`deleted_threshold` 1.0): deleting a third of a
100k-point shard made the next optimization rebuild every segment in one 49.6 s hold
(12.9 CPU-s), where indexing 5k new points takes 1.3-1.8 CPU-s at 100k points (opening
and closing included; tests/faults/holds.py). Deleted points stay as
tombstones, skipped by searches, until `diarium reindex` builds a compact generation
beside the live one. Writers open existing shards with this configuration, so older
archives converge to it. A writer flushes once, before it lets go (not after every
update: the write-ahead log keeps the points through a kill, and each flush syncs every
segment file). Readers wait for the lock up to `LOCK_WAIT_SECONDS`, then fail with one
line.

Files Qdrant Edge creates get the process umask, which the store tightens to 077 when it
first opens a shard (archives hold personal data): shard files 0600, directories 0700.
Every engine failure (a Rust panic included) becomes one `StorageError` line.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from errors import DiariumError, IndexBusyError, StorageError, cause
from index.payload import DATE_FIELD, KEYWORD_FIELDS
from index.query import QueryPlan
from index.stores.base import DENSE, SPARSE, FilterTypes, IndexedChunk, StoredPoint, build_filter, points_per_document

LOCK_WAIT_SECONDS = 60.0
_FILTER_TYPES = FilterTypes(qe.Filter, qe.FieldCondition, qe.MatchAny, qe.RangeDateTime)
# What one optimization may do (see the module doc): index the appendable segment however
# few points it has (1 KB: one 384-d vector; 0 would turn indexing off), merge into
# segments of at most about 19,500 points, and merge only past 8 segments; never vacuum in
# place. Fewer, larger segments are cheaper to open and to search (every search visits
# every segment); at 100k points, against 6,500-point segments and 64: 12 segments instead
# of 20, 0.25 instead of 0.36 CPU-s to open, 25 instead of 34 ms CPU a warm search, longest
# optimization hold 3.3 instead of 1.7 s. With 8 and the leftover indexed: 8-10 segments,
# 0.07 instead of 0.10 CPU-s to open (three payload indexes, index/payload.py); the price is
# paid by small writes: ingesting one document into a 100k archive now ends with a 0.8 s
# optimization (its few points indexed and merged) where it used to end with none.
INDEXING_THRESHOLD_KB = 1
MAX_SEGMENT_KB = 30_000
SEGMENTS = 8
NO_VACUUM = 1.0
MIB = 1024 * 1024
# Opening a shard in place writes its config and a few flag files: kilobytes on a disk.
READ_MARGIN_BYTES = 16 * MIB
# A write may add a segment (one of 10k points of 384-d vectors took 30 MB on disk with
# its indexes; MAX_SEGMENT_KB keeps new ones under about 60 MB) and a write-ahead-log file
# of 32 MiB before anything old goes: twice that sum.
WRITE_MARGIN_BYTES = 192 * MIB
_LINK = "current"
_GENERATION = re.compile(r"gen-(\d+)")
_COPY_PREFIX = "diarium-index-"
# Filesystems that allocate a page for every page of a shared mapping that is touched,
# read or written (statfs f_type): tmpfs and ramfs.
_ALLOCATE_ON_TOUCH = {0x01021994, 0x858458F6}


class ShardLock:
    """The exclusive right to open one shard, taken in turn.

    `flock` is not fair: a process that releases the lock and takes it again at once (a
    writer between two operations, a server answering searches back to back) starved a
    waiting writer for over 60 s. So a process first takes its turn, an exclusive lock
    on `gen-NNNN.wanted`, then the shard lock, then lets the turn go: while one process
    waits for the shard, every other one (the holder too, when it comes back) waits for
    the turn, so the shard passes to the one waiting. Holding the turn is also the sign
    that someone waits (`others_waiting`)."""

    def __init__(self, root: Path, generation: str, wait: float):
        self.path = root / f"{generation}.lock"
        self.wanted_path = root / f"{generation}.wanted"
        self.wait = wait
        self._handle = None

    def acquire(self, writing: bool = False) -> None:
        """Take the lock, waiting up to `wait` seconds (then IndexBusyError). A reader of a
        directory where the lock file does not exist and cannot be made (read-only)
        takes none: nobody can be writing there."""
        handle = _open_lock_file(self.path, writing)
        if handle is None:
            return
        turn = _open_lock_file(self.wanted_path, writing=False)
        deadline = time.monotonic() + self.wait
        try:
            if turn is not None:
                self._wait_for(turn, deadline, handle)
            self._wait_for(handle, deadline, handle)
        finally:
            if turn is not None:
                turn.close()  # the turn passes on
        self._handle = handle

    def _wait_for(self, lock_file, deadline: float, handle) -> None:
        delay = 0.001
        while not _try_lock(lock_file, fcntl.LOCK_EX):
            if time.monotonic() > deadline:
                handle.close()
                raise IndexBusyError(
                    f"the vector index {self.path.parent} was held by another process for over {self.wait:.0f} s; try again"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.02)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the flock
            self._handle = None

    def others_waiting(self) -> bool:
        """Does another process wait for this shard?"""
        try:
            turn = open(self.wanted_path, "rb")
        except OSError:
            return False
        with turn:
            return not _try_lock(turn, fcntl.LOCK_EX)


def _open_lock_file(path: Path, writing: bool):
    """The lock file opened (made 0600 if need be); None for a reader when it does not
    exist and cannot be made."""
    try:
        return os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), "rb")
    except OSError as exc:
        failure = exc
    if failure.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT):
        try:
            return open(path, "rb")  # flock works on a file opened for reading
        except FileNotFoundError:
            if not writing:
                return None
        except OSError:
            pass
    raise StorageError(f"cannot open {path}: {failure.strerror or failure}")


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
        self._held_copy: Path | None = None  # the private copy a reader opened instead
        self._held_writing = False
        self._keep_open = False
        self._mutex = threading.RLock()  # one operation at a time on a kept-open shard

    # --- generations -------------------------------------------------------------------

    def _generations(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [path.name for path in self.root.iterdir() if _GENERATION.fullmatch(path.name) and path.is_dir()]
        return sorted(found, key=lambda name: int(name.split("-")[1]))

    def _link_target(self) -> str | None:
        link = self.root / _LINK
        return os.readlink(link) if link.is_symlink() else None

    def live_generation(self) -> str | None:
        """The generation `current` names; None if there is no index at all. A missing
        link beside generations, or a link to nothing, is damage (StorageError)."""
        target = self._link_target()
        if target is None and not self._generations():
            return None
        if target is None or not (self.root / target).is_dir():
            raise StorageError(
                f"the vector index {self.root} is damaged (its `{_LINK}` link is missing or names nothing); "
                "run `diarium check` to rebuild it from the stored documents"
            )
        return target

    def _resolved_generation(self) -> str | None:
        return self.generation or self.live_generation()

    @property
    def path(self) -> Path:
        generation = self.generation or self._link_target()
        return self.root / generation if generation else self.root / _LINK

    def staging(self) -> EdgeVectorStore:
        """A store for the next generation: after the live one (kept if one is partly
        built, to be resumed), or after every generation there is when no link names one."""
        live = self._link_target()
        if live and (self.root / live).is_dir():
            number = int(live.split("-")[1]) + 1
        else:
            number = max((int(name.split("-")[1]) for name in self._generations()), default=0) + 1
        return EdgeVectorStore(self.root, f"gen-{number:04d}", self.lock_wait)

    def promote(self, staging: EdgeVectorStore) -> None:
        """Make `staging` the live generation atomically, then delete every other one
        (each once no process has it open)."""
        temporary = self.root / f".{_LINK}.tmp"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(staging.generation)
        os.replace(temporary, self.root / _LINK)
        for generation in self._generations():
            if generation != staging.generation:
                self._remove_generation(generation)

    def _remove_generation(self, generation: str) -> None:
        lock = ShardLock(self.root, generation, self.lock_wait)
        lock.acquire(writing=True)
        try:
            shutil.rmtree(self.root / generation, ignore_errors=True)
            lock.wanted_path.unlink(missing_ok=True)
            lock.path.unlink(missing_ok=True)
        finally:
            lock.release()

    def exists(self) -> bool:
        generation = self._resolved_generation()
        if generation is None:
            return False
        path = self.root / generation
        return (path / "segments").exists() or (path.is_dir() and any(path.iterdir()))

    # --- shard access ------------------------------------------------------------------

    @contextmanager
    def session(self, writing: bool = True) -> Iterator[EdgeVectorStore]:
        """Keep the shard open for every operation inside the block."""
        if self._keep_open and not writing:  # a long-lived reader: its operations take the open shard in turn
            yield self
            return
        with self._mutex:
            if self._held is not None:
                yield self
                return
            self._load(writing)
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
            stale = self.generation is None and self._held_generation != self._link_target()
            if stale or (self._held_lock is not None and self._held_lock.others_waiting()):
                self._unload()
                return True
            return False

    def _load(self, writing: bool) -> None:
        while True:
            generation = self._resolved_generation()
            if generation is None:
                raise StorageError(f"no vector index in {self.root}")
            lock = ShardLock(self.root, generation, self.lock_wait)
            lock.acquire(writing)
            if self.generation or self._link_target() == generation:
                break
            lock.release()  # a rebuild swapped generations while we waited: take the new one
        shard_dir = self.root / generation
        copy = None
        try:
            problem = _in_place_problem(shard_dir, WRITE_MARGIN_BYTES if writing else READ_MARGIN_BYTES)
            if problem and writing:
                raise StorageError(f"cannot write the vector index: {problem}")
            if problem:
                copy = _private_copy(shard_dir, problem)
            _keep_files_private()
            with _engine(shard_dir):
                shard = qe.EdgeShard.load(str(copy or shard_dir), _config_of(shard_dir) if writing else None)
        except BaseException:
            lock.release()
            _remove_copy(copy)
            raise
        if copy is not None:
            lock.release()  # nobody else touches a private copy
            lock = None
        self._held, self._held_lock, self._held_generation, self._held_copy = shard, lock, generation, copy
        self._held_writing = writing

    def _unload(self) -> None:
        shard, lock, copy, writing = self._held, self._held_lock, self._held_copy, self._held_writing
        self._held = self._held_lock = self._held_generation = self._held_copy = None
        try:
            if shard is not None:
                with _engine(self.root):
                    try:
                        if writing:
                            shard.flush()  # what a hold wrote is on disk before the lock goes (close hides a failure)
                    finally:
                        shard.close()  # always, or the engine's own lock would outlive ours
        finally:
            if lock is not None:
                lock.release()
            _remove_copy(copy)

    @contextmanager
    def _shard(self, writing: bool) -> Iterator[qe.EdgeShard]:
        with self._mutex:
            if self._held is not None and self._keep_open:
                self.yield_if_wanted()
            if self._held is not None:
                if writing and self._held_copy is not None:
                    raise StorageError(f"the vector index {self.root} was opened read-only (from a copy); it cannot be written now")
                self._held_writing = self._held_writing or writing
                with _engine(self.root):
                    yield self._held
                return
            self._load(writing)
            try:
                with _engine(self.root):
                    yield self._held
            finally:
                if not self._keep_open:
                    self._unload()

    def create(self, dimension: int) -> None:
        if self.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        generation = self.generation or "gen-0001"
        lock = ShardLock(self.root, generation, self.lock_wait)
        lock.acquire(writing=True)
        try:
            problem = _in_place_problem(self.root, WRITE_MARGIN_BYTES)
            if problem:
                raise StorageError(f"cannot create the vector index: {problem}")
            _keep_files_private()
            with _engine(self.root / generation):
                shard = qe.EdgeShard.create(str(self.root / generation), _config(dimension))
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
        with self._shard(writing=True) as shard:
            shard.update(qe.UpdateOperation.upsert_points(edge_points))

    def delete_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids or not self.exists():
            return
        condition = qe.Filter(must=[qe.FieldCondition(key="doc_id", match=qe.MatchAny(any=list(doc_ids)))])
        with self._shard(writing=True) as shard:
            shard.update(qe.UpdateOperation.delete_points_by_filter(condition))

    def optimize(self) -> bool:
        """Index what the optimizer plans to (blocking; readers wait meanwhile); True if
        anything changed."""
        if not self.exists():
            return False
        with self._shard(writing=True) as shard:
            return bool(shard.optimize())

    # --- reads -------------------------------------------------------------------------

    def search(self, plan: QueryPlan, with_vectors: bool = False) -> list[StoredPoint]:
        if not self.exists():
            return []
        condition = build_filter(plan.conditions, _FILTER_TYPES)
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
        with self._shard(writing=False) as shard:
            results = shard.query(request)
        return [_stored_point(point) for point in results]

    def count(self) -> int:
        if not self.exists():
            return 0
        with self._shard(writing=False) as shard:
            return int(shard.count(qe.CountRequest(exact=True)))

    def stored(self, chunk_ids: list[str]) -> dict[str, StoredPoint]:
        if not chunk_ids or not self.exists():
            return {}
        with self._shard(writing=False) as shard:
            records = shard.retrieve(list(chunk_ids), with_payload=True, with_vector=[DENSE])
        return {point.chunk_id: point for point in map(_stored_point, records)}

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""
        if not self.exists():
            return {}
        with self._shard(writing=False) as shard:
            return points_per_document(
                lambda offset: shard.scroll(qe.ScrollRequest(offset=offset, limit=4096, with_payload=qe.PayloadSelector.Include(["doc_id"])))
            )

    def doc_ids(self) -> set[str]:
        return set(self.point_counts())

    def drop(self) -> None:
        """Delete this generation (never the live one)."""
        if self.generation and self.generation != self._link_target():
            shutil.rmtree(self.root / self.generation, ignore_errors=True)

    def close(self) -> None:
        with self._mutex:
            if self._held is not None:
                self._unload()


def _config(dimension: int) -> qe.EdgeConfig:
    return qe.EdgeConfig(
        # optimized segments are memory-mapped, not read in, when the shard is opened: a
        # search touches only the few vectors and postings the HNSW graph leads it to
        vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine, memory=qe.Memory.Cold)},
        id_tracker_memory=qe.Memory.Cold,
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf, memory=qe.Memory.Cold)},
        optimizers=qe.EdgeOptimizersConfig(
            default_segment_number=SEGMENTS,
            max_segment_size=MAX_SEGMENT_KB,
            indexing_threshold=INDEXING_THRESHOLD_KB,
            deleted_threshold=NO_VACUUM,
        ),
    )


def _config_of(shard_dir: Path) -> qe.EdgeConfig | None:
    """The configuration for a writer to open an existing shard with (its dimension as
    stored); None if the stored one cannot be read (the engine then says what is wrong)."""
    try:
        stored = json.loads((shard_dir / "edge_config.json").read_text())
        return _config(int(stored["vectors"][DENSE]["size"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- room and places -------------------------------------------------------------------


def _read_only(path: Path) -> bool:
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY) or not os.access(path, os.W_OK)


def _free_bytes(path: Path) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


_libc = ctypes.CDLL(None, use_errno=True)


def _allocates_on_touch(path: Path) -> bool:
    buffer = ctypes.create_string_buffer(256)  # struct statfs; f_type is its first field
    if _libc.statfs(os.fsencode(path), buffer) != 0:
        return False
    return struct.unpack_from("l", buffer)[0] in _ALLOCATE_ON_TOUCH


def _sizes(directory: Path) -> tuple[int, int]:
    """(allocated bytes, bytes in holes) of the files under `directory`."""
    allocated = holes = 0
    for folder, _, names in os.walk(directory):
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            allocated += stat.st_blocks * 512
            holes += max(0, stat.st_size - stat.st_blocks * 512)
    return allocated, holes


def _in_place_problem(shard_dir: Path, margin: int) -> str | None:
    """Why the shard must not be opened where it is (None: it may)."""
    where = shard_dir if shard_dir.exists() else shard_dir.parent
    if _read_only(where):
        return f"{where} is read-only"
    needed = margin + (_sizes(shard_dir)[1] if _allocates_on_touch(where) and shard_dir.exists() else 0)
    free = _free_bytes(where)
    if free < needed:
        return f"the disk holding {where} has {_mib(free)} free and needs {_mib(needed)}; free some space and run the command again"
    return None


def _mib(size: int) -> str:
    return f"{size / MIB:.0f} MiB"


def _private_copy(shard_dir: Path, problem: str) -> Path:
    """A copy of the shard under the temporary directory, for a reader that cannot open
    it in place."""
    base = Path(tempfile.gettempdir())
    _remove_stale_copies(base)
    allocated, holes = _sizes(shard_dir)
    needed = allocated + READ_MARGIN_BYTES + (holes if _allocates_on_touch(base) else 0)
    if _free_bytes(base) < needed:
        raise StorageError(
            f"cannot open the vector index for reading: {problem}, and {base} has less than the {_mib(needed)} "
            "a private copy needs; free some space or set TMPDIR to a roomier place"
        )
    copy_dir = Path(tempfile.mkdtemp(prefix=f"{_COPY_PREFIX}{os.getpid()}-", dir=base))
    try:
        for folder, directories, names in os.walk(shard_dir):
            target = copy_dir / shard_dir.name / Path(folder).relative_to(shard_dir)
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            for name in names:
                _copy_sparse(Path(folder) / name, target / name)
    except OSError as exc:
        shutil.rmtree(copy_dir, ignore_errors=True)
        raise StorageError(f"cannot copy the vector index to {base} for reading: {exc.strerror or exc}") from None
    return copy_dir / shard_dir.name


def _copy_sparse(source: Path, target: Path) -> None:
    """Copy a file's data and leave its holes holes (Edge preallocates large sparse files)."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        offset = 0
        while offset < size:
            try:
                start = os.lseek(src.fileno(), offset, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # only a hole is left
                    break
                raise
            end = os.lseek(src.fileno(), start, os.SEEK_HOLE)
            src.seek(start)
            dst.seek(start)
            remaining = end - start
            while remaining:
                data = src.read(min(remaining, 4 * MIB))
                if not data:
                    break
                dst.write(data)
                remaining -= len(data)
            offset = end
        dst.truncate(size)


def _remove_copy(copy: Path | None) -> None:
    if copy is not None:
        shutil.rmtree(copy.parent, ignore_errors=True)


def _remove_stale_copies(base: Path) -> None:
    """Copies left by readers that were killed."""
    for leftover in base.glob(f"{_COPY_PREFIX}*-*"):
        pid = leftover.name[len(_COPY_PREFIX) :].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(leftover, ignore_errors=True)


_umask_tightened = False


def _keep_files_private() -> None:
    """Make what this process creates from now on 0600/0700 (Qdrant Edge takes no mode)."""
    global _umask_tightened
    if _umask_tightened:
        return
    try:
        status = Path("/proc/self/status").read_text()
        current = int(re.search(r"^Umask:\s*([0-7]+)", status, re.M).group(1), 8)
    except (OSError, AttributeError):
        current = os.umask(0o077)
    os.umask(current | 0o077)
    _umask_tightened = True


# --- engine failures -------------------------------------------------------------------


@contextmanager
def _engine(path: Path) -> Iterator[None]:
    """Any failure inside Qdrant Edge (an exception or a Rust panic) as one StorageError line."""
    try:
        yield
    except DiariumError:
        raise
    except BaseException as exc:
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            raise _storage_error(path, exc) from None
        raise


def _storage_error(path: Path, exc: BaseException) -> StorageError:
    text = cause(exc, 200)
    if "No space left" in text or "os error 28" in text:
        return StorageError(f"the disk holding {path} is full ({text}); free some space and run the command again")
    if "Read-only file system" in text or "os error 30" in text:
        return StorageError(f"{path} is read-only; writing needs a writable data directory")
    return StorageError(f"the vector index {path} cannot be used ({text}); run `diarium check` to rebuild it from the stored documents")


def _stored_point(point) -> StoredPoint:
    vector = None
    if getattr(point, "vector", None):
        dense = point.vector.get(DENSE) if isinstance(point.vector, dict) else None
        vector = np.asarray(dense, dtype=np.float32) if dense is not None else None
    return StoredPoint(str(point.id), float(getattr(point, "score", 0.0) or 0.0), dict(point.payload or {}), vector)
