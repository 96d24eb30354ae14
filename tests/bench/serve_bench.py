"""Warm search through `diarium serve`: latency and throughput of the JSON API with
concurrent clients on loopback (issue 18's target: p95 < 50 ms at 100k chunks with 8
clients on a 2-core machine).

    python tests/bench/serve_bench.py --data-dir DIR            # an existing archive
    python tests/bench/serve_bench.py --chunks 100000 [--keep DIR]  # a synthetic one, built first

`measure(data_dir)` starts the server as a user does (`diarium serve`, its own process,
a free port on 127.0.0.1), waits for it, sends every query once untimed (the
memory-mapped index pages in on first touch), then times:
- one client, each query once, one after another (latency without queueing);
- `clients` clients at once, each a keep-alive connection sending queries in turn,
  until `requests` requests or `seconds` have passed (bounded both ways): p50/p95/p99
  latency, requests/s, and the server's CPU time per request (from /proc);
- the search page (HTML, with facet counts: a second search of 200 candidates) the same
  way, with fewer requests;
- before the server starts, the floor under any server of this design (`floor`): the CPU
  a search spends embedding the query and in the index's hybrid query alone, measured in
  this process. 8 clients keep 8 searches in the system, so on 2 cores each waits on
  average at least 8 × that CPU / 2, however thin the layers around it.
The clients run in this process on the same 2 cores as the server (http.client, the
lightest Python client), so their own cost is in the figures, as it would be for
researchers' scripts on the same machine. Queries: data/eval/queries.toml.

The synthetic archive is tests/bench/synthetic.py's, written as ingest writes it; above
`REAL_EMBEDDING_LIMIT` chunks its vectors are a pool of real chunk embeddings reused with
noise (run_bench.py's PooledEmbedder), since embedding 100k chunks takes hours here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

REAL_EMBEDDING_LIMIT = 2000
STARTUP_SECONDS = 300


def queries() -> list[str]:
    data = tomllib.loads((ROOT / "data" / "eval" / "queries.toml").read_text(encoding="utf-8"))
    return [query["text"] for query in data["query"]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Server:
    def __init__(self, data_dir: Path):
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "serve", "--data-dir", str(data_dir), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        while not self._answers():
            if self.process.poll() is not None or time.perf_counter() - started > STARTUP_SECONDS:
                self.stop()
                self.log.seek(0)
                raise RuntimeError(f"diarium serve did not start: {self.log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.2)
        self.startup_seconds = time.perf_counter() - started

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/api/stats")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def get(self, connection: http.client.HTTPConnection, path: str) -> tuple[float, int]:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started, response.status

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _run_clients(server: _Server, paths: list[str], clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    sent = 0
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        nonlocal sent
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        turn = offset
        while time.perf_counter() < deadline:
            with lock:
                if sent >= requests:
                    return
                sent += 1
            latency, status = server.get(connection, paths[turn % len(paths)])
            turn += 1
            with lock:
                latencies.append(latency)
                if status != 200:
                    failures.append(status)

    cpu = _cpu_seconds(server.process.pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    server_cpu = _cpu_seconds(server.process.pid) - cpu
    return {
        "clients": clients,
        "requests": len(latencies),
        "failed": len(failures),
        "p50_ms": round(1000 * percentile(latencies, 0.5), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "requests_per_second": round(len(latencies) / wall, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(latencies)), 1),
        "server_cores_used": round(server_cpu / wall, 2),
    }


def floor(data_dir: Path, clients: int = 8) -> dict:
    """CPU ms a search spends in the query's embedding and in the index's hybrid query (the
    query plan of `diarium search --limit 10`), each query warmed first; and the mean wait
    of `clients` closed-loop clients on this machine's cores that those two alone imply."""
    import resource

    from config import Settings
    from index.query import SearchFilters, plan_query
    from index.search import CANDIDATES_PER_HIT, encode_query
    from pipeline.archive import Archive

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    texts = queries()
    with Archive(Settings(data_dir=Path(data_dir))) as archive, archive.vectors.session(writing=False):
        encoded = [encode_query(text, archive.embedder, "hybrid") for text in texts]
        plans = [plan_query("hybrid", e.dense, e.sparse, SearchFilters(), 10 * CANDIDATES_PER_HIT) for e in encoded]
        for plan in plans:
            archive.vectors.search(plan, with_vectors=True)
        started = cpu()
        for text in texts:
            archive.embedder.embed_query(text)
        embedding = (cpu() - started) / len(texts)
        started = cpu()
        for plan in plans:
            archive.vectors.search(plan, with_vectors=True)
        index = (cpu() - started) / len(texts)
    cores = os.cpu_count() or 1
    return {"embedding_cpu_ms": round(1000 * embedding, 1), "index_query_cpu_ms": round(1000 * index, 1),
            "mean_wait_ms_at_least": round(1000 * clients * (embedding + index) / cores, 1), "cores": cores}


