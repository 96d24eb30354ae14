"""Parsing files (ingest → normalize → extract) in worker processes, so that PDF parsing
of the next files overlaps embedding of the previous ones on the main process.

Workers are started with `spawn` (a fork of a process that has loaded torch is not safe),
and at most `2 × workers` files are in flight, so memory stays bounded however long the
list. With one worker everything runs inline. A worker leaves by itself when the ingest
process is gone: killed with SIGKILL, that process cannot shut its pool down, and the
workers would otherwise wait for work forever (holding its output pipes open).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from document import Document
from ingest import IngestError
from pipeline.process import process_file

Job = TypeVar("Job")


@dataclass(frozen=True)
class ParseRequest:
    path: Path
    doc_id: str
    reocr: str
    password: str | None


def _parse(request: ParseRequest) -> Document | IngestError:
    try:
        return process_file(request.path, doc_id=request.doc_id, reocr=request.reocr, password=request.password)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug or a pathological file must not stop the batch
        return IngestError(str(request.path), f"could not be processed ({type(exc).__name__}: {str(exc)[:120]})")


def _leave_with_parent(parent: int) -> None:
    """Worker initializer: exit as soon as the process that started the pool is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


def parse_all(jobs: Iterable[tuple[Job, ParseRequest]], workers: int) -> Iterator[tuple[Job, Document | IngestError]]:
    """Yield (job, Document or IngestError) as files finish parsing (order not kept)."""
    if workers <= 1:
        for job, request in jobs:
            yield job, _parse(request)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_leave_with_parent, initargs=(os.getpid(),)
    ) as pool:
        pending: dict[Future, Job] = {}
        for job, request in jobs:
            pending[pool.submit(_parse, request)] = job
            if len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        for future in list(pending):
            yield pending.pop(future), future.result()
