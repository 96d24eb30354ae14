"""OCR repair evaluation: word error rate of OCR'd text layers before and after
restoration (normalize/restore.py), of re-OCR with Swedish tesseract, and of the digital
PDFs, per document, against gold text. Writes docs/eval-ocr.md (`make eval-ocr`).

The documents are listed in data/eval/ocr/documents.toml (with their train/held-out
split); WER is defined in tests/eval/wer.py. Every text goes through the real pipeline:
`ingest.read_document` (pdfplumber, page furniture removed), then `normalize_text`
without restoration ("raw") and with it ("restored"). "Changed correct words" counts the
words of a digital PDF's text layer that restoration turned from right (equal to gold)
into wrong: restoration must leave clean text alone. "Mixed" puts a document's digital
text layer and its OCR'd one into one text, as a PDF with digital pages and scanned ones
is: restoration must repair the damaged half and leave the clean half alone.

    python tests/eval/ocr_eval.py [--reocr [NAME,...|all]] [--only NAME,...] [--out docs/eval-ocr.md]

Re-OCR (Swedish tesseract on every page, slow) runs on the scanned sample documents
(data/samples/ 002–004) unless other names, or `all`, are given.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # siblings (a `tests` package in site-packages shadows ours)

import pdfplumber  # noqa: E402

from config import cache_dir  # noqa: E402
from ingest.reader import read_document  # noqa: E402
from normalize import normalize_text  # noqa: E402
from normalize.restore import restore_swedish  # noqa: E402
from wer import align, tokens  # noqa: E402

REGISTRY = ROOT / "data" / "eval" / "ocr" / "documents.toml"
MIXED_SEPARATOR = "\n\n§§§\n\n"  # no word (tests/eval/wer.py), and kept by restoration
WARM_UP = "Forslag till beslut: vald i nara relationer och hedersrelaterat fértryck, Arende, kommunévergripande."


@dataclass
class EvalDocument:
    name: str
    gold: Path
    ocr: Path
    split: str
    kind: str
    digital: Path | None = None
    scan: Path | None = None

    def gold_text(self) -> str:
        return self.gold.read_text(encoding="utf-8")


def load_documents(split: str | None = None, only: list[str] | None = None) -> list[EvalDocument]:
    registry = tomllib.loads(REGISTRY.read_text(encoding="utf-8"))
    documents = []
    for item in registry.get("document", []):
        paths = {key: ROOT / item[key] for key in ("gold", "ocr", "digital", "scan") if key in item}
        documents.append(EvalDocument(name=item["name"], split=item["split"], kind=item["kind"], **paths))
    for corpus in registry.get("corpus", []):
        for gold in sorted((ROOT / corpus["directory"]).glob("[0-9][0-9][0-9]_*.txt")):
            ocr = gold.with_suffix(".ocr.pdf")
            if not ocr.exists():
                continue  # not rendered yet
            digital = gold.with_suffix(".pdf")
            documents.append(
                EvalDocument(
                    name=gold.stem.split("_")[0],
                    gold=gold,
                    ocr=ocr,
                    digital=digital if digital.exists() else None,
                    split=corpus["split"],
                    kind=corpus["kind"],
                )
            )
    return [d for d in documents if (split is None or d.split == split) and (not only or d.name in only)]


# The code a text layer depends on before restoration (restoration itself is not cached).
_PRE_RESTORATION = ("normalize/__init__.py", "normalize/unicode.py", "normalize/hyphenation.py", "normalize/whitespace.py")


def _ingest_fingerprint() -> str:
    sources = sorted((ROOT / "ingest").glob("*.py")) + [ROOT / name for name in _PRE_RESTORATION]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]


def text_layer(pdf: Path, reocr: str = "never") -> str:
    """The PDF's text as the pipeline reads it, normalized but not restored (cached on
    disk by file content and the ingest/normalize code, since OCR and parsing are slow)."""
    key = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16] + f"-{reocr}-{_ingest_fingerprint()}"
    cached = cache_dir() / "eval-ocr" / f"{key}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    text, _ = normalize_text(read_document(pdf, reocr=reocr).text, restore=False)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(text, encoding="utf-8")
    return text


@dataclass
class Score:
    errors: int = 0
    words: int = 0

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else 0.0

    def add(self, other: Score) -> None:
        self.errors += other.errors
        self.words += other.words


def score(gold: list[str], text: str) -> Score:
    return Score(sum(1 for g, h in align(gold, tokens(text)) if g != h), len(gold))


def broken_correct_words(gold: list[str], before: str, after: str) -> int:
    """Words equal to gold in `before` but not in `after` (restoration damage)."""
    right_before = {i for i, (g, h) in enumerate(_gold_aligned(gold, before)) if g == h}
    return sum(1 for i, (g, h) in enumerate(_gold_aligned(gold, after)) if i in right_before and g != h)


def _gold_aligned(gold: list[str], text: str) -> list[tuple[str, str | None]]:
    """One (gold word, hypothesis word or None) per gold word."""
    out = []
    for g, h in align(gold, tokens(text)):
        if g is not None:
            out.append((g, h))
    return out


@dataclass
class Row:
    document: EvalDocument
    raw: Score
    restored: Score
    digital: Score | None = None
    digital_restored: Score | None = None
    digital_broken: int = 0
    reocr: Score | None = None
    mixed_restored: Score | None = None  # the OCR'd half of the mixed text
    mixed_broken: int = 0  # correct words of its digital half that restoration changed
    restore_seconds: float = 0.0  # wall clock
    restore_cpu_seconds: float = 0.0
    restored_words: int = 0
    pages: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)  # remaining (gold, restored) errors


def evaluate(document: EvalDocument, with_reocr: bool = False) -> Row:
    gold = tokens(document.gold_text())
    raw_text = text_layer(document.ocr)
    started, started_cpu = time.perf_counter(), time.process_time()
    restored_text, _ = restore_swedish(raw_text)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    row = Row(document, raw=score(gold, raw_text), restored=score(gold, restored_text), restore_seconds=seconds)
    row.restore_cpu_seconds = cpu_seconds
    row.restored_words = len(tokens(raw_text))
    with pdfplumber.open(document.ocr) as pdf:
        row.pages = len(pdf.pages)
    row.examples = [(g, h) for g, h in align(gold, tokens(restored_text)) if g != h]
    if document.digital:
        digital_text = text_layer(document.digital)
        digital_restored, _ = restore_swedish(digital_text)
        row.digital = score(gold, digital_text)
        row.digital_restored = score(gold, digital_restored)
        row.digital_broken = broken_correct_words(gold, digital_text, digital_restored)
        mixed, _ = restore_swedish(digital_text + MIXED_SEPARATOR + raw_text)
        clean_half, damaged_half = mixed.split(MIXED_SEPARATOR)
        row.mixed_broken = broken_correct_words(gold, digital_text, clean_half)
        row.mixed_restored = score(gold, damaged_half)
    if with_reocr:
        source = document.scan or document.ocr
        reocr_text, _ = restore_swedish(text_layer(source, reocr="always"))
        row.reocr = score(gold, reocr_text)
    return row


def reduction(raw: Score, restored: Score) -> float:
    return 1 - restored.errors / raw.errors if raw.errors else 1.0


def _pct(value: float) -> str:
    return f"{100 * value:.2f} %"


def report(rows: list[Row], with_reocr: bool) -> str:
    lines = [
        "# OCR repair evaluation",
        "",
        "Written by `make eval-ocr` (tests/eval/ocr_eval.py). WER: word-level Levenshtein distance over",
        "the words (runs of letters and digits with at least one letter, case-sensitive) divided by the",
        "number of gold words (tests/eval/wer.py). *raw*: the OCR'd PDF's text layer as ingest reads it;",
        "*restored*: after normalize/restore.py; *digital*: the digital PDF's text layer (before → after",
        "restoration); *broken*: correct words of the digital text layer that restoration changed;",
        "*re-OCR*: pages OCR'd again with Swedish tesseract, then restored.",
        "Train documents were used to learn the confusion table and looked at while tuning; held-out",
        "documents were never used for learning, though their remaining errors (listed below) were",
        "visible during development (data/eval/ocr/README.md).",
        "",
        "| document | split | kind | words | raw WER | restored WER | reduction | digital WER | broken on digital |"
        + (" re-OCR WER |" if with_reocr else ""),
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if with_reocr else ""),
    ]
    for row in rows:
        digital = f"{_pct(row.digital.wer)} → {_pct(row.digital_restored.wer)}" if row.digital else "–"
        broken = f"{row.digital_broken} / {row.digital.words}" if row.digital else "–"
        line = (
            f"| {row.document.name} | {row.document.split} | {row.document.kind} | {row.raw.words} | {_pct(row.raw.wer)} "
            f"| {_pct(row.restored.wer)} | {_pct(reduction(row.raw, row.restored))} | {digital} | {broken} |"
        )
        if with_reocr:
            line += f" {_pct(row.reocr.wer)} |" if row.reocr else " – |"
        lines.append(line)
    lines += ["", "| set | documents | words | raw WER | restored WER | WER reduction | broken on digital |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, subset in summary_sets(rows):
        raw, restored = Score(), Score()
        broken = digital_words = 0
        for row in subset:
            raw.add(row.raw)
            restored.add(row.restored)
            if row.digital:
                broken += row.digital_broken
                digital_words += row.digital.words
        lines.append(
            f"| {label} | {len(subset)} | {raw.words} | {_pct(raw.wer)} | {_pct(restored.wer)} | {_pct(reduction(raw, restored))} "
            f"| {broken} / {digital_words} |"
        )
    mixed = [row for row in rows if row.mixed_restored]
    if mixed:
        raw, restored = Score(), Score()
        for row in mixed:
            raw.add(row.raw)
            restored.add(row.mixed_restored)
        broken = sum(row.mixed_broken for row in mixed)
        words = sum(row.digital.words for row in mixed)
        lines += [
            "",
            f"Mixed, each document's digital text layer and its OCR'd one in one text ({len(mixed)} documents): "
            f"restored WER of the OCR'd half {_pct(restored.wer)} (raw {_pct(raw.wer)}), "
            f"broken on the digital half {broken} / {words}.",
        ]
    reocred = [row for row in rows if row.reocr]
    if reocred:
        total = Score()
        for row in reocred:
            total.add(row.reocr)
        names = ", ".join(row.document.name for row in reocred)
        lines += ["", f"Re-OCR with Swedish tesseract (`--reocr always`, then restored), documents {names}: WER {_pct(total.wer)} overall."]
    lines += ["", "## Speed", ""] + speed_lines(rows)
    lines += ["", "## Remaining errors (gold → restored), held-out documents", ""]
    for row in rows:
        if row.document.split == "heldout" and row.examples:
            shown = ", ".join(f"{g or '∅'} → {h or '∅'}" for g, h in row.examples[:40])
            lines.append(f"- **{row.document.name}**: {shown}")
    return "\n".join(lines) + "\n"


def startup_seconds() -> tuple[float, float]:
    """(import of normalize.restore, first restoration call) in a fresh interpreter, with
    the lexicon already compiled: what a CLI command pays before its first document."""
    probe = (
        "import time; t0 = time.perf_counter(); from normalize.restore import restore_swedish; "
        "t1 = time.perf_counter(); restore_swedish('Forslag till beslut om vald i nara relationer.'); "
        "t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    imported, first_call = map(float, result.stdout.split())
    return imported, first_call


def speed_lines(rows: list[Row]) -> list[str]:
    """Restoration time per document, each restored once, in order, after a warm-up on
    another text (lexicon loaded): tokens already seen in earlier documents are cached,
    as they are when an archive is ingested."""
    words = sum(row.restored_words for row in rows)
    cpu = sum(row.restore_cpu_seconds for row in rows)
    wall = sum(row.restore_seconds for row in rows)
    imported, first_call = startup_seconds()
    five = [row for row in rows if row.pages == 5]
    lines = [
        f"- {words / cpu:,.0f} words/s of CPU time over all {len(rows)} documents ({words} words, {cpu:.2f} s CPU, "
        f"{wall:.2f} s wall clock on a machine shared with other jobs).",
    ]
    if five:
        worst = max(five, key=lambda row: row.restore_cpu_seconds)
        mean = sum(row.restore_cpu_seconds for row in five) / len(five)
        lines.append(
            f"- 5-page documents ({', '.join(row.document.name for row in five)}): {1000 * mean:.0f} ms CPU on average, "
            f"at most {1000 * worst.restore_cpu_seconds:.0f} ms ({worst.document.name}, {worst.restored_words} words)."
        )
    lines.append(f"- Start-up in a fresh process: import {1000 * imported:.0f} ms, first call {1000 * first_call:.0f} ms (lexicon trie mapped, tables loaded).")
    return lines


def summary_sets(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    sets = [("all", rows)]
    for split in ("train", "heldout"):
        subset = [row for row in rows if row.document.split == split]
        if subset:
            sets.append((split, subset))
    for kind in ("synthetic", "real"):
        subset = [row for row in rows if row.document.kind == kind]
        if subset and len(subset) != len(rows):
            sets.append((kind, subset))
    return sets


def _reocr_wanted(document: EvalDocument, choice: str) -> bool:
    if choice == "all":
        return True
    if choice == "samples":  # the scanned samples; 000/001 are text layers drawn as text, nothing to re-read
        return document.ocr.parent.name == "samples" and document.kind == "synthetic"
    return document.name in choice.split(",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reocr", nargs="?", const="samples", default="", help="also re-OCR with Swedish tesseract (slow): samples (default), all, or names"
    )
    parser.add_argument("--only", default="", help="comma-separated document names")
    parser.add_argument("--out", default=str(ROOT / "docs" / "eval-ocr.md"))
    parser.add_argument("--json", action="store_true", help="print per-document numbers as JSON")
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name]
    restore_swedish(WARM_UP)  # lexicon load and first-use caches are not restoration time
    rows = [evaluate(document, with_reocr=_reocr_wanted(document, args.reocr)) for document in load_documents(only=only)]
    text = report(rows, bool(args.reocr))
    from reocr_policy import kept_section  # its own section of the file, measured by tests/eval/reocr_policy.py

    kept = kept_section(Path(args.out))
    text += f"\n{kept}" if kept else ""
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    if args.json:
        print(json.dumps({row.document.name: {"raw": row.raw.wer, "restored": row.restored.wer} for row in rows}, indent=1))
    else:
        print(text)


if __name__ == "__main__":
    main()
