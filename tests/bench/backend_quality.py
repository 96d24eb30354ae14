"""Retrieval quality of each embedding backend: MRR@10 of the labelled queries
(data/eval/queries.toml) with the same processed documents, embedded by torch fp32 and
by the ONNX backends. It reuses the retrieval evaluation (tests/eval/retrieval_eval.py):
its corpus, its queries and its passage-level judging.

The archives are ingested once (torch), and each other backend `reindex`es a copy of
the document store, so every backend searches exactly the same chunks.
`python tests/bench/backend_quality.py` prints the table.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "eval")]

from config import DEFAULT_MODEL, Settings  # noqa: E402
from index.embedding import Embedder  # noqa: E402
from pipeline import Archive  # noqa: E402
from retrieval_eval import VARIANTS, Scores, corpus_files, first_relevant_rank, load_queries  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
MODES = ("hybrid", "dense")
CHUNKS_SEARCHED = 60


def backend_mrr(root: Path, backends=BACKENDS, modes=MODES, log=print) -> dict[tuple[str, str], float]:
    """MRR@10 (passage level, each query against its own variant) per (backend, mode)."""
    queries = load_queries()
    embedders = {backend: Embedder(DEFAULT_MODEL, backend=backend) for backend in backends}
    dirs: dict[tuple[str, str], Path] = {}
    first, *others = backends
    for variant in VARIANTS:
        built = root / f"{variant}-{first}"
        with Archive(Settings(data_dir=built, reocr="never"), embedder=embedders[first]) as archive:
            archive.ingest(corpus_files(variant))
        dirs[first, variant] = built
        for backend in others:
            copy = root / f"{variant}-{backend}"
            copy.mkdir(parents=True)
            with sqlite3.connect(built / "documents.sqlite") as source, sqlite3.connect(copy / "documents.sqlite") as target:
                source.backup(target)
            with Archive(Settings(data_dir=copy), embedder=embedders[backend]) as archive:
                archive.reindex()
            dirs[backend, variant] = copy
        log(f"  quality: {variant} archives built")
    results = {}
    for backend in backends:
        for mode in modes:
            scores = Scores()
            for variant in VARIANTS:
                with Archive(Settings(data_dir=dirs[backend, variant]), embedder=embedders[backend]) as archive:
                    for query in queries:
                        if ("ocr" if query.ocr else "digital") != variant:
                            continue
                        hits = archive.search(query.text, limit=CHUNKS_SEARCHED, mode=mode, all_chunks=True)
                        scores.add(first_relevant_rank(query, hits, passages=True))
            results[backend, mode] = scores.mrr
            log(f"  quality: {backend} {mode} MRR@10 {scores.mrr:.3f}")
    return results


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="diarium-quality-") as folder:
        backend_mrr(Path(folder))
