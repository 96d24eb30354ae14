"""Parsing files (ingest → normalize → extract) in worker processes, so that PDF parsing
of the next files overlaps embedding of the previous ones on the main process.

Workers are started with `spawn` (a fork of a process that has loaded the model is not
safe), and at most `2 × workers` files are in flight, so memory stays bounded however
long the list. With one worker everything runs inline. Each file gets the limits of
`config.Limits`: a time limit (an alarm in the worker: a pathological file gives a
one-line error instead of hanging the batch) and, in worker processes, an address-space
limit (a file that needs more memory fails alone). A worker leaves by itself when the
ingest process is gone: killed with SIGKILL, that process cannot shut its pool down,
and the workers would otherwise wait for work forever (holding its output pipes open).
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
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from config import Limits
from document import Document
from errors import IngestError
from pipeline.process import process_file

Job = TypeVar("Job")


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
        return IngestError(str(request.path), f"took longer than {seconds:.0f} s to read (the limit per file)")
    except MemoryError:
        return IngestError(str(request.path), f"needed more than {request.limits.memory_mb} MB of memory (the limit per file)")
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


def parse_all(jobs: Iterable[tuple[Job, ParseRequest]], workers: int, limits: Limits) -> Iterator[tuple[Job, Document | IngestError]]:
    """Yield (job, Document or IngestError) as files finish parsing (order not kept)."""
    if workers <= 1:
        for job, request in jobs:
            yield job, _parse(request)
        return
    context = multiprocessing.get_context("spawn")
    pool = None
    pending: dict[Future, tuple[Job, ParseRequest]] = {}
    try:
        for job, request in jobs:
            if pool is None:  # started only when a file needs parsing
                pool = ProcessPoolExecutor(
                    max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), limits.memory_mb)
                )
            pending[pool.submit(_parse, request)] = (job, request)
            if len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    job_done, request_done = pending.pop(future)
                    yield job_done, _result(future, request_done)
        for future in list(pending):
            job_done, request_done = pending.pop(future)
            yield job_done, _result(future, request_done)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future, request: ParseRequest) -> Document | IngestError:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed by the OS for memory, or crashed)
        return IngestError(str(request.path), f"the parsing process died ({type(exc).__name__}); the file may be hostile or too large")
