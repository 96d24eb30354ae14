"""Retrieval quality of each embedding backend: MRR@10 of the labelled queries
(data/eval/queries.toml) with the same processed documents, embedded by torch fp32 and
by the ONNX backends. It is the retrieval evaluation (tests/eval/retrieval_eval.py) run
per backend instead of per model: its corpus, queries, archives (ingested once by the
first backend, re-indexed from copies of the document store by the others, so every
backend searches exactly the same chunks) and passage-level judging. `onnx-int8` runs
the int8 graph only where the CPU has VNNI or AMX (index/embed/onnx_encoder.py), else
the fp32 one; the log names the graph each backend ran.
`python tests/bench/backend_quality.py` prints the table.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "eval")]

from config import DEFAULT_MODEL  # noqa: E402
from index.embed.embedder import Embedder  # noqa: E402
from retrieval_eval import VARIANTS, Run, build_archives, load_queries, main_keys, run_queries  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
MODES = ("hybrid", "dense")


def backend_mrr(root: Path, backends=BACKENDS, modes=MODES, log=print) -> dict[tuple[str, str], float]:
    """MRR@10 (passage level, each query against its own variant) per (backend, mode)."""
    queries = load_queries()
    embedders = {backend: Embedder(DEFAULT_MODEL, backend=backend) for backend in backends}
    dirs = build_archives(root, embedders, log=log)
    results = {}
    for backend in backends:
        for mode in modes:
            run = Run()
            for variant in VARIANTS:
                run_queries(dirs[backend, variant], embedders[backend], mode, queries, variant, run)
            results[backend, mode] = run.scores(main_keys(queries)).mrr
            graph = getattr(embedders[backend]._model, "variant", "torch")
            log(f"  quality: {backend} ({graph}) {mode} MRR@10 {results[backend, mode]:.3f}")
    return results


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="diarium-quality-") as folder:
        backend_mrr(Path(folder))
