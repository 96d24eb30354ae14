"""Parsing files (ingest → normalize → extract) in worker processes, so that PDF parsing
of the next files overlaps embedding of the previous ones on the main process.

Workers are started with `spawn` (a fork of a process that has loaded the model is not
safe), and at most `IN_FLIGHT_PER_WORKER × workers` files are in flight, so memory stays
bounded however long the list, and yet the workers keep parsing while the main process
embeds a batch (up to 512 chunks, several seconds; a file parses in about 0.3 s, so 2
files a worker left them waiting for most of it). With one worker everything runs inline. Each file gets the limits of
`config.Limits`: a time limit (an alarm in the worker: a pathological file gives a
one-line error instead of hanging the batch; OCR's own tools end by the same deadline,
ingest/ocr.py) and, in worker processes, an address-space limit (a file that needs more
memory fails alone).

A worker that dies (killed by the kernel, a crash in a C library) breaks the whole pool:
every file in flight then fails with `BrokenProcessPool`, and which of them killed it
cannot be told. Those files are parsed again one at a time in a fresh pool of one
worker, so that only the file that kills a worker on its own fails; the others, and the
files after them, go on in a fresh pool. A worker leaves by itself when the ingest
process is gone: killed with SIGKILL, that process cannot shut its pool down, and the
workers would otherwise wait for work forever (holding its output pipes open).

Every run that parses first removes the OCR scratch folders that killed runs left
behind (ingest.ocr.remove_stale_scratch). The parsing stages are imported where a file
is parsed (`_parse`), not with this module: an ingest that finds nothing new to parse
(an unchanged re-run) never loads pdfplumber, spaCy or torch (2-3 s of imports).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from config import Limits
from document import Document
from errors import IngestError
from ingest.errors import over_memory_limit, over_time_limit

Job = TypeVar("Job")
IN_FLIGHT_PER_WORKER = 8  # files parsed ahead per worker (see above)


@dataclass(frozen=True)
class ParseRequest:
    path: Path
    doc_id: str
    reocr: str
    password: str | None
    limits: Limits


class _TimeLimit(Exception):
    pass


def _on_alarm(signum, frame) -> None:
    raise _TimeLimit()


def _parse(request: ParseRequest) -> Document | IngestError:
    from pipeline.process import process_file

    seconds = request.limits.seconds_per_file
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return process_file(request.path, doc_id=request.doc_id, reocr=request.reocr, password=request.password, limits=request.limits)
    except IngestError as exc:
        return exc
    except _TimeLimit:
        return over_time_limit(str(request.path), seconds)
    except MemoryError:
        return over_memory_limit(str(request.path), request.limits.memory_mb)
    except RecursionError:
        return IngestError(str(request.path), "corrupt or hostile file (nesting too deep to read)")
    except Exception as exc:  # a bug or a pathological file must not stop the batch
        return IngestError(str(request.path), f"could not be processed ({type(exc).__name__}: {str(exc)[:120]})")
    finally:
        if in_main_thread:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _start_worker(parent: int, memory_mb: int) -> None:
    """Worker initializer: bound its memory, and exit as soon as the process that started
    the pool is gone."""
    limit = memory_mb * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


class _Pools:
    """Worker pools, started when first needed and replaced when a worker dies."""

    def __init__(self, limits: Limits):
        self._context = multiprocessing.get_context("spawn")
        self._limits = limits
        self._pools: dict[int, ProcessPoolExecutor] = {}  # by size: the shared one and the one for suspects

    def get(self, workers: int) -> ProcessPoolExecutor:
        if workers not in self._pools:
            self._pools[workers] = ProcessPoolExecutor(
                max_workers=workers, mp_context=self._context, initializer=_start_worker, initargs=(os.getpid(), self._limits.memory_mb)
            )
        return self._pools[workers]

    def discard(self, workers: int) -> None:
        pool = self._pools.pop(workers, None)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        for workers in list(self._pools):
            self.discard(workers)


def parse_all(jobs: Iterable[tuple[Job, ParseRequest]], workers: int, limits: Limits) -> Iterator[tuple[Job, Document | IngestError]]:
    """Yield (job, Document or IngestError) as files finish parsing (order not kept)."""
    from ingest.ocr import remove_stale_scratch

    remove_stale_scratch()
    if workers <= 1:
        for job, request in jobs:
            yield job, _parse(request)
        return
    pools = _Pools(limits)
    pending: dict[Future, tuple[Job, ParseRequest]] = {}
    suspects: list[tuple[Job, ParseRequest]] = []  # in flight when a worker died

    def collect(return_when: str) -> Iterator[tuple[Job, Document | IngestError]]:
        done, _ = wait(pending, return_when=return_when)
        broken = False
        for future in done:
            job, request = pending.pop(future)
            try:
                yield job, future.result()
            except BrokenProcessPool:
                suspects.append((job, request))
                broken = True
        if broken:  # what is still in flight failed with the pool
            suspects.extend(pending.values())
            pending.clear()
            pools.discard(workers)

    def submit(request: ParseRequest) -> Future:
        try:
            return pools.get(workers).submit(_parse, request)
        except BrokenProcessPool:  # a worker died since the last look: all in flight are suspects
            suspects.extend(pending.values())
            pending.clear()
            pools.discard(workers)
            return pools.get(workers).submit(_parse, request)

    try:
        for job, request in jobs:
            pending[submit(request)] = (job, request)
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield from collect(FIRST_COMPLETED)
        while pending:
            yield from collect(FIRST_COMPLETED)
        for job, request in suspects:
            yield job, _parse_alone(pools, request)
    finally:
        pools.close()


def _parse_alone(pools: _Pools, request: ParseRequest) -> Document | IngestError:
    """Parse one file in a pool of its own: if that pool breaks, this file broke it."""
    try:
        return pools.get(1).submit(_parse, request).result()
    except BrokenProcessPool:
        pools.discard(1)
        reason = "the parsing process died (killed for memory, or a crash reading it); the file may be hostile or too large"
        return IngestError(str(request.path), reason)
