"""The race that index/stores/edge.py's shard lock removes, reproduced on the bare engine.

One process writes batches of points to a Qdrant Edge shard (open, upsert, flush, close),
two others open it and search in a loop, for `seconds` each way:
- unlocked: every process just calls `EdgeShard.load` and retries on `WouldBlock`, as
  diarium did before. `load` reads (and repairs) the segments before it tries the
  engine's own lock, so readers read files the writer is writing;
- locked: every process holds `ShardLock` from before `load` until after `close`.
The figures are the successful searches, the failed loads and the writer's failures.

    python tests/faults/edge_race.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import qdrant_edge as qe  # noqa: E402

from index.stores.edge import ShardLock  # noqa: E402

DIMENSION = 8


@contextmanager
def held(shard_dir: Path, locked: bool):
    if not locked:
        yield
        return
    lock = ShardLock(shard_dir.parent, shard_dir.name, wait=60)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def create(shard_dir: Path) -> None:
    config = qe.EdgeConfig(vectors={"d": qe.EdgeVectorParams(size=DIMENSION, distance=qe.Distance.Cosine)})
    shard = qe.EdgeShard.create(str(shard_dir), config)
    random = np.random.default_rng(1)
    shard.update(qe.UpdateOperation.upsert_points([qe.Point(n, {"d": random.normal(size=DIMENSION).tolist()}, {"n": n}) for n in range(1000)]))
    shard.flush()
    shard.close()


def turns(shard_dir: Path, locked: bool, seconds: float, failures: list[str]) -> Iterator[qe.EdgeShard]:
    """The shard, opened anew for each turn (under ShardLock when `locked`) for `seconds`
    and closed after it. A turn whose load fails is skipped; a failure other than the
    engine's own WouldBlock (another process holds it) is counted."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with held(shard_dir, locked):
            try:
                shard = qe.EdgeShard.load(str(shard_dir))
            except Exception as exc:  # noqa: BLE001 - counted
                if "WouldBlock" not in str(exc):
                    failures.append(str(exc))
                continue
            try:
                yield shard
            finally:
                shard.close()


def writer(shard_dir: Path, locked: bool, seconds: float, results) -> None:
    random = np.random.default_rng(2)
    number, batches, failures = 10_000, 0, []
    for shard in turns(shard_dir, locked, seconds, failures):
        for _ in range(3):
            points = [qe.Point(n, {"d": random.normal(size=DIMENSION).tolist()}, {"n": n}) for n in range(number, number + 50)]
            number += 50
            try:
                shard.update(qe.UpdateOperation.upsert_points(points))
                shard.flush()
                batches += 1
            except Exception as exc:  # noqa: BLE001 - counted
                failures.append(str(exc))
    results.put(("writer", batches, failures))


def reader(shard_dir: Path, locked: bool, seconds: float, results) -> None:
    searches, failures = 0, []
    query = qe.QueryRequest(limit=3, query=qe.Query.Nearest([0.1] * DIMENSION, using="d"))
    for shard in turns(shard_dir, locked, seconds, failures):
        shard.query(query)
        searches += 1
    results.put(("reader", searches, failures))


def _innermost(failure: str) -> str:
    """The innermost cause of an engine error (its messages nest `…: Service runtime error: …`)."""
    return " ".join(failure.split("error: ")[-1].split())[:160]


def race(locked: bool, seconds: float, work: Path) -> dict:
    shard_dir = work / ("locked" if locked else "unlocked") / "gen-0001"
    shard_dir.parent.mkdir(parents=True)
    create(shard_dir)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=writer, args=(shard_dir, locked, seconds, results))]
    processes += [context.Process(target=reader, args=(shard_dir, locked, seconds, results)) for _ in range(2)]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    reads = [outcome for outcome in outcomes if outcome[0] == "reader"]
    written = next(outcome for outcome in outcomes if outcome[0] == "writer")
    failures = Counter(_innermost(failure) for _, _, found in reads for failure in found)
    return {
        "locked": locked,
        "searches": sum(count for _, count, _ in reads),
        "failed_loads": sum(failures.values()),
        "commonest_failure": failures.most_common(1)[0][0] if failures else "",
        "writer_batches": written[1],
        "writer_failures": len(written[2]),
        "writer_failure": _innermost(written[2][0]) if written[2] else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diarium-race-") as work:
        results = [race(False, args.seconds, Path(work)), race(True, args.seconds, Path(work))]
    print(json.dumps(results, indent=2))
    return 0 if results[1]["failed_loads"] == results[1]["writer_failures"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
