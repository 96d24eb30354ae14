"""Retrieval on real texts: the labelled Swedish queries of data/eval/queries_real.toml
over documents nobody here wrote, the second part of the retrieval evaluation
(tests/eval/retrieval_eval.py runs the samples part and this one; the bench's
backend_quality.py compares embedding backends on both).

Why it exists: the 54 sample queries cannot tell a 0.01 difference of MRR@10 between
two embeddings (one query moving from rank 1 to 2 is 0.009). These queries were written
blind to the system, by reading each document, as a researcher or journalist would ask.

How it is measured:
- One archive is built end to end by `pipeline.writer.ArchiveWriter` (`reocr="never"`)
  from `corpus_files()`: the clean government texts 0000–0999 of the shared g0vse set
  (press releases, remisser, propositions, directives) and the real municipal text
  documents of the TUNE split of data/eval/real/ and of the shared set (Kungsbacka,
  Botkyrka). HOLDOUT documents stay out: the queries' writers never read them.
- A chunk answers a query when it comes from the query's document (or one named in its
  `also`) and contains the first or the last half of the query's `answer` words (the
  passage the writer copied from the document), so that an answer split over two chunks
  counts in either. Words are compared folded (lower case, no diacritics, letters and
  digits only), so restoration or chunk boundaries do not decide.
- Passage rank: the first answering chunk among the first ten chunks of the
  `--all-chunks` search. Document rank: the query's document in the default search
  (one hit per document). MRR@10, nDCG@10 and Recall@10 as in the samples part.
"""

from __future__ import annotations

import json
import math
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from document import Hit
from index.embed.embedder import Embedder
from pipeline.archive import Archive
from swedish.fold import strip_diacritics

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUERIES = PROJECT_ROOT / "data" / "eval" / "queries_real.toml"
SHARED_REAL = PROJECT_ROOT.parent / "shared" / "real"
OWN_REAL = PROJECT_ROOT / "data" / "eval" / "real"
G0VSE_FILES = range(1000)  # which g0vse texts (by their number) are searched
CUTOFF = 10
VARIANT = "real"


def folded_words(text: str) -> list[str]:
    """Lower case, diacritics and invisible format characters (soft hyphens) dropped, split
    into runs of letters and digits."""
    kept = (ch for ch in strip_diacritics(text.lower()) if unicodedata.category(ch) != "Cf")
    plain = "".join(ch if ch.isalnum() else " " for ch in kept)
    return plain.split()


@dataclass(frozen=True)
class RealQuery:
    text: str
    docs: tuple[str, ...]  # file stems: the query's document, then any in `also`
    answer: tuple[str, ...]  # folded words of the answering passage

    def halves(self) -> tuple[str, str]:
        half = math.ceil(len(self.answer) / 2)
        return " ".join(self.answer[:half]), " ".join(self.answer[-half:])

    def names(self, hit: Hit) -> bool:
        """The hit is from one of the query's documents (under any of the paths of its content)."""
        return any(Path(source).stem in self.docs for source in hit.sources or [hit.source])

    def answered_by(self, hit: Hit) -> bool:
        if not self.names(hit):
            return False
        chunk = " " + " ".join(folded_words(hit.text)) + " "
        return any(f" {half} " in chunk for half in self.halves())


def load_queries(path: Path = QUERIES) -> list[RealQuery]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        RealQuery(q["text"], (q["doc"], *q.get("also", [])), tuple(folded_words(q["answer"])))
        for q in data["query"]
    ]


def corpus_files(shared: Path = SHARED_REAL) -> list[Path]:
    """The g0vse texts of G0VSE_FILES and the real municipal text documents outside HOLDOUT."""
    g0vse = [p for p in sorted((shared / "g0vse").glob("*.txt")) if p.name[:4].isdigit() and int(p.name[:4]) in G0VSE_FILES]
    gold = json.loads((OWN_REAL / "gold.json").read_text(encoding="utf-8"))["docs"]
    own = [OWN_REAL / "documents" / name for name, entry in sorted(gold.items())
           if entry.get("split") == "tune" and Path(name).suffix in (".txt", ".md")]
    return g0vse + own + sorted((shared / "documents").glob("*.txt"))


def build_archives(root: Path, embedders: dict[str, Embedder], log=print) -> dict[str, Path]:
    """One data directory per embedder label over `corpus_files()`, all searching the same
    chunks (retrieval_eval.build_archives). Files the ingest refuses (a g0vse text in
    English or Northern Sami) are left out and logged."""
    from retrieval_eval import build_archives as build  # it imports this module

    refused: list[tuple[str, str]] = []
    dirs = build(root, embedders, log=log, corpus={VARIANT: corpus_files()}, refused=refused)
    for path, message in refused:
        log(f"  real texts: left out {Path(path).name}: {message}")
    return {label: folder for (label, _), folder in dirs.items()}


def first_rank(hits: list[Hit], relevant) -> int | None:
    """1-based rank of the first hit for which `relevant(hit)` holds, within CUTOFF."""
    for rank, hit in enumerate(hits[:CUTOFF], 1):
        if relevant(hit):
            return rank
    return None


def run_queries(data_dir: Path, embedder: Embedder, mode: str, queries: list[RealQuery]) -> tuple[list, list]:
    """(passage ranks, document ranks) of every query, in order."""
    passages, documents = [], []
    with Archive(Settings(data_dir=data_dir, model=embedder.model_name), embedder=embedder) as archive, archive.vectors.session():
        for query in queries:
            chunks = archive.search(query.text, limit=CUTOFF, mode=mode, all_chunks=True).hits
            passages.append(first_rank(chunks, query.answered_by))
            hits = archive.search(query.text, limit=CUTOFF, mode=mode).hits
            documents.append(first_rank(hits, query.names))
    return passages, documents
