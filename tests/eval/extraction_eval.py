"""Extraction evaluation: run the pipeline on every PDF named in data/eval/extraction/*.json
and compare sections, proposals, metadata and entities with the gold written by hand.

Run `make eval-extract` (or `python tests/eval/extraction_eval.py [REPORT.md]`); it writes
docs/eval-extraction.md. Documents are grouped into `seeds` (the five sample documents)
and `corpus` (documents the rules were not written on), each read from its digital
(text-layer) PDF and from its scanned, English-OCR'd PDF with `reocr="never"`, so the
OCR'd text layer is used as it is.

Matching: text is compared folded (lower case, no diacritics, OCR digit/sign confusions
undone; see swedish/fold.py), with a genitive `s` dropped, and a prediction matches
a gold string when their similarity ratio is at least the threshold below, because OCR
damage such as `Stdngéstaden` for `Stångåstaden` must not count as a different entity
when it is the same mention.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from document import Document  # noqa: E402
from swedish.fold import fold  # noqa: E402

GOLD_DIR = PROJECT_ROOT / "data" / "eval" / "extraction"
REPORT = PROJECT_ROOT / "docs" / "eval-extraction.md"
ENTITY_LABELS = ("PRS", "ORG", "LOC", "TME", "MSR", "DNR", "LAW", "PARTY")
TARGET_LABELS = ("PRS", "ORG", "LOC")
TARGET_SECTIONS = ("proposals", "arende", "samrad")
TARGET_F1 = 0.90
METADATA_FIELDS = ("dnr", "date", "municipality", "body", "doc_type", "author", "title")
ENTITY_MATCH = 0.85
HEADING_MATCH = 0.85
FIRST_LINE_MATCH = 0.8
FIRST_LINE_CHARS = 40
TITLE_MATCH = 0.9


def key(text: str) -> str:
    """Comparison form: folded, punctuation-insensitive, without a genitive ending."""
    folded = fold(text).strip(" .,:;")
    return re.sub(r":?s$", "", folded) if len(folded) > 3 else folded


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def match_pairs(predicted: list[str], gold: list[str], threshold: float) -> list[tuple[int, int]]:
    """One-to-one matching of predicted to gold strings, best pairs first."""
    pairs = sorted(
        ((similar(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g, matched = set(), set(), []
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentResult:
    name: str
    variant: str
    entities: dict[str, Counts] = field(default_factory=dict)
    entity_errors: list[str] = field(default_factory=list)
    sections: dict[str, Counts] = field(default_factory=dict)
    section_errors: list[str] = field(default_factory=list)
    metadata: dict[str, bool] = field(default_factory=dict)
    metadata_errors: list[str] = field(default_factory=list)
    proposals_found: int = 0
    proposals_exact: int = 0
    proposals_gold: int = 0
    proposal_errors: list[str] = field(default_factory=list)


def evaluate_entities(doc: Document, gold: list[list[str]], result: DocumentResult) -> None:
    for label in ENTITY_LABELS:
        predicted = sorted({key(e.text) for e in doc.entities if e.label == label})
        expected = sorted({key(text) for lab, text in gold if lab == label})
        matched = match_pairs(predicted, expected, ENTITY_MATCH)
        counts = Counts(tp=len(matched), fp=len(predicted) - len(matched), fn=len(expected) - len(matched))
        result.entities[label] = counts
        hit_p = {i for i, _ in matched}
        hit_g = {j for _, j in matched}
        result.entity_errors += [f"{label} missed: {g}" for j, g in enumerate(expected) if j not in hit_g]
        result.entity_errors += [f"{label} spurious: {p}" for i, p in enumerate(predicted) if i not in hit_p]


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def _section_matches(section, label: str, heading: str, first: str) -> bool:
    if section.label != label:
        return False
    if heading and similar(key(section.heading), key(heading)) < HEADING_MATCH:
        return False
    if not heading and section.heading:
        return False
    predicted_first = key(_first_line(section.text))[:FIRST_LINE_CHARS]
    expected_first = key(first)[:FIRST_LINE_CHARS]
    if not expected_first:
        return not predicted_first
    return similar(predicted_first, expected_first) >= FIRST_LINE_MATCH


def evaluate_sections(doc: Document, gold: list[list[str]], result: DocumentResult) -> None:
    unused = list(range(len(doc.sections)))
    counts: dict[str, Counts] = defaultdict(Counts)
    for label, heading, first in gold:
        hit = next((i for i in unused if _section_matches(doc.sections[i], label, heading, first)), None)
        if hit is None:
            counts[label].fn += 1
            result.section_errors.append(f"missed {label}: {heading!r} / {first[:50]!r}")
        else:
            unused.remove(hit)
            counts[label].tp += 1
    for i in unused:
        section = doc.sections[i]
        counts[section.label].fp += 1
        result.section_errors.append(f"spurious {section.label}: {section.heading!r} / {_first_line(section.text)[:50]!r}")
    result.sections = dict(counts)


def _names(author: str) -> list[str]:
    return sorted(key(name) for name in re.split(r",\s*|\s+och\s+", author) if name.strip())


def evaluate_metadata(doc: Document, gold: dict, result: DocumentResult) -> None:
    checks = {
        "dnr": sorted(" ".join(d.split()) for d in doc.dnr) == sorted(gold["dnr"]),
        "date": doc.date == gold["date"],
        "municipality": key(doc.municipality) == key(gold["municipality"]),
        "body": key(doc.body) == key(gold["body"]),
        "doc_type": doc.doc_type == gold["doc_type"],
        "author": len(match_pairs(_names(doc.author), _names(gold["author"]), ENTITY_MATCH)) == len(_names(gold["author"]))
        and len(_names(doc.author)) == len(_names(gold["author"])),
        "title": similar(key(doc.title), key(gold["title"])) >= TITLE_MATCH,
    }
    result.metadata = checks
    for name, ok in checks.items():
        if not ok:
            result.metadata_errors.append(f"{name}: got {getattr(doc, name)!r}, expected {gold[name]!r}")


def evaluate_proposals(doc: Document, gold: list[dict], result: DocumentResult) -> None:
    result.proposals_gold = len(gold)
    unused = list(doc.proposals)
    for expected in gold:
        found = next((p for p in unused if key(p.body) == key(expected["body"])), None)
        if found is None:
            result.proposal_errors.append(f"no proposals for {expected['body']!r} (got {[p.body for p in doc.proposals]})")
            continue
        unused.remove(found)
        result.proposals_found += 1
        items_ok = len(found.items) == len(expected["items"]) and all(
            similar(key(a), key(b)) >= ENTITY_MATCH for a, b in zip(found.items, expected["items"])
        )
        if items_ok:
            result.proposals_exact += 1
        else:
            result.proposal_errors.append(f"items for {expected['body']!r}: got {found.items}")


def evaluate_document(doc: Document, gold: dict, variant: str) -> DocumentResult:
    result = DocumentResult(name=gold["document"], variant=variant)
    evaluate_entities(doc, gold["entities"], result)
    evaluate_sections(doc, gold["sections"], result)
    evaluate_metadata(doc, gold["metadata"], result)
    evaluate_proposals(doc, gold["proposals"], result)
    return result


def load_gold(directory: Path = GOLD_DIR) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))]


def document_set(gold: dict) -> str:
    return "seeds" if gold["files"]["digital"].startswith("data/samples/") else "corpus"


def run(gold_documents: list[dict] | None = None) -> list[DocumentResult]:
    from pipeline.process import process_file

    results = []
    for gold in gold_documents if gold_documents is not None else load_gold():
        for variant, path in gold["files"].items():
            if path and (PROJECT_ROOT / path).exists():
                doc = process_file(PROJECT_ROOT / path, reocr="never")
                results.append(evaluate_document(doc, gold, variant))
    return results


@dataclass
class Summary:
    documents: int = 0
    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    sections: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    metadata: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    proposals_gold: int = 0
    proposals_found: int = 0
    proposals_exact: int = 0

    def micro(self, labels) -> Counts:
        total = Counts()
        for label in labels:
            total.add(self.entities[label])
        return total

    def section_totals(self) -> Counts:
        total = Counts()
        for counts in self.sections.values():
            total.add(counts)
        return total


def summarize(results: list[DocumentResult]) -> Summary:
    summary = Summary()
    for result in results:
        summary.documents += 1
        for label, counts in result.entities.items():
            summary.entities[label].add(counts)
        for label, counts in result.sections.items():
            summary.sections[label].add(counts)
        for name, ok in result.metadata.items():
            summary.metadata[name].append(ok)
        summary.proposals_gold += result.proposals_gold
        summary.proposals_found += result.proposals_found
        summary.proposals_exact += result.proposals_exact
    return summary


def target_failures(summary: Summary) -> list[str]:
    """The issue's targets that this group of results misses (empty when all hold)."""
    failures = []
    for name in ("dnr", "date"):
        wrong = summary.metadata[name].count(False)
        if wrong:
            failures.append(f"{name} wrong in {wrong} of {len(summary.metadata[name])} documents")
    for label in TARGET_SECTIONS:
        counts = summary.sections.get(label, Counts())
        if counts.fn:
            failures.append(f"{counts.fn} of {counts.tp + counts.fn} {label} sections not found with the right start")
    f1 = summary.micro(TARGET_LABELS).f1
    if f1 < TARGET_F1:
        failures.append(f"PRS/ORG/LOC micro-F1 {f1:.3f} < {TARGET_F1}")
    return failures


