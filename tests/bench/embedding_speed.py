"""Embedding speed per backend on real chunks: chunks per CPU-second and per wall second.

The chunks are real Swedish text: the evaluation corpus (data/eval/corpus/*.txt) and the
first government texts of /work/shared/real/g0vse/, each cut as ingest cuts a section
(paragraphs packed into pieces of at most CHUNK_WORDS words) and embedded as ingest
embeds a chunk (its document's title, a newline, the piece). 600 of them average 159
tokens; ingest's chunks of municipal documents averaged 122, so chunks/CPU-s here read a
little low against those, and `tokens_per_chunk` is recorded to compare.

Each configuration (`BACKEND` or `BACKEND:THREADS`, THREADS = ONNX Runtime threads)
embeds them in two ways:

- `per_document`: one `embed_passages` call per document, as ingest called it until now
  (every batch padded to its longest chunk, small documents in small batches);
- `one_call`: one call for all of them, as the pipeline calls it for a batch of
  documents (the ONNX encoder sorts the whole call by length).

CPU seconds are the process's (all threads), so chunks per CPU-second say what embedding
costs when the cores are shared with PDF parsing; wall figures say how soon a call
returns. Each figure is the best of `repeats` runs after a warm-up call, since anything
else running on the machine only slows a run (the load average is recorded). The CPU's
SIMD flags are recorded with the figures: int8 speed depends on them (VNNI, AMX).

`python tests/bench/embedding_speed.py [--limit N] [--repeats R] [CONFIGURATION ...]`
prints the JSON of `measure()`; `make bench` calls `measure()`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import DEFAULT_MODEL  # noqa: E402

TEXT_SOURCES = (ROOT / "data" / "eval" / "corpus", ROOT.parent / "shared" / "real" / "g0vse")
CONFIGURATIONS = ("torch", "onnx", "onnx-int8", "onnx-int8:1")
CHUNK_LIMIT = 600
CHUNK_WORDS = 120
REPEATS = 2
SIMD_FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8")


def _pieces(text: str, max_words: int) -> list[str]:
    """Paragraphs packed into pieces of at most `max_words` words (a longer paragraph is
    cut at sentence ends, a longer sentence at words), as ingest chunks a section."""
    units = []
    for paragraph in re.split(r"\n\s*\n", text):
        words = paragraph.split()
        units += [paragraph] if len(words) <= max_words else re.split(r"(?<=[.!?])\s+", paragraph)
    pieces: list[str] = []
    current: list[str] = []
    for unit in units:
        words = unit.split()
        if current and len(current) + len(words) > max_words:
            pieces.append(" ".join(current))
            current = []
        if len(words) > max_words:
            pieces += [" ".join(words[start : start + max_words]) for start in range(0, len(words), max_words)]
        else:
            current += words
    return pieces + ([" ".join(current)] if current else [])


def document_texts(limit: int = CHUNK_LIMIT) -> list[list[str]]:
    """Per document, the texts its chunks are embedded as (title, then the piece), until
    `limit` chunks in all."""
    documents = []
    total = 0
    for folder in TEXT_SOURCES:
        for path in sorted(folder.glob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            title = title.lstrip("# ").strip()
            texts = [f"{title}\n{piece}" for piece in _pieces(body, CHUNK_WORDS)][: limit - total]
            if texts:
                documents.append(texts)
                total += len(texts)
            if total >= limit:
                return documents
    return documents


def machine() -> dict:
    info = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), platform.processor())
    flags = set(next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), []))
    import onnxruntime

    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "simd": [flag for flag in SIMD_FLAGS if flag in flags],
        "load": [round(load, 2) for load in os.getloadavg()],
        "onnxruntime": onnxruntime.__version__,
    }


def tokens_per_chunk(texts: list[str]) -> float:
    """Mean tokens of the passages as the default model sees them (prefix and special tokens included)."""
    from tokenizers import Tokenizer

    from index.embed.embedder import resolve_model_path

    tokenizer = Tokenizer.from_file(str(Path(resolve_model_path(DEFAULT_MODEL)) / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    return round(statistics.mean(len(encoding.ids) for encoding in tokenizer.encode_batch(["passage: " + t for t in texts])), 1)


def _best_run(action, repeats: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of `repeats` runs, after one warm-up."""
    action()
    runs = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def _embedder(configuration: str):
    from index.embed.embedder import Embedder

    backend, _, threads = configuration.partition(":")
    return Embedder(DEFAULT_MODEL, backend=backend, **({"threads": int(threads)} if threads else {}))


def measure(configurations=CONFIGURATIONS, limit: int = CHUNK_LIMIT, repeats: int = REPEATS, log=None) -> dict:
    """Chunks/CPU-s and chunks/s per configuration, per document and in one call."""
    documents = document_texts(limit)
    texts = [text for document in documents for text in document]
    results: dict = {
        "machine": machine(),
        "chunks": len(texts),
        "documents": len(documents),
        "tokens_per_chunk": tokens_per_chunk(texts),
        "repeats": repeats,
    }
    for configuration in configurations:
        embedder = _embedder(configuration)
        started = time.perf_counter()
        embedder.embed_query("uppvärmning")
        figures: dict = {"load_seconds": round(time.perf_counter() - started, 3)}
        calls = {
            "per_document": lambda: [embedder.embed_passages(document) for document in documents],
            "one_call": lambda: embedder.embed_passages(texts),
        }
        for name, action in calls.items():
            wall, cpu = _best_run(action, repeats)
            figures[name] = {
                "chunks_per_cpu_second": round(len(texts) / cpu, 2),
                "chunks_per_second": round(len(texts) / wall, 2),
            }
        variant = getattr(embedder._model, "variant", None)  # the graph the ONNX backends ran
        if variant:
            figures["variant"] = variant
        results[configuration] = figures
        if log:
            log(f"{configuration}: {json.dumps(figures)}")
    results["load_after"] = [round(load, 2) for load in os.getloadavg()]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("configurations", nargs="*", default=list(CONFIGURATIONS), help="BACKEND or BACKEND:THREADS")
    parser.add_argument("--limit", type=int, default=CHUNK_LIMIT, help="chunks embedded")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    results = measure(args.configurations, args.limit, args.repeats, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
