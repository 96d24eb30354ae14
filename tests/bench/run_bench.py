"""`make bench`: stage-by-stage throughput, search latency and memory on this machine,
written to docs/benchmarks.md (+ docs/benchmarks.png).

    python tests/bench/run_bench.py [REPORT.md]
    BENCH_SIZES=1000,10000 BENCH_REPEATS=1 BENCH_QUALITY=0 BENCH_EMBED_SAMPLE=64 \
        BENCH_REAL_EMBEDDING_LIMIT=1000 BENCH_INGEST_WORKERS=2 python tests/bench/run_bench.py   # quick

Every figure is the median of BENCH_REPEATS runs unless said otherwise. Stages:
- PDF text: pages/s of diarium's pdfplumber reader (ingest/pdf.py) against pypdfium2's
  raw text, over the text-layer sample and eval PDFs.
- normalize + extract: documents/s from already read RawDocuments (samples and eval
  corpus, digital and OCR'd).
- embedding: chunks/s of torch fp32 sentence-transformers, ONNX fp32 and ONNX int8
  (index/embed/onnx_encoder.py) on the same real chunks; wall clock and CPU seconds.
- scale (1k/10k/100k chunks): a synthetic archive (tests/bench/synthetic.py) written by
  `Archive.add_document` in batches and optimized (as ingest writes) into a fresh data
  directory in a child process: documents/s, upsert points/s, optimization time and its
  longest hold of the shard, peak RSS; then warm search latency (one process, shard held
  open by `session()`, after one untimed pass over the queries that pages the
  memory-mapped index in), and cold `diarium search` latency (a new process each time,
  the first query of which pays that paging). Up to
  REAL_EMBEDDING_LIMIT chunks every chunk is embedded by the model; beyond, building
  would take hours on 2 cores, so a pool of real chunk embeddings is reused with noise
  (vectors keep the real distribution; sparse vectors and payloads are the real ones).
- Qdrant Edge against qdrant-client's local mode: the same points upserted and searched.
- end-to-end `diarium ingest` of the sample and eval PDFs with 1 and 2 parsing workers:
  documents/minute and the cores used (CPU seconds of all processes / wall seconds).
- a 500-page PDF through `process_file`: peak RSS.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

REPORT = ROOT / "docs" / "benchmarks.md"
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
QUALITY = os.environ.get("BENCH_QUALITY", "1") == "1"
REAL_EMBEDDING_LIMIT = int(os.environ.get("BENCH_REAL_EMBEDDING_LIMIT", "10000"))
INGEST_WORKERS = [int(n) for n in os.environ.get("BENCH_INGEST_WORKERS", "1,2").split(",")]
EMBED_SAMPLE = int(os.environ.get("BENCH_EMBED_SAMPLE", "256"))
LOCAL_MODE_LIMIT = 10_000  # qdrant-client's local mode is a Python brute-force store
COLD_RUNS = 7
PDF_DIRS = (ROOT / "data" / "samples", ROOT / "data" / "eval" / "corpus")


def median_time(action, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def text_pdfs() -> list[Path]:
    return [p for folder in PDF_DIRS for p in sorted(folder.glob("*.pdf")) if p.name.count(".") == 1]


def all_pdfs() -> list[Path]:
    return [p for folder in PDF_DIRS for p in sorted(folder.glob("*.pdf")) if ".scan." not in p.name]


def queries() -> list[str]:
    data = tomllib.loads((ROOT / "data" / "eval" / "queries.toml").read_text(encoding="utf-8"))
    return [query["text"] for query in data["query"]]


# --- stages in this process ----------------------------------------------------------


def bench_pdf() -> dict:
    import pdfplumber
    import pypdfium2

    from ingest.pdf import page_text

    files = text_pdfs()
    pages = sum(len(pypdfium2.PdfDocument(str(path))) for path in files)

    def plumber():
        for path in files:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page_text(page)
                    page.close()

    def pdfium():
        for path in files:
            document = pypdfium2.PdfDocument(str(path))
            for page in document:
                page.get_textpage().get_text_range()
            document.close()

    return {"files": len(files), "pages": pages, "pdfplumber": pages / median_time(plumber), "pypdfium2": pages / median_time(pdfium)}


def bench_normalize_extract() -> dict:
    from extract import extract
    from ingest import read_document
    from normalize import normalize

    raws = [read_document(path, reocr="never") for path in all_pdfs()]
    extract(normalize(raws[0]))  # spaCy and the lexicon loaded before timing
    seconds = median_time(lambda: [extract(normalize(raw)) for raw in raws])
    return {"documents": len(raws), "documents_per_second": len(raws) / seconds}


def embedding_texts(count: int = EMBED_SAMPLE) -> list[str]:
    from index.chunking import chunk_document, embedding_text
    from synthetic import seed_documents

    texts = [embedding_text(chunk) for doc in seed_documents() for chunk in chunk_document(doc)]
    return (texts * (count // len(texts) + 1))[:count]


def bench_embedding() -> dict:
    from config import DEFAULT_MODEL
    from index.embed.embedder import Embedder

    texts = embedding_texts()
    results = {"chunks": len(texts), "mean_words": statistics.mean(len(t.split()) for t in texts)}
    for backend in ("torch", "onnx", "onnx-int8"):
        embedder = Embedder(DEFAULT_MODEL, backend=backend)
        embedder.embed_passages(texts[:16])
        walls, cpus = [], []
        for _ in range(REPEATS):
            wall, cpu = time.perf_counter(), time.process_time()
            embedder.embed_passages(texts)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        results[backend] = {"per_second": len(texts) / statistics.median(walls), "per_cpu_second": len(texts) / statistics.median(cpus)}
        del embedder
    return results


def bench_ingest(workers: int) -> dict:
    """`diarium ingest` of the sample and eval PDFs into a fresh data directory."""
    with tempfile.TemporaryDirectory(prefix="diarium-bench-ingest-") as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "cli.py"), "ingest", *map(str, PDF_DIRS), "--data-dir", folder, "--workers", str(workers), "--json"],
            capture_output=True, text=True, check=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads(result.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"documents": summary["documents"], "pages": summary["pages"], "chunks": summary["chunks"], "seconds": wall,
            "documents_per_minute": 60 * summary["documents"] / wall, "cores_used": cpu / wall}


def bench_cold_search(data_dir: Path, query: str) -> list[float]:
    times = []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "search", query, "--data-dir", str(data_dir), "--limit", "5"],
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def peak_rss_mib() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries the forking
    parent's peak over exec into it."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{args}: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- children: one fresh process each, so peak RSS is theirs alone -------------------


class PooledEmbedder:
    """Real embeddings of a pool of chunks, reused with small noise for the rest (see module doc)."""

    def __init__(self, embedder, texts: list[str]):
        import numpy as np

        self.model_name, self.dimension = embedder.model_name, embedder.dimension
        self.pool = embedder.embed_passages(texts)
        self.random = np.random.default_rng(11)

    def embed_passages(self, texts: list[str]):
        import numpy as np

        picks = self.random.integers(0, len(self.pool), len(texts))
        vectors = self.pool[picks] + self.random.normal(0, 0.02, (len(texts), self.pool.shape[1])).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query(self, text: str):
        raise NotImplementedError("queries go to the real embedder")


def child_scale(chunks: int, data_dir: str) -> dict:
    """Build an archive of about `chunks` synthetic chunks, then time warm searches."""
    from config import DEFAULT_MODEL, Settings
    from index.chunking import chunk_document, embedding_text
    from index.embed.embedder import Embedder
    from pipeline import Archive
    from synthetic import SyntheticCorpus

    embedder = Embedder(DEFAULT_MODEL)
    embedder.embed_query("uppvärmning")
    build_embedder = embedder
    if chunks > REAL_EMBEDDING_LIMIT:
        pool_corpus = SyntheticCorpus(seed=99)  # other documents than the archive's, same kind
        pool = [embedding_text(chunk) for doc, _ in pool_corpus.documents_for_chunks(2400) for chunk in chunk_document(doc)]
        build_embedder = PooledEmbedder(embedder, pool)
    upsert_seconds = 0.0
    points = 0
    documents = 0
    optimize_holds: list[float] = []
    kept = []
    with Archive(Settings(data_dir=Path(data_dir)), embedder=build_embedder) as archive:
        original_upsert, original_optimize = archive.vectors.upsert, archive.vectors.optimize

        def timed_optimize():
            started = time.perf_counter()
            changed = original_optimize()
            if changed:
                optimize_holds.append(time.perf_counter() - started)
            return changed

        archive.vectors.optimize = timed_optimize

        def timed_upsert(batch):
            nonlocal upsert_seconds, points
            started = time.perf_counter()
            original_upsert(batch)
            upsert_seconds += time.perf_counter() - started
            points += len(batch)
            if chunks <= LOCAL_MODE_LIMIT:
                kept.extend(batch)

        archive.vectors.upsert = timed_upsert
        started = time.perf_counter()
        with archive.batched_writes():  # as `diarium ingest` writes, documents made as they are needed
            for doc, _ in SyntheticCorpus().documents_for_chunks(chunks):
                archive.add_document(doc, doc.source, 0, 0.0, None)
                documents += 1
        archive.optimize_index()  # as `diarium ingest` ends
        build_seconds = time.perf_counter() - started
        archive.vectors.upsert, archive.vectors.optimize = original_upsert, original_optimize
        build_rss = peak_rss_mib()
        archive._embedder = embedder
        warm = []
        with archive.vectors.session():
            for query in queries():  # warm-up pass: the memory-mapped index pages in on first touch
                archive.search(query, limit=10)
            for query in queries():
                started = time.perf_counter()
                archive.search(query, limit=10)
                warm.append(time.perf_counter() - started)
        stored = archive.vectors.count()
    result = {
        "chunks": stored, "documents": documents, "build_seconds": build_seconds,
        "documents_per_second": documents / build_seconds, "upsert_points_per_second": points / upsert_seconds,
        "optimize_seconds": sum(optimize_holds), "longest_optimize_seconds": max(optimize_holds, default=0.0),
        "real_embeddings": build_embedder is embedder, "build_peak_rss_mib": build_rss,
        "warm_p50_ms": 1000 * percentile(warm, 0.5), "warm_p95_ms": 1000 * percentile(warm, 0.95),
    }
    if kept:
        result["edge_vs_local"] = edge_vs_local(kept, embedder)
    return result


def edge_vs_local(points: list, embedder) -> dict:
    """The same points into a new Qdrant Edge shard and into qdrant-client's local mode."""
    from qdrant_client import QdrantClient

    from index.edge import EdgeVectorStore
    from index.server import ServerVectorStore
    from index.sparse import query_vector
    from index.vectorstore import SearchFilters

    batches = [points[i : i + 12] for i in range(0, len(points), 12)]  # about one document per upsert
    probes = [(embedder.embed_query(q), query_vector(q)) for q in queries()[:20]]
    result = {}
    with tempfile.TemporaryDirectory(prefix="diarium-bench-stores-") as folder:
        client = QdrantClient(path=str(Path(folder) / "local"))
        stores = {"edge": EdgeVectorStore(Path(folder) / "edge"), "local": ServerVectorStore(client, "bench")}
        for name, store in stores.items():
            store.create(embedder.dimension)
            with store.session():
                started = time.perf_counter()
                for batch in batches:
                    store.upsert(batch)
                upsert = time.perf_counter() - started
                latencies = []
                for dense, sparse in probes:
                    started = time.perf_counter()
                    store.search(dense, sparse, SearchFilters(), 50)
                    latencies.append(time.perf_counter() - started)
            result[name] = {"upsert_points_per_second": len(points) / upsert, "search_p50_ms": 1000 * percentile(latencies, 0.5)}
        client.close()
    return result


