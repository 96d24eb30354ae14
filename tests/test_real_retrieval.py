"""The real-text part of the retrieval evaluation (tests/eval/real_retrieval.py): its
labelled queries are sound data, and a chunk is judged by the answer passage's words.
The evaluation itself runs in `make eval-retrieval` and the bench (it embeds about a
thousand documents per backend)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from document import Hit

sys.path.insert(0, str(Path(__file__).resolve().parent / "eval"))
import real_retrieval

pytestmark = pytest.mark.skipif(not (real_retrieval.SHARED_REAL / "g0vse").is_dir(), reason="../shared/real is not beside the project")


def _hit(source: str, text: str) -> Hit:
    return Hit(doc_id="d", chunk_id="c", score=1.0, source=source, title="", municipality="", body="", date="",
               doc_type="", dnr=[], section="other", heading="", text=text)


def test_every_query_names_a_searched_document_that_holds_its_answer():
    files = {path.stem: path for path in real_retrieval.corpus_files()}
    queries = real_retrieval.load_queries()
    assert len(queries) >= 300
    for query in queries:
        assert len(query.answer) >= 8, query.text
        for doc in query.docs:
            assert doc in files, (query.text, doc)
            words = " " + " ".join(real_retrieval.folded_words(files[doc].read_text(encoding="utf-8"))) + " "
            assert f" {' '.join(query.answer)} " in words, (query.text, doc)


def test_queries_are_spread_over_many_documents_of_both_kinds():
    queries = real_retrieval.load_queries()
    per_doc = Counter(query.docs[0] for query in queries)
    assert max(per_doc.values()) <= 3
    municipal = sum(1 for query in queries if not query.docs[0][:4].isdigit())
    assert len(per_doc) >= 250 and municipal >= 80


def test_holdout_documents_are_not_searched():
    import json

    gold = json.loads((real_retrieval.OWN_REAL / "gold.json").read_text(encoding="utf-8"))["docs"]
    holdout = {Path(name).stem for name, entry in gold.items() if entry["split"] == "holdout"}
    assert holdout and not holdout & {path.stem for path in real_retrieval.corpus_files()}


def test_a_chunk_answers_when_it_holds_either_half_of_the_answer_from_the_right_document():
    query = real_retrieval.RealQuery("q", ("0092_x",), tuple(real_retrieval.folded_words(
        "Förmånen har dock visat sig vara svår att kontrollera då handläggningen till stor del är automatiserad")))
    assert query.answered_by(_hit("/g/0092_x.txt", "… sjuklönekostnader. Förmånen har dock visat sig vara svår att"))
    assert query.answered_by(_hit("/g/0092_x.txt", "kontrollera da handlaggningen till stor del ar automatiserad. Nästa"))
    assert not query.answered_by(_hit("/g/0092_x.txt", "Förmånen har dock visat sig vara"))  # under half
    assert not query.answered_by(_hit("/g/0093_y.txt", "Förmånen har dock visat sig vara svår att kontrollera"))
