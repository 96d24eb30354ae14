"""Retrieval quality of each embedding backend: MRR@10 of the labelled queries of both
parts of the retrieval evaluation (`samples`: data/eval/queries.toml over the sample
PDFs; `real`: data/eval/queries_real.toml over real texts, tests/eval/real_retrieval.py)
with the same processed documents, embedded by torch fp32 and by the ONNX backends. Per
part, the archives are ingested once by the first backend and re-indexed from copies of
the document store by the others, so every backend searches exactly the same chunks;
judging is passage level as in each part. `onnx-int8` runs the int8 graph only where the
CPU has VNNI or AMX (index/embed/onnx_encoder.py), else the fp32 one; the log names the
graph each backend ran. `python tests/bench/backend_quality.py` prints the table.

`mrr_difference_interval` says how far a difference can be trusted: a paired bootstrap
over the queries (each resample draws queries with replacement and compares the two
backends on the same draw). int8 and fp32 differ by near-ties at the top that swap (on
54 queries rank 1 against 2 moves MRR by 0.009), which is why the real part exists: an
interval wider than the 0.01 target says the queries cannot tell, not that int8 is worse.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "eval")]

import real_retrieval
from retrieval_eval import VARIANTS, Run, build_archives, load_queries, main_keys, run_queries

from config import DEFAULT_MODEL
from index.embed.embedder import Embedder

BACKENDS = ("torch", "onnx", "onnx-int8")
MODES = ("hybrid", "dense")
PARTS = ("all", "samples", "real")


BOOTSTRAP_RESAMPLES = 10_000


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


def backend_ranks(root: Path, backends=BACKENDS, modes=MODES, log=print) -> dict[tuple[str, str, str], list[int | None]]:
    """The rank of the first relevant passage of each query (None: not in the top 10) per
    (part, backend, mode), part being `samples`, `real` or `all` (samples then real)."""
    embedders = {backend: Embedder(DEFAULT_MODEL, backend=backend) for backend in backends}
    queries = load_queries()
    dirs = build_archives(root / "samples", embedders, log=log)
    real_queries = real_retrieval.load_queries()
    real_dirs = real_retrieval.build_archives(root / "real", embedders, log=log)
    results = {}
    for backend in backends:
        graph = getattr(embedders[backend]._model, "variant", "torch")
        for mode in modes:
            run = Run()
            for variant in VARIANTS:
                run_queries(dirs[backend, variant], embedders[backend], mode, queries, variant, run)
            samples = run.scores(main_keys(queries)).ranks
            real, _ = real_retrieval.run_queries(real_dirs[backend], embedders[backend], mode, real_queries)
            results["samples", backend, mode], results["real", backend, mode] = samples, real
            results["all", backend, mode] = samples + real
            log(f"  quality: {backend} ({graph}) {mode} MRR@10 samples {mrr(samples):.3f} real {mrr(real):.3f} all {mrr(samples + real):.3f}")
    return results


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="diarium-quality-") as folder:
        found = backend_ranks(Path(folder))
        for part in PARTS:
            for mode in MODES:
                for reference in ("torch", "onnx"):
                    ours, theirs = found[part, "onnx-int8", mode], found[part, reference, mode]
                    low, high = mrr_difference_interval(ours, theirs)
                    print(f"{part} {mode}: int8 {mrr(ours):.3f} - {reference} {mrr(theirs):.3f} = {mrr(ours) - mrr(theirs):+.3f}, "
                          f"95 % interval {low:+.3f} to {high:+.3f} ({len(ours)} queries)")
