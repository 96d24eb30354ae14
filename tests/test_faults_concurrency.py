"""Readers and writers in different processes on one Qdrant Edge index (index/stores/edge.py):
no search fails while another process writes, a writer is not starved by readers that
search back to back, and a search that waits too long fails with one line. The long
version of the first test is `make faults` (tests/faults/stress.py)."""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from errors import IndexBusyError
from index.query import SearchFilters, plan_query
from index.stores.edge import EdgeVectorStore
from test_vectorstores import _many_points

sys.path.insert(0, str(Path(__file__).resolve().parent / "faults"))

from stress import stress  # noqa: E402


@pytest.mark.slow
def test_searches_in_other_processes_never_fail_while_the_archive_is_written(tmp_path):
    result = stress(tmp_path, searches=30, readers=2, log=lambda _: None)
    assert result["searches"] >= 30
    assert result["searches_failed"] == 0, result["failures"]
    assert result["files_lost"] == result["files_extra"] == 0
    assert result["check_ok"]


def _search_back_to_back(root: str, stop, count) -> None:
    store = EdgeVectorStore(Path(root))
    plan = plan_query("dense", np.ones(384, dtype=np.float32) / np.sqrt(384), None, SearchFilters(), 3)
    while not stop.is_set():
        store.search(plan)
        count.value += 1


def test_a_writer_gets_its_turn_between_back_to_back_searches(tmp_path):
    _, points = _many_points(600)
    store = EdgeVectorStore(tmp_path / "edge", lock_wait=20)
    store.create(384)
    store.upsert(points[:100])
    context = multiprocessing.get_context("spawn")
    stop, count = context.Event(), context.Value("i", 0)
    reader = context.Process(target=_search_back_to_back, args=(str(tmp_path / "edge"), stop, count))
    reader.start()
    try:
        while count.value < 3:
            time.sleep(0.05)
        for start in range(100, 600, 100):  # each upsert must get the shard within lock_wait
            store.upsert(points[start : start + 100])
    finally:
        stop.set()
        reader.join(60)
    assert store.count() == 600
    assert count.value > 3


def test_a_search_that_waits_too_long_fails_with_one_line(tmp_path):
    _, points = _many_points(10)
    writer = EdgeVectorStore(tmp_path / "edge")
    writer.create(384)
    writer.upsert(points)
    reader = EdgeVectorStore(tmp_path / "edge", lock_wait=0.3)
    with writer.session():  # another open file description: flock excludes it like another process
        started = time.monotonic()
        with pytest.raises(IndexBusyError) as busy:
            reader.count()
    assert 0.3 <= time.monotonic() - started < 5
    assert "\n" not in str(busy.value) and "held by another process" in str(busy.value)
    assert reader.count() == 10  # and it works once the writer is done
