"""Retrieval quality of each embedding backend: MRR@10 of the labelled queries
(data/eval/queries.toml) with the same processed documents, embedded by torch fp32 and
by the ONNX backends. It is the retrieval evaluation (tests/eval/retrieval_eval.py) run
per backend instead of per model: its corpus, queries, archives (ingested once by the
first backend, re-indexed from copies of the document store by the others, so every
backend searches exactly the same chunks) and passage-level judging. `onnx-int8` runs
the int8 graph only where the CPU has VNNI or AMX (index/embed/onnx_encoder.py), else
the fp32 one; the log names the graph each backend ran.
`python tests/bench/backend_quality.py` prints the table.

`mrr_difference_interval` says how far such a difference can be trusted: a paired
bootstrap over the queries (each resample draws queries with replacement and compares the
two backends on the same draw). With 54 queries, int8 and fp32 differ by near-ties at the
top that swap (rank 1 against 2 moves MRR by 0.009), so an interval wider than the 0.01
target says the evaluation cannot tell, not that int8 is worse.
"""

from __future__ import annotations

import random
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


BOOTSTRAP_RESAMPLES = 10_000


def backend_mrr(root: Path, backends=BACKENDS, modes=MODES, log=print) -> dict[tuple[str, str], float]:
    """MRR@10 (passage level, each query against its own variant) per (backend, mode)."""
    return {key: mrr(ranks) for key, ranks in backend_ranks(root, backends, modes, log).items()}


def mrr(ranks: list[int | None]) -> float:
    return sum(1 / rank for rank in ranks if rank) / len(ranks) if ranks else 0.0


def mrr_difference_interval(ranks: list[int | None], reference: list[int | None], share: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """The `share` interval of MRR(ranks) - MRR(reference) under a paired bootstrap over
    queries (both lists rank the same queries in the same order)."""
    gains = [(1 / a if a else 0.0) - (1 / b if b else 0.0) for a, b in zip(ranks, reference, strict=True)]
    draw = random.Random(seed)
    means = sorted(sum(draw.choices(gains, k=len(gains))) / len(gains) for _ in range(BOOTSTRAP_RESAMPLES))
    tail = (1 - share) / 2
    return means[int(tail * len(means))], means[int((1 - tail) * len(means)) - 1]


def backend_ranks(root: Path, backends=BACKENDS, modes=MODES, log=print) -> dict[tuple[str, str], list[int | None]]:
    """The rank of the first relevant passage of each query (None: not in the top 10) per (backend, mode)."""
    queries = load_queries()
    embedders = {backend: Embedder(DEFAULT_MODEL, backend=backend) for backend in backends}
    dirs = build_archives(root, embedders, log=log)
    results = {}
    for backend in backends:
        for mode in modes:
            run = Run()
            for variant in VARIANTS:
                run_queries(dirs[backend, variant], embedders[backend], mode, queries, variant, run)
            results[backend, mode] = run.scores(main_keys(queries)).ranks
            graph = getattr(embedders[backend]._model, "variant", "torch")
            log(f"  quality: {backend} ({graph}) {mode} MRR@10 {mrr(results[backend, mode]):.3f}")
    return results


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="diarium-quality-") as folder:
        found = backend_ranks(Path(folder))
        for mode in MODES:
            for reference in ("torch", "onnx"):
                low, high = mrr_difference_interval(found["onnx-int8", mode], found[reference, mode])
                print(f"{mode}: int8 - {reference} MRR@10 {mrr(found['onnx-int8', mode]) - mrr(found[reference, mode]):+.3f}, 95 % interval {low:+.3f} to {high:+.3f}")