def measure(data_dir: Path, clients: int = 8, requests: int = 800, seconds: float = 120.0, page_requests: int = 200) -> dict:
    """Warm search latency and throughput of `diarium serve` on the archive in `data_dir`."""
    lowest = floor(Path(data_dir), clients)  # before the server holds the index
    server = _Server(Path(data_dir))
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("GET", "/api/stats")
        stats = json.loads(connection.getresponse().read())
        api = [f"/api/search?{urlencode({'q': query, 'limit': 10})}" for query in queries()]
        page = [f"/?{urlencode({'q': query})}" for query in queries()]
        for path in api + (page if page_requests else []):  # untimed: pages the index in
            server.get(connection, path)
        single = [server.get(connection, path)[0] for path in api]
        result = {
            "chunks": stats["chunks"],
            "documents": stats["documents"],
            "queries": len(api),
            "startup_seconds": round(server.startup_seconds, 1),
            "single_client": {"p50_ms": round(1000 * percentile(single, 0.5), 1), "p95_ms": round(1000 * percentile(single, 0.95), 1)},
            "api": _run_clients(server, api, clients, requests, seconds),
            "floor": lowest,
        }
        if page_requests:
            result["page"] = _run_clients(server, page, clients, page_requests, seconds)
    finally:
        server.stop()
    return result


# --- a synthetic archive -----------------------------------------------------------------


def build(data_dir: Path, chunks: int) -> dict:
    """A synthetic archive of about `chunks` chunks in `data_dir`, written as ingest writes."""
    from config import Settings
    from index.chunking import chunk_document, embedding_text
    from index.embed.embedder import Embedder
    from pipeline.writer import ArchiveWriter
    from synthetic import SyntheticCorpus

    started = time.perf_counter()
    embedder = Embedder()
    build_embedder = embedder
    if chunks > REAL_EMBEDDING_LIMIT:
        from run_bench import PooledEmbedder

        pool = [embedding_text(doc, chunk) for doc, _ in SyntheticCorpus(seed=99).documents_for_chunks(REAL_EMBEDDING_LIMIT) for chunk in chunk_document(doc)]
        build_embedder = PooledEmbedder(embedder, pool)
    documents = 0
    with ArchiveWriter(Settings(data_dir=data_dir, reocr="never"), embedder=build_embedder) as archive:
        with archive.order.batched():
            for doc, _ in SyntheticCorpus().documents_for_chunks(chunks):
                archive.order.queue(doc, doc.source)
                documents += 1
        archive.order.optimizing.now()
    return {"documents": documents, "build_seconds": round(time.perf_counter() - started, 1), "real_embeddings": build_embedder is embedder}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="an existing archive")
    parser.add_argument("--chunks", type=int, default=10_000, help="size of the synthetic archive to build (without --data-dir)")
    parser.add_argument("--keep", type=Path, help="build the synthetic archive here and keep it")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--page-requests", type=int, default=200)
    args = parser.parse_args(argv)
    built, scratch = {}, None
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = args.keep or Path(tempfile.mkdtemp(prefix="serve-bench-")) / "data"
        scratch = None if args.keep else data_dir.parent
        if not (data_dir / "documents.sqlite").exists():
            built = build(data_dir, args.chunks)
    try:
        result = measure(data_dir, args.clients, args.requests, args.seconds, args.page_requests)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    print(json.dumps({"cpu": cpu, "cores": os.cpu_count(), **({"build": built} if built else {}), **result}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
