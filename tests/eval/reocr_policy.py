"""Re-OCR policy and resolution: word error rate and CPU-seconds of each way of choosing
the pages Swedish tesseract reads again (never, the auto variants, always) at 150, 200
and 300 dpi, on the OCR evaluation set (data/eval/ocr/, its OCR'd PDFs as ingest gets
them) and on real Nykarleby pages (data/eval/reocr/: gold pages, and six tuning PDFs for
how many pages each policy reads). Writes its own section of docs/eval-ocr.md
("Re-OCR policy and resolution"), leaving the rest of the file as it is.

    python tests/eval/reocr_policy.py [--out docs/eval-ocr.md]

Every text goes through the real code: `ingest.pdf.text_layer` (pdfplumber), the policy's
page choice (`ingest.pdf.pages_to_reocr`, restoration included, timed), tesseract on the
chosen pages (`ingest.ocr.ocr_page`, timed as the CPU time of its child processes, one
page at a time), `ocr.better`, page furniture removed, then `normalize_text` with
restoration, scored by tests/eval/wer.py. Page reads are cached on disk by file content,
page and dpi (cache_dir()/eval-ocr/pages/), so a rerun costs seconds; the cache keeps
the CPU time measured when the page was read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import cache_dir  # noqa: E402
from document import PAGE_BREAK, Page  # noqa: E402
from ingest import damage, ocr  # noqa: E402
from ingest.layout import strip_furniture  # noqa: E402
from ingest.pdf import TextLayer, pages_to_reocr, text_layer  # noqa: E402
from lexicon import rejected_words  # noqa: E402
from normalize import normalize_text  # noqa: E402
from ocr_eval import Score, load_documents, score  # noqa: E402
from wer import tokens  # noqa: E402

PAGES = ROOT / "data" / "eval" / "reocr" / "pages.toml"
SHARED = ROOT.parent / "shared" / "real" / "documents"
# The Nykarleby PDFs tuned on (`tune` in data/eval/real/gold.json, and the shared set):
# how many pages each policy reads in real protocols and agendas.
NYKARLEBY = [
    *sorted(SHARED.glob("*.pdf")),
    ROOT / "data/eval/real/documents/nykarleby_personalsektionen_protokoll_29_05_2023_15_00_164658.pdf",
    ROOT / "data/eval/real/documents/nykarleby_ungdomsfullmaktige_protokoll_09_05_2023_16_15_162526.pdf",
]
DPIS = (100, 150, 200, 300)
SECTION = "## Re-OCR policy and resolution"


def _previous_auto(layer: TextLayer) -> list[int]:
    """The auto policy before this measurement: pages without text, and scans whose raw
    text layer had 8 % or more rejected lower-case words (judged with the whole document
    below 20 words)."""
    counts = [rejected_words(page.text) for page in layer.pages]
    rejected, checked = sum(r for r, _ in counts), sum(c for _, c in counts)
    document_damaged = checked >= 20 and rejected / checked >= 0.08
    damaged = {i for i, (r, c) in enumerate(counts) if c and r / c >= 0.08 and (c >= 20 or document_damaged)}
    return sorted({i for i, page in enumerate(layer.pages) if not page.text.strip()} | (damaged & layer.scanned))


def _auto(threshold: float) -> Policy:
    return lambda layer: pages_to_reocr(layer, "auto", threshold=threshold)


Policy = Callable[[TextLayer], list[int]]
THRESHOLDS = (0.03, 0.05, 0.10, 0.20)
POLICIES: dict[str, Policy] = {
    "never": lambda layer: pages_to_reocr(layer, "never"),
    "auto until now: scans with a damaged layer": _previous_auto,
    **{
        f"auto, unreadable ≥ {100 * threshold:.0f} %{' (chosen)' if threshold == damage.UNREADABLE_SHARE else ''}": _auto(threshold)
        for threshold in THRESHOLDS
    },
    "always": lambda layer: pages_to_reocr(layer, "always"),
}


@dataclass
class Read:
    text: str
    cpu: float  # CPU-seconds of pdftoppm and tesseract


def read_page(pdf: Path, number: int, dpi: int) -> Read:
    """One page read by tesseract (cached; see the module docstring)."""
    key = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / "eval-ocr" / "pages" / f"{key}-{number}-{dpi}.json"
    if cached.exists():
        return Read(**json.loads(cached.read_text(encoding="utf-8")))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = ocr.ocr_page(pdf, number, dpi)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    read = Read(text, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(read.__dict__, ensure_ascii=False), encoding="utf-8")
    return read


@dataclass
class Source:
    """A PDF with its text layer, read once."""

    pdf: Path
    layer: TextLayer

    @classmethod
    def load(cls, pdf: Path) -> Source:
        return cls(pdf, text_layer(pdf))

    @property
    def pages(self) -> list[Page]:
        return self.layer.pages

    def choose(self, policy: Policy) -> tuple[list[int], float]:
        """The pages the policy reads again, and the CPU-seconds it took to choose them."""
        started = time.process_time()
        chosen = policy(self.layer)
        return chosen, time.process_time() - started

    def texts(self, chosen: list[int], dpi: int) -> tuple[list[str], float]:
        """Page texts after reading the chosen pages (the better text kept), and the OCR CPU-seconds."""
        texts = [page.text for page in self.pages]
        cpu = 0.0
        for index in chosen:
            read = read_page(self.pdf, index + 1, dpi)
            cpu += read.cpu
            if ocr.better(texts[index], read.text):
                texts[index] = read.text
        return texts, cpu


@dataclass
class Cell:
    """One policy at one resolution, summed over a set."""

    score: Score = field(default_factory=Score)
    pages_read: int = 0
    pages: int = 0
    ocr_cpu: float = 0.0
    choice_cpu: float = 0.0


def _restored(text: str) -> str:
    return normalize_text(text)[0]


def evaluate_eval_set(sources: dict[Path, Source], gold: dict[Path, str], policy: Policy, dpi: int) -> Cell:
    cell = Cell()
    for path, source in sources.items():
        chosen, choice_cpu = source.choose(policy)
        texts, cpu = source.texts(chosen, dpi)
        cell.score.add(score(tokens(gold[path]), _restored(PAGE_BREAK.join(strip_furniture(texts)))))
        cell.pages_read += len(chosen)
        cell.pages += len(source.pages)
        cell.ocr_cpu += cpu
        cell.choice_cpu += choice_cpu
    return cell


def evaluate_gold_pages(sources: dict[Path, Source], gold_pages: list[tuple[Path, int, str]], policy: Policy, dpi: int) -> Cell:
    """WER on the gold pages, each page as the policy leaves it (its running header is in
    the gold, so furniture is not removed)."""
    cell = Cell()
    chosen_by_pdf = {path: set(sources[path].choose(policy)[0]) for path in {path for path, _, _ in gold_pages}}
    for path, number, gold in gold_pages:
        index = number - 1
        chosen = [index] if index in chosen_by_pdf[path] else []
        texts, cpu = sources[path].texts(chosen, dpi)
        cell.score.add(score(tokens(gold), _restored(texts[index])))
        cell.pages_read += len(chosen)
        cell.pages += 1
        cell.ocr_cpu += cpu
    return cell


def count_nykarleby(sources: dict[Path, Source], policy: Policy) -> Cell:
    """How many of the Nykarleby pages a policy reads, and the CPU to choose them."""
    cell = Cell()
    for source in sources.values():
        chosen, choice_cpu = source.choose(policy)
        cell.pages_read += len(chosen)
        cell.pages += len(source.pages)
        cell.choice_cpu += choice_cpu
    return cell


def cpu_per_page(sources: list[Source], dpi: int) -> tuple[float, int]:
    """Mean OCR CPU-seconds a page at this dpi, over every page of these PDFs."""
    reads = [read_page(source.pdf, page.number, dpi) for source in sources for page in source.pages]
    return sum(read.cpu for read in reads) / len(reads), len(reads)


def measure() -> str:
    documents = load_documents()
    eval_sources = {d.ocr: Source.load(d.ocr) for d in documents}
    eval_gold = {d.ocr: d.gold_text() for d in documents}
    digital_sources = {d.digital: Source.load(d.digital) for d in documents if d.digital}
    entries = tomllib.loads(PAGES.read_text(encoding="utf-8"))["page"]
    gold_pages = [((ROOT / e["pdf"]).resolve(), e["page"], (PAGES.parent / e["gold"]).read_text(encoding="utf-8")) for e in entries]
    nykarleby = {path.resolve(): Source.load(path) for path in NYKARLEBY}
    for path, _, _ in gold_pages:
        nykarleby.setdefault(path, Source.load(path))
    # CPU a page: every page of the eval set and of two whole Nykarleby protocols
    sample = list(eval_sources.values()) + [nykarleby[(SHARED / name).resolve()] for name in (
        "ungdomsfullmaktige_protokoll_30_01_2023_16_15_153457.pdf", "valfardsnamnden_protokoll_15_09_2022_18_00_139758.pdf")]
    per_page = {dpi: cpu_per_page(sample, dpi) for dpi in DPIS}
    nykarleby_per_page = {dpi: cpu_per_page(sample[-2:], dpi)[0] for dpi in DPIS}

    rows = []
    for name, policy in POLICIES.items():
        counts = count_nykarleby({p: s for p, s in nykarleby.items() if p in {x.resolve() for x in NYKARLEBY}}, policy)
        digital_read = sum(len(s.choose(policy)[0]) for s in digital_sources.values())
        for dpi in DPIS if name != "never" else DPIS[:1]:
            eval_cell = evaluate_eval_set(eval_sources, eval_gold, policy, dpi)
            gold_cell = evaluate_gold_pages(nykarleby, gold_pages, policy, dpi)
            rows.append((name, dpi if name != "never" else None, eval_cell, gold_cell, counts, digital_read, nykarleby_per_page[dpi]))
    return _section(rows, per_page, len(gold_pages))


def _pct(value: float) -> str:
    return f"{100 * value:.2f} %"


def _section(rows, per_page, gold_page_count: int) -> str:
    eval_pages = rows[0][2].pages
    nykarleby_pages = rows[0][4].pages
    lines = [
        SECTION,
        "",
        "Written by `python tests/eval/reocr_policy.py` (section of its own; the rest of this file is",
        "`make eval-ocr`'s). Which pages should Swedish tesseract read again? Each policy at each",
        "resolution, every text through the real code (text layer, the policy's choice, tesseract, the",
        "better text kept, page furniture removed, restoration) and scored against gold:",
        "- *eval set*: the OCR evaluation set above as ingest gets it (the OCR'd PDFs: scans with an",
        f"  English-model text layer, and 000/001, whose damaged layer is drawn as text), {eval_pages} pages;",
        f"- *Nykarleby gold pages*: {gold_page_count} real pages with gold text (data/eval/reocr/: broken font",
        "  encodings, clean, bilingual, a stamp-only scan);",
        f"- *Nykarleby pages read*: of the {nykarleby_pages} pages of the six tuning PDFs (four agendas and",
        "  protocols of ../shared/real, two of data/eval/real), with their OCR CPU estimated from the mean",
        "  CPU a page of two whole protocols at that resolution;",
        "- *digital pages read*: pages of the eval set's digital PDFs a policy reads (0 keeps clean digital",
        "  text untouched).",
        "CPU-s: CPU time of pdftoppm and tesseract (one page at a time), plus the policy's own choice",
        "(restoration of the candidate pages), in CPU-seconds.",
        "",
        "| policy | dpi | eval set: pages read | eval set: CPU-s | eval set: WER | Nykarleby gold pages: WER | Nykarleby pages read | Nykarleby: CPU-s (est.) | digital pages read |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, dpi, eval_cell, gold_cell, counts, digital_read, nykarleby_cpu in rows:
        chosen = "(chosen)" in name and dpi == ocr.OCR_DPI
        lines.append(
            f"| {'**' + name + '**' if chosen else name} | {dpi or '–'} | {eval_cell.pages_read} / {eval_cell.pages} | {eval_cell.ocr_cpu + eval_cell.choice_cpu:.1f} "
            f"| {_pct(eval_cell.score.wer)} | {_pct(gold_cell.score.wer)} | {counts.pages_read} / {counts.pages} "
            f"| {counts.pages_read * nykarleby_cpu + counts.choice_cpu:.0f} | {digital_read} |"
        )
    lines += ["", "OCR CPU a page (pdftoppm + tesseract, one thread):", ""]
    lines += [f"- {dpi} dpi: {cpu:.2f} CPU-s a page (mean over {n} pages)" for dpi, (cpu, n) in per_page.items()]
    lines += [
        "",
        f"Chosen (the bold row; `ingest.damage.UNREADABLE_SHARE`, `ingest.ocr.OCR_DPI`): auto at "
        f"{100 * damage.UNREADABLE_SHARE:.0f} % and {ocr.OCR_DPI} dpi. A scan whose English-model layer restoration",
        "repairs is not read again (the eval set keeps restoration's WER and spends no OCR); what restoration",
        "cannot repair, the broken font encodings of born-digital pages and a scan with only a stamp line, is",
        "read. The lowest threshold that reads no digital page, and the lowest resolution that keeps the WER",
        "of both sets; the reasons are in the docstrings of ingest/damage.py and ingest/ocr.py.",
    ]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    """`document` with its re-OCR policy section replaced by `section` (appended if absent)."""
    start = document.find(SECTION)
    if start < 0:
        return document.rstrip("\n") + "\n\n" + section
    end = document.find("\n## ", start + len(SECTION))
    return document[:start] + section + (document[end + 1 :] if end >= 0 else "")


def kept_section(path: Path) -> str:
    """The section as the file has it now ('' if none), for ocr_eval.py to keep when it rewrites the file."""
    if not path.exists():
        return ""
    document = path.read_text(encoding="utf-8")
    start = document.find(SECTION)
    if start < 0:
        return ""
    end = document.find("\n## ", start + len(SECTION))
    return document[start : end + 1 if end >= 0 else len(document)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "eval-ocr.md"))
    args = parser.parse_args()
    section = measure()
    out = Path(args.out)
    out.write_text(replace_section(out.read_text(encoding="utf-8") if out.exists() else "", section), encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
