"""How the web server reaches the archive: one long-lived process that holds the model
and the vector index open, and a read-only `Archive` for each worker thread.

- The embedding model is loaded once and warmed by one search at start (the first real
  search would otherwise pay about a second for it), and shared by all threads: the
  ONNX session runs calls from several threads at once.
- The embedded index may be open in one process at a time. The server keeps it open
  between requests (`keep_open`) and lets go whenever another process waits for it (an
  ingest, a reindex, a `diarium search`): before each request, and from a background
  thread every `YIELD_SECONDS`, so a writer waits at most that long for a server that
  is idle. A swapped index generation (reindex) is noticed by the store itself.
- Archive calls block (SQLite, the shard, the model), so they run in the threadpool. A
  SQLite connection may only be used by the thread that made it (Python's default,
  `check_same_thread`), so each worker thread gets its own `Archive` over its own
  read-only connection, sharing the one vector store (whose shard access a lock inside
  it serializes) and the one embedder. Each read is its own transaction, so a document
  committed by an ingest in another process is seen by the next request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from starlette.concurrency import run_in_threadpool

from config import Settings
from pipeline.archive import Archive

if TYPE_CHECKING:
    from index.embed.embedder import Embedder

YIELD_SECONDS = 0.05
WARM_QUERY = "kommunstyrelsens beslut"

log = logging.getLogger("diarium.web")
T = TypeVar("T")


class ArchiveAccess:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        first = Archive(settings, embedder=embedder)
        self.vectors = first.vectors
        self.vectors.keep_open()
        self.embedder = first.embedder
        self._local = threading.local()
        self._local.archive = first
        self._stop = threading.Event()
        self._yielder: threading.Thread | None = None

    def warm(self) -> None:
        """Load the model and open the index now, not at the first request."""
        archive = self.archive()
        if self.vectors.exists():
            archive.search(WARM_QUERY, limit=1)

    def archive(self) -> Archive:
        """This thread's read-only archive."""
        archive = getattr(self._local, "archive", None)
        if archive is None:
            archive = self._local.archive = Archive(self.settings, vectors=self.vectors, embedder=self.embedder)
        return archive

    async def run(self, work: Callable[[Archive], T]) -> T:
        """`work(archive)` in a worker thread, after letting the index go if someone waits."""
        return await run_in_threadpool(self._call, work)

    def _call(self, work: Callable[[Archive], T]) -> T:
        self.vectors.yield_if_wanted()
        return work(self.archive())

    def start(self) -> None:
        self._stop.clear()
        self._yielder = threading.Thread(target=self._yield_loop, name="diarium-index-yield", daemon=True)
        self._yielder.start()

    def _yield_loop(self) -> None:
        while not self._stop.wait(YIELD_SECONDS):
            try:
                self.vectors.yield_if_wanted()
            except Exception:  # the loop must outlive a bad moment, or writers would wait for minutes
                log.exception("letting the index go failed; trying again")

    def close(self) -> None:
        """Stop yielding and close the index (the threads' SQLite connections close with them)."""
        self._stop.set()
        if self._yielder is not None:
            self._yielder.join()
            self._yielder = None
        self.vectors.close()
