"""`make bench`: the ingest and search targets of the speed issue, each measured on this
machine next to the figure it had before, written to docs/benchmarks.md (+ .json, .png).

    python tests/bench/run_bench.py [REPORT.md]
    BENCH_SIZES=1000,10000 BENCH_RERUN_FILES=1000 BENCH_QUALITY=0 python tests/bench/run_bench.py   # quick

Every figure states CPU seconds where the machine's load could distort wall time (the
machines are shared and have 2 cores), and the CPU's SIMD flags are recorded, since int8
embedding speed depends on them (VNNI, AMX). Stages:
- embedding: chunks per CPU-second of each backend on real chunks, one call per
  document and one call for many (tests/bench/embedding_speed.py);
- ingest of the 33 sample files the speed issue profiled (data/samples/ and
  data/eval/corpus/: digital and OCR'd PDFs and text files, `--reocr never`) by `diarium ingest --workers 2` in a fresh archive: CPU seconds per document
  (all processes), cores used, and from the ingest's own report the embedding's chunks
  per CPU-second and the longest hold of the index;
- an unchanged re-run of a folder of BENCH_RERUN_FILES small text files: wall seconds,
  and whether spaCy, torch or the model were loaded (`python -X importtime`);
- scale (1k/10k/100k chunks): a synthetic archive (tests/bench/synthetic.py) written in
  a child process exactly as ingest writes (pipeline/write_order.py, batches and the
  optimize schedule): build time, the longest optimize hold, peak RSS; warm search in
  one process (index kept open, after an untimed pass that pages the memory-mapped index
  in) and cold `diarium search` (a new process each time: wall and CPU seconds). Up to
  REAL_EMBEDDING_LIMIT chunks every chunk is embedded by the model; beyond, a pool of real
  chunk embeddings is reused with noise (vectors keep the real distribution; sparse
  vectors and payloads are the real ones), since building would take hours on 2 cores;
- `diarium serve` at the largest size: API search latency with 8 concurrent clients
  (tests/bench/serve_bench.py);
- a 500-page PDF through `process_file`: peak RSS;
- retrieval quality per embedding backend (tests/bench/backend_quality.py).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

REPORT = ROOT / "docs" / "benchmarks.md"
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
QUALITY = os.environ.get("BENCH_QUALITY", "1") == "1"
REAL_EMBEDDING_LIMIT = int(os.environ.get("BENCH_REAL_EMBEDDING_LIMIT", "10000"))
RERUN_FILES = int(os.environ.get("BENCH_RERUN_FILES", "10000"))
COLD_RUNS = 7
PDF_DIRS = (ROOT / "data" / "samples", ROOT / "data" / "eval" / "corpus")
SIMD_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")
HEAVY_MODULES = ("spacy", "torch", "onnxruntime", "sentence_transformers")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def sample_files() -> list[Path]:
    """The 33 files the speed issue profiled: every PDF (digital, OCR'd and the one scan)
    and text file of data/samples/ and data/eval/corpus/, read with their text layers as
    they are (`--reocr never`)."""
    return [p for folder in PDF_DIRS for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".txt")]


def queries() -> list[str]:
    data = tomllib.loads((ROOT / "data" / "eval" / "queries.toml").read_text(encoding="utf-8"))
    return [query["text"] for query in data["query"]]


def diarium(*args: str, env: dict | None = None, python_flags: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the command line; (result, wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, *python_flags, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"diarium {' '.join(args)}: {result.stderr[-2000:]}")
    return result, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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


def machine() -> dict:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    flags = set(next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), []))
    return {"cpu": model, "cores": os.cpu_count(), "load": os.getloadavg(), "simd": [f for f in SIMD_FLAGS if f in flags]}


# --- stages ----------------------------------------------------------------------------


def bench_embedding() -> dict:
    from embedding_speed import measure

    return measure()


def bench_ingest() -> dict:
    """`diarium ingest --workers 2 --reocr never` of the sample files into a fresh archive,
    and of the first of them alone into another: the one-file run is the fixed cost of
    an ingest (starting the command, its workers, the model), which an archive of 10,000
    documents pays once, so the 10,000-document projection is that cost plus 10,000 times
    the rate of the documents after it (`marginal`); the projection from this run's wall
    time alone is given too."""
    files = sample_files()
    with tempfile.TemporaryDirectory(prefix="diarium-bench-ingest-") as folder:
        result, wall, cpu = diarium("ingest", *map(str, files), "--data-dir", folder, "--workers", "2", "--json", env={"DIARIUM_REOCR": "never"})
    with tempfile.TemporaryDirectory(prefix="diarium-bench-ingest-one-") as folder:
        one, one_wall, one_cpu = diarium("ingest", str(files[0]), "--data-dir", folder, "--workers", "2", "--json", env={"DIARIUM_REOCR": "never"})
    report = json.loads(result.stdout)
    timings = report["timings"]
    documents = report["documents"]
    more = documents - json.loads(one.stdout)["documents"]
    marginal_wall, marginal_cpu = (wall - one_wall) / more, (cpu - one_cpu) / more
    return {
        "documents": documents, "pages": report["pages"], "chunks": report["chunks"], "wall_seconds": wall, "cpu_seconds": cpu,
        "cpu_seconds_per_document": cpu / documents, "cores_used": cpu / wall,
        "embedding_chunks_per_cpu_second": timings["chunks_per_cpu_second"], "longest_hold_seconds": timings["longest_hold_seconds"],
        "projected_hours_10000_documents": 10_000 * wall / documents / 3600,
        "one_file_wall_seconds": one_wall, "one_file_cpu_seconds": one_cpu,
        "marginal_wall_seconds_per_document": marginal_wall, "marginal_cpu_seconds_per_document": marginal_cpu,
        "marginal_cores_used": (cpu - one_cpu) / (wall - one_wall),
        "projected_hours_10000_documents_marginal": (one_wall + 10_000 * marginal_wall) / 3600,
    }


def bench_unchanged_rerun(count: int) -> dict:
    """A folder of `count` small distinct text files ingested once, then again unchanged."""
    with tempfile.TemporaryDirectory(prefix="diarium-bench-rerun-") as folder:
        inbox, data = Path(folder) / "inbox", Path(folder) / "data"
        inbox.mkdir()
        for n in range(count):
            (inbox / f"beslut-{n:05d}.txt").write_text(
                f"Tjänsteskrivelse\n\nÄrende nummer {n}\n\nFörslag till beslut\n\nNämnden beslutar att godkänna ärende {n} om "
                f"skolskjuts, bygglov och samråd i kvarter {n % 97}.\n", encoding="utf-8")
        first, first_wall, first_cpu = diarium("ingest", str(inbox), "--data-dir", str(data), "--json")
        again, wall, cpu = diarium("ingest", str(inbox), "--data-dir", str(data), "--json", python_flags=("-X", "importtime"))
    loaded = {name for name in HEAVY_MODULES if any(line.rstrip().endswith(f"| {name}") for line in again.stderr.splitlines())}
    summary = json.loads(again.stdout)
    return {"files": count, "first_wall_seconds": first_wall, "first_cpu_seconds": first_cpu, "documents": json.loads(first.stdout)["documents"],
            "rerun_wall_seconds": wall, "rerun_cpu_seconds": cpu, "rerun_unchanged": summary["unchanged"], "loaded": sorted(loaded)}


def bench_scale(size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"diarium-bench-{size}-") as folder:
        data_dir = Path(folder) / "data"
        outcome = run_child("--scale", str(size), str(data_dir))
        walls, cpus = [], []
        for _ in range(COLD_RUNS):
            _, wall, cpu = diarium("search", "hur upptäcker bostadsbolaget våld i hemmet", "--data-dir", str(data_dir), "--limit", "5")
            walls.append(wall)
            cpus.append(cpu)
        outcome.update(cold_p50_ms=1000 * percentile(walls, 0.5), cold_p95_ms=1000 * percentile(walls, 0.95),
                       cold_cpu_p50_ms=1000 * percentile(cpus, 0.5), cold_cpu_p95_ms=1000 * percentile(cpus, 0.95))
        files = [f.stat() for f in data_dir.rglob("*") if f.is_file()]
        outcome["index_mib"] = sum(stat.st_size for stat in files) / 2**20  # apparent: Qdrant's mapped files are sparse
        outcome["disk_mib"] = sum(stat.st_blocks * 512 for stat in files) / 2**20  # what the disk holds
        if size == SIZES[-1]:
            from serve_bench import measure

            try:
                outcome["serve"] = measure(data_dir)
            except Exception as error:  # noqa: BLE001 - recorded in the report; the size's other figures stand
                outcome["serve"] = {"error": f"{type(error).__name__}: {error}"}
    return outcome


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
    """Build an archive of about `chunks` synthetic chunks as ingest writes, then time warm searches."""
    from config import Settings
    from index.chunking import chunk_document, embedding_text
    from index.embed.embedder import Embedder
    from pipeline.writer import ArchiveWriter
    from synthetic import SyntheticCorpus

    embedder = Embedder()
    embedder.embed_query("uppvärmning")
    build_embedder = embedder
    if chunks > REAL_EMBEDDING_LIMIT:
        pool = [embedding_text(doc, chunk) for doc, _ in SyntheticCorpus(seed=99).documents_for_chunks(2400) for chunk in chunk_document(doc)]
        build_embedder = PooledEmbedder(embedder, pool)
    documents = 0
    started = time.perf_counter()
    with ArchiveWriter(Settings(data_dir=Path(data_dir), reocr="never"), embedder=build_embedder) as archive:
        with archive.order.batched():  # as `diarium ingest` writes: batches of documents, optimized every 10k points
            for doc, _ in SyntheticCorpus().documents_for_chunks(chunks):
                archive.order.queue(doc, doc.source)
                documents += 1
        archive.order.optimizing.now()  # as `diarium ingest` ends
        build_seconds = time.perf_counter() - started
        timings = archive.order.timings
        build_rss = peak_rss_mib()
        archive._embedder = embedder
        archive.vectors.keep_open()
        for query in queries():  # warm-up pass: the memory-mapped index pages in on first touch
            archive.search(query, limit=10)
        warm, warm_cpu = [], []
        for query in queries():
            wall, cpu = time.perf_counter(), time.process_time()
            archive.search(query, limit=10)
            warm.append(time.perf_counter() - wall)
            warm_cpu.append(time.process_time() - cpu)
        stored = archive.vectors.count()
    return {
        "chunks": stored, "documents": documents, "build_seconds": build_seconds, "documents_per_second": documents / build_seconds,
        "index_seconds": timings.index_seconds, "longest_hold_seconds": timings.longest_hold_seconds,
        "optimize_seconds": timings.optimize_seconds, "longest_optimize_seconds": timings.longest_optimize_seconds,
        "real_embeddings": build_embedder is embedder, "build_peak_rss_mib": build_rss,
        "warm_p50_ms": 1000 * percentile(warm, 0.5), "warm_p95_ms": 1000 * percentile(warm, 0.95),
        "warm_cpu_p50_ms": 1000 * percentile(warm_cpu, 0.5),
    }


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
    return {"pages": doc.page_count, "seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib()}


# --- the run -------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--scale"]:
        print(json.dumps(child_scale(int(argv[2]), argv[3])))
        return 0
    if argv[1:2] == ["--pdf500"]:
        print(json.dumps(child_pdf500(argv[2])))
        return 0
    report = Path(argv[1]) if len(argv) > 1 else REPORT
    settings = {name: value for name, value in os.environ.items() if name.startswith("BENCH_")}
    results: dict = {"machine_before": machine(), "sizes": SIZES, "settings": settings, "started": time.strftime("%Y-%m-%d %H:%M")}

    def attempt(action):
        """A stage's results, or {"error": ...} when it fails: one stage failing must not lose the others' hours."""
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - recorded in the report
            traceback.print_exc()
            return {"error": f"{type(error).__name__}: {error}"}

    def stage(name, action):
        started = time.perf_counter()
        results[name] = attempt(action)
        print(f"{name}: {time.perf_counter() - started:.0f} s {json.dumps(results[name], default=str)[:300]}", flush=True)

    stage("embedding", bench_embedding)
    stage("ingest", bench_ingest)
    stage("rerun", lambda: bench_unchanged_rerun(RERUN_FILES))
    results["scale"] = []
    for size in SIZES:
        started = time.perf_counter()
        results["scale"].append(attempt(lambda size=size: bench_scale(size)))
        print(f"scale {size}: {time.perf_counter() - started:.0f} s {json.dumps(results['scale'][-1])[:400]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="diarium-bench-pdf500-") as folder:
        stage("pdf500", lambda: run_child("--pdf500", folder))
    if QUALITY:
        def quality(folder: str) -> dict:
            from backend_quality import mrr, backend_ranks, mrr_difference_interval

            ranks = backend_ranks(Path(folder), log=lambda *_: None)
            found = {"queries": {part: len(r) for (part, backend, _), r in ranks.items() if backend == "torch"}}
            for (part, backend, mode), own in ranks.items():
                found.setdefault(part, {})[f"{backend} {mode}"] = mrr(own)
                if backend == "onnx-int8":  # how far the int8 - fp32 differences can be trusted
                    for reference in ("torch", "onnx"):
                        if (part, reference, mode) in ranks:
                            found[part][f"interval {mode} vs {reference}"] = list(mrr_difference_interval(own, ranks[part, reference, mode]))
            return found

        with tempfile.TemporaryDirectory(prefix="diarium-bench-quality-") as folder:
            stage("quality", lambda: quality(folder))
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
