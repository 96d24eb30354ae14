"""The retrieval targets, on the small run of the retrieval evaluation (tests/eval/
retrieval_eval.py): every labelled query against archives of the digital and of the
OCR'd PDFs built by the real pipeline (`reocr="never"`), with the default model and the
default search mode only. `make eval-retrieval` adds the other modes and the baseline
model and writes docs/eval-retrieval.md."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

from config import DEFAULT_MODEL
from pipeline.archive import Archive

sys.path.insert(0, str(Path(__file__).resolve().parent / "eval"))
import retrieval_eval  # noqa: E402

DEFAULT_MODE = inspect.signature(Archive.search).parameters["mode"].default


@pytest.fixture(scope="module")
def eval_run(tmp_path_factory):
    queries = retrieval_eval.load_queries()
    runs, _ = retrieval_eval.evaluate(tmp_path_factory.mktemp("retrieval-eval"), [DEFAULT_MODEL], [DEFAULT_MODE], queries, log=lambda _: None)
    return queries, runs[DEFAULT_MODEL, DEFAULT_MODE]


@pytest.mark.slow
def test_the_passage_that_answers_is_found_and_ranked_high(eval_run):
    queries, run = eval_run
    assert len(queries) >= 40 and sum(query.ocr for query in queries) >= len(queries) // 2
    scores = run.scores(retrieval_eval.main_keys(queries))
    assert scores.recall >= 0.95, _misses(queries, run)
    assert scores.mrr >= 0.85, _misses(queries, run)


@pytest.mark.slow
def test_ocrd_documents_score_within_003_of_their_digital_versions(eval_run):
    queries, run = eval_run
    digital = run.scores(retrieval_eval.paired_keys(queries, "digital"))
    ocr = run.scores(retrieval_eval.paired_keys(queries, "ocr"))
    assert ocr.mrr >= digital.mrr - 0.03, (digital.mrr, ocr.mrr, _misses(queries, run))
    assert ocr.recall >= digital.recall - 0.03, (digital.recall, ocr.recall)


def _misses(queries, run) -> list[tuple[str, str, int | None]]:
    return [(queries[n].text, variant, rank) for (n, variant), rank in run.passage.items() if rank != 1]