def groups(results: list[DocumentResult], gold_documents: list[dict]) -> dict[tuple[str, str], list[DocumentResult]]:
    set_of = {gold["document"]: document_set(gold) for gold in gold_documents}
    grouped: dict[tuple[str, str], list[DocumentResult]] = defaultdict(list)
    for result in results:
        grouped[(set_of[result.name], result.variant)].append(result)
    return dict(sorted(grouped.items(), key=lambda item: (item[0][0] != "seeds", item[0][1] != "digital")))


def _pct(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)}" if values else "–"


def render(results: list[DocumentResult], gold_documents: list[dict]) -> str:
    grouped = groups(results, gold_documents)
    summaries = {group: summarize(members) for group, members in grouped.items()}
    names = [f"{s} {v}" for s, v in grouped]
    out = ["# Extraction evaluation", ""]
    out.append(
        "Produced by `make eval-extract` (tests/eval/extraction_eval.py): each gold document in "
        "data/eval/extraction/ is read from its digital PDF and its English-OCR'd PDF "
        "(`reocr=never`: the OCR'd text layer as it is) through `pipeline.process_file`, and compared "
        "with the hand-written gold (see data/eval/extraction/README.md for the format and matching). "
        "`seeds` are the five sample documents the rules were developed on; `corpus` are documents "
        "the rules were not written on (gold written before any tuning)."
    )
    out += ["", "## Targets", ""]
    for group, summary in summaries.items():
        failures = target_failures(summary)
        out.append(f"- **{' '.join(group)}** ({summary.documents} PDFs): " + ("all targets hold" if not failures else "; ".join(failures)))
    out += ["", "## Entities (precision / recall / F1)", ""]
    out.append("| label | " + " | ".join(names) + " |")
    out.append("| --- |" + " --- |" * len(names))
    rows = [(label, [s.entities[label] for s in summaries.values()]) for label in ENTITY_LABELS]
    rows.append(("PRS+ORG+LOC micro", [s.micro(TARGET_LABELS) for s in summaries.values()]))
    rows.append(("all labels micro", [s.micro(ENTITY_LABELS) for s in summaries.values()]))
    for label, counts in rows:
        cells = [f"{c.precision:.2f} / {c.recall:.2f} / **{c.f1:.2f}** ({c.tp + c.fn})" for c in counts]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out += ["", "(n) is the number of gold entities (distinct per document).", ""]
    out += ["## Metadata (documents exactly right)", ""]
    out.append("| field | " + " | ".join(names) + " |")
    out.append("| --- |" + " --- |" * len(names))
    for name in METADATA_FIELDS:
        out.append(f"| {name} | " + " | ".join(_pct(s.metadata[name]) for s in summaries.values()) + " |")
    out += ["", "## Sections (found with the right heading and start / gold; spurious)", ""]
    labels = sorted({label for s in summaries.values() for label in s.sections})
    out.append("| label | " + " | ".join(names) + " |")
    out.append("| --- |" + " --- |" * len(names))
    for label in labels + ["all"]:
        cells = []
        for s in summaries.values():
            c = s.section_totals() if label == "all" else s.sections.get(label, Counts())
            cells.append(f"{c.tp}/{c.tp + c.fn}" + (f"; {c.fp} spurious" if c.fp else ""))
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out += ["", "## Proposals", ""]
    out.append("| | " + " | ".join(names) + " |")
    out.append("| --- |" + " --- |" * len(names))
    out.append("| bodies found | " + " | ".join(f"{s.proposals_found}/{s.proposals_gold}" for s in summaries.values()) + " |")
    out.append("| bodies with all items right | " + " | ".join(f"{s.proposals_exact}/{s.proposals_gold}" for s in summaries.values()) + " |")
    out += ["", "## Remaining errors per document", ""]
    for result in results:
        errors = result.metadata_errors + result.section_errors + result.proposal_errors + result.entity_errors
        out.append(f"<details><summary>{result.name} ({result.variant}): {len(errors)}</summary>\n")
        out += [f"- {error}" for error in errors]
        out.append("\n</details>\n")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    report = Path(argv[1]) if len(argv) > 1 else REPORT
    gold_documents = load_gold()
    results = run(gold_documents)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render(results, gold_documents), encoding="utf-8")
    for group, members in groups(results, gold_documents).items():
        summary = summarize(members)
        failures = target_failures(summary)
        micro = summary.micro(TARGET_LABELS)
        print(f"{' '.join(group):16} PRS/ORG/LOC F1 {micro.f1:.3f}  " + ("targets hold" if not failures else "; ".join(failures)))
    print(f"wrote {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
