"""How long writers hold the vector index, and how long a search waits behind them.

Builds an index of `--chunks` points the way `diarium ingest` writes them (batches of
`MAX_CHUNKS` points, each deleting the batch's documents first and upserting in one hold;
an optimization every `OPTIMIZE_EVERY_POINTS` points and one at the end, timed), then deletes a
third of the documents and optimizes again (what a large `--prune` does). Meanwhile a
reader in another process searches without pause. The holds are watched from outside
(lockwatch.py); CPU-seconds of each optimization are this process's own.

Dense vectors are real e5 embeddings of Swedish paragraphs (a pool of them, reused with
small noise, as the scale benchmark does), sparse vectors and payloads are real.

    python tests/faults/holds.py [--chunks 100000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import numpy as np  # noqa: E402

from document import Chunk, Document  # noqa: E402
from index.payload import chunk_payload  # noqa: E402
from index.query import SearchFilters, plan_query  # noqa: E402
from index.sparse import passage_vector, query_vector  # noqa: E402
from index.stores.base import IndexedChunk  # noqa: E402
from index.stores.edge import EdgeVectorStore  # noqa: E402
from lockwatch import LockWatch  # noqa: E402
from pipeline.write_order import MAX_CHUNKS, OPTIMIZE_EVERY_POINTS  # noqa: E402

CHUNKS_PER_DOCUMENT = 12
MUNICIPALITIES = ("Uppsala", "Linköping", "Växjö", "Lund", "Gävle")


def paragraphs(count: int) -> list[str]:
    found: list[str] = []
    for folder in (ROOT / "data" / "eval" / "corpus", ROOT.parent / "shared" / "seeds"):
        for path in sorted(folder.glob("*.txt")):
            found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 8]
    return list(dict.fromkeys(found))[:count]


class Points:
    """Index points for chunk numbers, from a pool of real embeddings."""

    def __init__(self, texts: list[str], vectors: np.ndarray):
        self.texts, self.vectors = texts, vectors
        self.random = np.random.default_rng(7)

    def make(self, numbers: range) -> list[IndexedChunk]:
        points = []
        for n in numbers:
            k = n % len(self.texts)
            dense = self.vectors[k] + self.random.normal(0, 0.02, self.vectors.shape[1]).astype(np.float32)
            doc = Document(doc_id=f"d{n // CHUNKS_PER_DOCUMENT:07d}", source="", file_type="txt", text="",
                           municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)], date=f"{2015 + n % 10}-03-01")
            chunk = Chunk(chunk_id=f"00000000-0000-0000-0000-{n:012d}", doc_id=doc.doc_id, ordinal=n % CHUNKS_PER_DOCUMENT,
                          section="arende", heading="", text=self.texts[k])
            points.append(IndexedChunk(chunk.chunk_id, dense / np.linalg.norm(dense), passage_vector(self.texts[k]), chunk_payload(doc, chunk)))
        return points


def reader(index_dir: str, query: list[float], stop, results) -> None:
    """Search until told to stop; each search's start, end and error."""
    store = EdgeVectorStore(Path(index_dir))
    plan = plan_query("hybrid", np.asarray(query, dtype=np.float32), query_vector("bygglov detaljplan"), SearchFilters(), 10)
    log = []
    while not stop.is_set():
        started = time.monotonic()
        try:
            hits = store.search(plan)
            error = "" if hits else "no hits"
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            error = f"{type(exc).__name__}: {exc}"
        log.append((started, time.monotonic(), error))
    results.put(log)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(chunks: int, workdir: Path, log=print) -> dict:
    from index.embed.embedder import Embedder

    texts = paragraphs(400)
    points = Points(texts, Embedder().embed_passages(texts))
    index_dir = workdir / "qdrant-edge"
    store = EdgeVectorStore(index_dir)
    store.create(points.vectors.shape[1])
    optimizations: list[dict] = []

    def optimize(label: str) -> None:
        started, cpu = time.perf_counter(), cpu_seconds()
        changed = store.optimize()
        optimizations.append({"at": label, "seconds": time.perf_counter() - started, "cpu_seconds": cpu_seconds() - cpu, "changed": changed})
        log(f"  optimize at {label}: {optimizations[-1]['seconds']:.2f} s ({optimizations[-1]['cpu_seconds']:.2f} CPU-s)")

    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    written = unoptimized = 0
    with LockWatch(index_dir) as watch:
        search = context.Process(target=reader, args=(str(index_dir), points.vectors[0].tolist(), stop, results))
        search.start()
        started = time.perf_counter()
        for start in range(0, chunks, MAX_CHUNKS):
            batch = points.make(range(start, min(chunks, start + MAX_CHUNKS)))
            with store.session():
                store.delete_documents(sorted({point.payload["doc_id"] for point in batch}))
                store.upsert(batch)
            written += len(batch)
            unoptimized += len(batch)
            if unoptimized >= OPTIMIZE_EVERY_POINTS:  # as pipeline/write_order.OptimizeSchedule does
                optimize(f"{written} points")
                unoptimized = 0
        optimize(f"{written} points (the end)")
        build_seconds = time.perf_counter() - started
        documents = sorted({f"d{n // CHUNKS_PER_DOCUMENT:07d}" for n in range(chunks)})
        store.delete_documents(documents[::3])  # a large prune
        optimize("after deleting a third of the documents")
        stop.set()
        searches = results.get()
        search.join()
    writer = {multiprocessing.current_process().pid}
    reader_holds = {hold.start: hold.seconds for hold in watch.of({search.pid})}
    waits = []
    for begun, ended, _ in searches:
        held = sum(seconds for start, seconds in reader_holds.items() if begun <= start <= ended)
        waits.append(ended - begun - held)
    writer_holds = sorted(hold.seconds for hold in watch.of(writer) if hold.live)
    failures = [error for _, _, error in searches if error]
    return {
        "chunks": chunks,
        "build_seconds": build_seconds,
        "writer_holds": len(writer_holds),
        "writer_hold_p50_seconds": writer_holds[len(writer_holds) // 2] if writer_holds else 0.0,
        "longest_writer_hold_seconds": writer_holds[-1] if writer_holds else 0.0,
        "optimizations": optimizations,
        "longest_optimization_seconds": max(o["seconds"] for o in optimizations),
        "longest_optimization_cpu_seconds": max(o["cpu_seconds"] for o in optimizations),
        "searches": len(searches),
        "searches_failed": len(failures),
        "failures": sorted(set(failures))[:5],
        "longest_search_wait_seconds": max(waits, default=0.0),
        "search_wait_p95_seconds": sorted(waits)[int(0.95 * (len(waits) - 1))] if waits else 0.0,
        "longest_search_seconds": max((ended - begun for begun, ended, _ in searches), default=0.0),
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diarium-holds-", dir=args.workdir) as work:
        result = run(args.chunks, Path(work))
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["searches_failed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