def child_pdf500(folder: str) -> dict:
    from reportlab.pdfgen import canvas

    from pipeline.process import process_file

    lines = [line[:95] for p in sorted((ROOT / "data" / "eval" / "corpus").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = Path(folder) / "stor.pdf"
    pdf = canvas.Canvas(str(path))
    for number in range(500):
        y = 780
        for line in lines[(number * 7) % len(lines) :][:45]:
            pdf.drawString(60, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    started = time.perf_counter()
    doc = process_file(path, reocr="never")
    seconds = time.perf_counter() - started
    return {"pages": doc.page_count, "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


# --- the run -------------------------------------------------------------------------


SIMD_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")  # what int8 and fp32 kernels can use


def machine() -> dict:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    flags = set(next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), []))
    return {"cpu": model, "cores": os.cpu_count(), "load": os.getloadavg(), "simd": [f for f in SIMD_FLAGS if f in flags]}


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--scale"]:
        print(json.dumps(child_scale(int(argv[2]), argv[3])))
        return 0
    if argv[1:2] == ["--pdf500"]:
        print(json.dumps(child_pdf500(argv[2])))
        return 0
    report = Path(argv[1]) if len(argv) > 1 else REPORT
    settings = {name: value for name, value in os.environ.items() if name.startswith("BENCH_")}
    results: dict = {"machine_before": machine(), "sizes": SIZES, "repeats": REPEATS, "settings": settings,
                     "started": time.strftime("%Y-%m-%d %H:%M")}

    def stage(name, action):
        started = time.perf_counter()
        results[name] = action()
        print(f"{name}: {time.perf_counter() - started:.0f} s {json.dumps(results[name])[:300]}", flush=True)

    stage("pdf", bench_pdf)
    stage("normalize_extract", bench_normalize_extract)
    stage("embedding", bench_embedding)
    scale = []
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix=f"diarium-bench-{size}-") as folder:
            started = time.perf_counter()
            outcome = run_child("--scale", str(size), folder)
            cold = bench_cold_search(Path(folder), "hur upptäcker bostadsbolaget våld i hemmet")
            outcome.update(cold_p50_ms=1000 * percentile(cold, 0.5), cold_p95_ms=1000 * percentile(cold, 0.95))
            outcome["index_mib"] = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file()) / 2**20
            scale.append(outcome)
            print(f"scale {size}: {time.perf_counter() - started:.0f} s {json.dumps(outcome)[:400]}", flush=True)
    results["scale"] = scale
    stage("ingest", lambda: {workers: bench_ingest(workers) for workers in INGEST_WORKERS})
    with tempfile.TemporaryDirectory(prefix="diarium-bench-pdf500-") as folder:
        stage("pdf500", lambda: run_child("--pdf500", folder))
    if QUALITY:
        from backend_quality import backend_mrr

        with tempfile.TemporaryDirectory(prefix="diarium-bench-quality-") as folder:
            stage("quality", lambda: {f"{b} {m}": v for (b, m), v in backend_mrr(Path(folder), log=lambda *_: None).items()})
    results["machine_after"] = machine()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    (ROOT / "docs").mkdir(exist_ok=True)
    report.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    from report import plot, render

    plot(results, report.with_suffix(".png"))
    report.write_text(render(results, report), encoding="utf-8")
    print(f"wrote {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
