"""Real documents: how right diarium gets what municipalities actually publish.

Runs the real pipeline (`pipeline.process.process_file(path, reocr="auto")`: damaged or
missing text layers are read again by OCR) on every document of the shared set
(/work/shared/real/documents, `gold.json`) and of our own set (data/eval/real/, whose
gold entries carry `split`: `tune` or `holdout`), compares each with its gold and writes
docs/eval-real.md. Nothing is cached: every run reads every file again.

    python tests/eval/real_eval.py [OUT.md] [--shared DIR] [--g0vse DIR] [--jobs 2] [--sets shared,tune,holdout] [--no-clean-text]

TUNE documents are reported by batch (`"batch"` in gold.json, 1 when absent): `tune 1` is the
set the first rules were written on, `tune 2` the documents added later (more bodies and other
municipalities), `tune 3` a third batch (more Kungsbacka bodies: Teknik, Kommunstyrelsen and its
arbetsutskott, Förskola & Grundskola, Individ & Familjeomsorg), `tune 4` a fourth batch from
municipalities beyond Kungsbacka (Simrishamn, more Nykarleby), `tune 5` a fifth batch of varied
writing forms of the deciding body and of proposals (Kommunstyrelsen and Kommunfullmäktige handlingar,
a nämnd's proposal to another body, a motion), `tune 6` a sixth batch of Kungsbacka nämnder and years
little used before (Vård & Omsorg, Service, Gymnasium & Arbetsmarknad, Miljö & Hälsoskydd, Förskola &
Grundskola, Kultur & Fritid, Teknik; 2024 and 2026 bundles), `tune 7` a seventh batch of Kungsbacka
documents chosen for the layout of proposals and sections (items without blank lines or full stops,
continuation lines, separately published single §, agendas of Service and Förskola & Grundskola), `tune 8`
an eighth batch of Kungsbacka documents chosen for varied proposal layouts and ways of naming the deciding
body (a party's initiative and a motion, proposals to another body, items around a table, arbetsutskott and
fullmäktige extracts), `tune 9` a ninth batch from municipalities other than Kungsbacka (Göteborg's
Stadsrevisionen, council, Intraservice and Stadsledningskontoret; a Nykarleby agenda and protocol; a
Botkyrka riktlinje), `tune 10` a tenth batch of Kungsbacka single-matter documents picked at random
within 2023–2026 bundles not used before (tjänsteskrivelser, a yttrande, a party's initiative, nämnd and
arbetsutskott extracts), `tune 11` an eleventh batch of Kungsbacka single-matter documents drawn at random
within 2024–2025 bundles not used before (tjänsteskrivelser, a delegation report, a riktlinje, an
arbetsutskott §), `tune 12` and `tune 13` the two retired HOLDOUT sets (`"retired_holdout": 1`
and `2`: measured as HOLDOUT for the last time under extract 2026-12-04.2, 518/550 checks, then
opened and tuned on), `tune 14` … `tune 18` batches of twelve Kungsbacka documents each, drawn at
random (one per nämnd's bundle, a random page, the first single-matter document after it) and
scored once before any rule was written from them, so that a rule tuned on one batch can be seen
to carry over (`tune 19` and `tune 20` likewise), `tune 21` documents of Göteborg and Simrishamn
drawn with the fourth HOLDOUT set's part C, `tune 22` the third HOLDOUT set (`"retired_holdout": 3`:
measured as HOLDOUT for the last time under extract 2026-12-04.7, 339/349 checks, then opened and
tuned on), `tune 23` the fourth HOLDOUT set (`"retired_holdout": 4`: measured once as HOLDOUT under
extract 2026-12-05.2, 374/395 checks, then opened and tuned on), `tune 24` the fifth
(`"retired_holdout": 5`: measured once under extract 2026-12-05.3, 204/218 checks), `tune 25` the
sixth (`"retired_holdout": 6`: under extract 2026-12-05.4, 370/401), `tune 26` the seventh
(`"retired_holdout": 7`: under extract 2026-12-05.5, 340/363), `tune 27` the eighth
(`"retired_holdout": 8`: under extract 2026-12-05.6, 243/262), `tune 28` and `tune 29` the ninth
and tenth (`"retired_holdout": 9`, `10`: both under extract 2026-12-05.7, 271/279 and 233/249),
`tune 30` the eleventh (`"retired_holdout": 11`: under extract 2026-12-05.8, 240/255). HOLDOUT
documents are reported by set: `holdout 12` (`"batch": 12`) is the twelfth HOLDOUT set, gathered
when the eleventh was retired, `holdout 13` the thirteenth, gathered after the twelfth was
measured, without a rule changed between the two measurements (12: 284/290, 13: 148/161 under
extract 2026-12-05.9), `holdout 14` the fourteenth, gathered after those two were measured (221/226
under extract 2026-12-05.10, which left the other sets' figures as they were); `holdout (all)`
appears when more than one set is HOLDOUT. The targets are judged on all HOLDOUT documents together.

## How each check is scored
Every comparison of text uses `norm`: folded (swedish/fold.py: lower case, no
diacritics), `&` read as `och`, every dash as `-`, whitespace squeezed, surrounding
punctuation and a leading list mark (`•`, `-`) dropped (gold writers kept or dropped a bullet
before a decision, as its layout is not its words). A null gold value means "the document has none": only an empty
prediction is right (unknown beats wrong).
- title: the gold `title_contains` occurs in the title, and the title is at most
  `TITLE_SLACK` characters longer (a subject line, not a paragraph).
- body, municipality: equal under `norm` (`Individ och Familjeomsorg` = `Individ &
  Familjeomsorg`).
- date: the same ISO date (strict).
- dnr: the same set of `swedish.dnr.dnr_key`s (strict: one missing or one extra number
  fails), en dashes read as hyphens.
- type: equal; the shared set's gold knows only four types, so there its `protokoll`
  also accepts `protokollsutdrag`. Gold `other` accepts "" (unknown).
- proposal items: the number of items over all proposals equals the gold count; a null
  count of a single-matter document wants no proposal; protocols and agendas (null:
  not applicable) are not scored.
- sections: one check per gold (label, first words): some section with that label
  starts with those words (heading and text, or text alone; a section with no text of
  its own, a sub-heading right under its heading, starts with the sub-section that
  follows); for `header` the words occur in the header.

Matters (protocols and agendas, filled by extract/matters.py) are scored apart: a gold
matter is matched to the predicted matter with the same § number (`§ 137`, `137 §`) or,
for agenda items without §, the same item number; then its dnr (set of `dnr_key`s),
title and decision (the first `PREFIX_CHARS` characters agree under `norm`; a null
decision is not scored). The matter count is one check per document.

Entities: PRS/ORG/LOC precision and recall over the distinct (label, text) pairs per
document against data/eval/real/entities.json (written by reading TUNE documents), text
compared under `norm` with a genitive `s`/`:s` dropped.

Restoration on clean text: `tests/eval/clean_text_eval.py`'s `false_edits` on the
g0vse texts (files 0000–0999 tune, 1000–1999 holdout), when that module exists.

Per-document failures are printed for the shared set and TUNE only; HOLDOUT documents
are reported as figures, so that nobody tunes on them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import re
import resource
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # siblings (a `tests` package in site-packages shadows ours)

from document import MULTI_MATTER_TYPES, Document  # noqa: E402
from swedish.dnr import dnr_key  # noqa: E402
from swedish.fold import fold  # noqa: E402

OWN = ROOT / "data" / "eval" / "real"
SHARED = Path("/work/shared/real/documents")
G0VSE = Path("/work/shared/real/g0vse")
REPORT = ROOT / "docs" / "eval-real.md"
FIELDS = ("title", "body", "date", "municipality", "dnr", "type", "proposal_items", "sections")
SETS = ("shared", "tune", "holdout")
HOLDOUT_ALL = "holdout (all)"
TARGET_ALL, TARGET_FIELD = 0.95, 0.85
TARGET_ENTITIES = 0.90
ENTITY_LABELS = ("PRS", "ORG", "LOC")
TITLE_SLACK = 60
PREFIX_CHARS = 50
SHARED_TYPE_ALIASES = {"protokoll": {"protokoll", "protokollsutdrag"}}
_DASHES = re.compile(r"[‐‑‒–—−]")


_LIST_MARKS = " •▪◦●*-\\"  # a leading bullet or dash (Markdown may escape it) is layout, not words


def norm(text: str | None) -> str:
    text = _DASHES.sub("-", (text or "").replace("&", " och "))
    return " ".join(fold(text).split()).strip(" .,:;").lstrip(_LIST_MARKS)


def entity_key(text: str) -> str:
    key = norm(text)
    return re.sub(r":?s$", "", key) if len(key) > 4 and not key.endswith("ss") else key


def dnr_keys(numbers: list[str]) -> set[str]:
    return {dnr_key(_DASHES.sub("-", number)) for number in numbers}


@dataclass
class Case:
    name: str
    path: Path
    set: str  # shared, tune, holdout
    gold: dict

    @property
    def group(self) -> str:
        """The report column: the set, TUNE and HOLDOUT split by batch."""
        return f"{self.set} {self.gold.get('batch', 1)}" if self.set in ("tune", "holdout") else self.set


@dataclass
class Check:
    field: str
    ok: bool
    detail: str = ""


@dataclass
class Result:
    case: Case
    checks: list[Check] = field(default_factory=list)
    matters: list[Check] = field(default_factory=list)
    entities: dict[str, list[int]] = field(default_factory=dict)  # label → [tp, fp, fn]
    entity_errors: list[str] = field(default_factory=list)
    error: str = ""


def load_cases(shared: Path, sets: tuple[str, ...]) -> list[Case]:
    cases = []
    if "shared" in sets and (shared / "gold.json").exists():
        for name, gold in json.loads((shared / "gold.json").read_text(encoding="utf-8"))["docs"].items():
            cases.append(Case(name, shared / name, "shared", gold))
    for name, gold in json.loads((OWN / "gold.json").read_text(encoding="utf-8"))["docs"].items():
        if gold["split"] in sets:
            cases.append(Case(name, OWN / "documents" / name, gold["split"], gold))
    return cases


# ---- document-level checks ----------------------------------------------------------


def check_title(doc: Document, gold: dict) -> Check:
    expected, got = norm(gold["title_contains"]), norm(doc.title)
    if gold["title_contains"] is None:  # the document has no subject line: only no title is right
        return Check("title", not got, f"got {doc.title!r}, expected none")
    ok = bool(expected) and expected in got and len(got) <= len(expected) + TITLE_SLACK
    return Check("title", ok, f"got {doc.title!r}, expected {gold['title_contains']!r}")


def check_equal(name: str, got: str, expected: str | None) -> Check:
    ok = norm(got) == norm(expected) if expected else not got
    return Check(name, ok, f"got {got!r}, expected {expected!r}")


def check_type(doc: Document, gold: dict, set_name: str) -> Check:
    expected = gold["type"]
    accepted = SHARED_TYPE_ALIASES.get(expected, {expected}) if set_name == "shared" else {expected}
    ok = doc.doc_type in accepted or (expected == "other" and not doc.doc_type)
    return Check("type", ok, f"got {doc.doc_type!r}, expected {expected!r}")


def check_dnr(doc: Document, gold: dict) -> Check:
    got, expected = dnr_keys(doc.dnr), dnr_keys(gold["dnr"])
    detail = f"missing {sorted(expected - got)}, extra {sorted(got - expected)}"
    return Check("dnr", got == expected, detail)


def check_proposal_items(doc: Document, gold: dict) -> Check | None:
    expected = gold.get("proposal_items")
    if expected is None and gold["type"] in MULTI_MATTER_TYPES:
        return None
    got = sum(len(proposal.items) for proposal in doc.proposals)
    items = [item[:50] for proposal in doc.proposals for item in proposal.items]
    return Check("proposal_items", got == (expected or 0), f"got {got} {items}, expected {expected}")


def _section_starts(section, words: str, following=None) -> bool:
    """`following`: the section after this one, read as this one's text when this one has
    none (a heading with a sub-heading right under it: the sub-section is its start)."""
    expected = norm(words)
    if section.label == "header":
        return expected in norm(section.text)
    if norm(section.text).startswith(expected) or norm(f"{section.heading} {section.text}").startswith(expected):
        return True
    return not section.text.strip() and following is not None and _section_starts(following, words)


def check_sections(doc: Document, gold: dict) -> list[Check]:
    checks = []
    sections = doc.sections
    for label, words in gold.get("sections", {}).items():
        ok = any(
            section.label == label and _section_starts(section, words, sections[n + 1] if n + 1 < len(sections) else None)
            for n, section in enumerate(sections)
        )
        found = [section.text[:40].replace("\n", " ") for section in doc.sections if section.label == label]
        checks.append(Check("sections", ok, f"{label} {words[:40]!r}: got {found[:3]}"))
    return checks


def document_checks(doc: Document, case: Case) -> list[Check]:
    gold = case.gold
    checks = [
        check_title(doc, gold),
        check_equal("body", doc.body, gold.get("body")),
        Check("date", doc.date == (gold["date"] or ""), f"got {doc.date!r}, expected {gold['date']!r}"),
        check_equal("municipality", doc.municipality, gold["municipality"]),
        check_dnr(doc, gold),
        check_type(doc, gold, case.set),
        check_proposal_items(doc, gold),
    ]
    if "body" not in gold:  # the shared Nykarleby entries name no body
        checks.pop(1)
    return [check for check in checks if check is not None] + check_sections(doc, gold)


# ---- matters --------------------------------------------------------------------------


def _number(text: str | None) -> str:
    digits = re.findall(r"\d+", text or "")
    return digits[0] if digits else ""


def _prefix_agrees(got: str, expected: str) -> bool:
    expected_norm = norm(expected)[:PREFIX_CHARS]
    return bool(expected_norm) and norm(got).startswith(expected_norm)


def gold_matters(gold: dict) -> list[dict]:
    """The gold matters in one form (the shared set calls them `decisions`, dnr a string)."""
    matters = gold.get("matters") or gold.get("decisions") or []
    return [dict(m, dnr=[m["dnr"]] if isinstance(m.get("dnr"), str) else m.get("dnr", [])) for m in matters]


def matter_checks(doc: Document, gold: dict) -> list[Check]:
    checks = []
    if gold.get("matter_count") is not None:
        count = len(doc.matters)
        checks.append(Check("count", count == gold["matter_count"], f"{count} matters, expected {gold['matter_count']}"))
    expected = gold_matters(gold)
    used: set[int] = set()
    for matter in expected:
        by_paragraph = matter.get("paragraph") is not None
        wanted = _number(matter["paragraph"] if by_paragraph else matter.get("number"))
        index = next(
            (i for i, m in enumerate(doc.matters) if i not in used and _number(m.paragraph if by_paragraph else m.number) == wanted),
            None,
        )
        label = matter.get("paragraph") or f"item {matter.get('number')}"
        checks.append(Check("found", index is not None, f"{label} not found"))
        if index is None:
            checks.append(Check("dnr", False, f"{label}: not found"))
            checks.append(Check("title", False, f"{label}: not found"))
            if matter.get("decision_starts"):
                checks.append(Check("decision", False, f"{label}: not found"))
            continue
        used.add(index)
        found = doc.matters[index]
        checks.append(Check("dnr", dnr_keys(found.dnr) == dnr_keys(matter["dnr"]), f"{label}: dnr {found.dnr}, expected {matter['dnr']}"))
        checks.append(Check("title", _prefix_agrees(found.title, matter["title"]), f"{label}: title {found.title[:60]!r}"))
        if matter.get("decision_starts"):
            ok = _prefix_agrees(found.decision, matter["decision_starts"])
            checks.append(Check("decision", ok, f"{label}: decision {found.decision[:60]!r}"))
    if expected:
        spurious = len(doc.matters) - len(used)
        checks.append(Check("no spurious", spurious == 0, f"{spurious} matters match no gold matter"))
    return checks


# ---- entities -------------------------------------------------------------------------


def entity_counts(doc: Document, gold: list[list[str]]) -> tuple[dict[str, list[int]], list[str]]:
    counts, errors = {}, []
    for label in ENTITY_LABELS:
        predicted = {entity_key(e.text): e.text for e in doc.entities if e.label == label}
        expected = {entity_key(text): text for lab, text in gold if lab == label}
        hits = predicted.keys() & expected.keys()
        counts[label] = [len(hits), len(predicted) - len(hits), len(expected) - len(hits)]
        errors += [f"{label} missed: {expected[k]}" for k in sorted(expected.keys() - hits)]
        errors += [f"{label} spurious: {predicted[k]}" for k in sorted(predicted.keys() - hits)]
    return counts, errors


# ---- running --------------------------------------------------------------------------


def _process(path: Path) -> Document | str:
    from errors import DiariumError
    from pipeline.process import process_file

    try:
        return process_file(path, reocr="auto")
    except DiariumError as error:
        return f"{type(error).__name__}: {error}"


def run(cases: list[Case], jobs: int, entity_gold: dict[str, list[list[str]]]) -> list[Result]:
    # the longest files first, so that two workers finish together
    ordered = sorted(cases, key=lambda case: -case.path.stat().st_size * (20 if case.path.suffix == ".pdf" else 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        docs = dict(zip((case.name for case in ordered), pool.map(_process, [case.path for case in ordered])))
    results = []
    for case in cases:
        doc = docs[case.name]
        result = Result(case)
        if isinstance(doc, str):
            result.error = doc
            doc = Document(doc_id="", source=str(case.path), file_type="", text="")
        result.checks = document_checks(doc, case)
        result.matters = matter_checks(doc, case.gold)
        if case.name in entity_gold:
            result.entities, result.entity_errors = entity_counts(doc, entity_gold[case.name])
        results.append(result)
    return results


def clean_text_section(g0vse: Path) -> str:
    """The restoration engineer's false-edit table on the g0vse texts, or why it is missing."""
    try:
        clean_text_eval = importlib.import_module("clean_text_eval")
    except ImportError as error:
        return f"## Restoration on clean text\n\nNot measured: tests/eval/clean_text_eval.py could not be imported ({error}).\n"
    if not g0vse.is_dir():
        return f"## Restoration on clean text\n\nNot measured: {g0vse} is missing.\n"
    sets = clean_text_eval.split(g0vse)
    results = {name: clean_text_eval.false_edits(paths) for name, paths in sets.items() if paths}
    return clean_text_eval.report(results)


# ---- report ---------------------------------------------------------------------------


_SCORING = __doc__.split("## How each check is scored")[1].split("Per-document failures")[0]


def _share(checks: list[Check]) -> tuple[int, int]:
    return sum(check.ok for check in checks), len(checks)


def _cell(checks: list[Check]) -> str:
    right, total = _share(checks)
    return f"{right}/{total} ({100 * right / total:.0f} %)" if total else "–"


def _group_order(group: str) -> tuple[int, int]:
    """Report columns: the shared set, then TUNE and HOLDOUT, each by batch number."""
    set_, _, batch = group.partition(" ")
    return SETS.index(set_), int(batch or 0)


def _by_set(results: list[Result]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        grouped[result.case.group].append(result)
    columns = {name: grouped[name] for name in sorted(grouped, key=_group_order)}
    holdout = [result for result in results if result.case.set == "holdout"]
    if len({result.case.group for result in holdout}) > 1:
        columns[HOLDOUT_ALL] = holdout
    return columns


def target_misses(results: list[Result]) -> list[str]:
    checks = [check for result in results for check in result.checks]
    misses = []
    right, total = _share(checks)
    if total and right / total < TARGET_ALL:
        misses.append(f"all checks {100 * right / total:.1f} % < {100 * TARGET_ALL:.0f} %")
    for name in FIELDS:
        right, total = _share([check for check in checks if check.field == name])
        if total and right / total < TARGET_FIELD:
            misses.append(f"{name} {100 * right / total:.1f} % ({right}/{total}) < {100 * TARGET_FIELD:.0f} %")
    return misses


def render(results: list[Result], clean_text: str, seconds: float, jobs: int, after_tuning: set[str]) -> str:
    grouped = _by_set(results)
    names = list(grouped)
    out = [
        "# Real documents: extraction evaluation",
        "",
        "Written by `make eval-real` (tests/eval/real_eval.py, whose docstring says how each check is scored). "
        "The pipeline (`process_file`, `reocr=\"auto\"`) runs on the shared set (/work/shared/real/documents) and on "
        "our own set (data/eval/real/: TUNE documents were looked at while writing the rules, HOLDOUT documents never; "
        "`tune 1` is the first TUNE batch, `tune 2` the documents added later, from more bodies and other municipalities, `tune 3` a third batch from more bodies, `tune 4` a fourth from other municipalities, `tune 5` a fifth with varied forms of the deciding body and of proposals, `tune 6` a sixth from nämnder and years little used before, `tune 7` a seventh chosen for the layout of proposals and sections, `tune 8` an eighth chosen for varied proposal layouts and ways of naming the deciding body, `tune 9` a ninth from municipalities other than Kungsbacka, `tune 10` a tenth and `tune 11` an eleventh picked at random within bundles not used before, `tune 12` and `tune 13` the first two HOLDOUT sets, retired to TUNE after their last measurement, `tune 14` … `tune 20` Kungsbacka documents drawn at random, one per nämnd's bundle, `tune 21` Göteborg and Simrishamn documents drawn with the fourth HOLDOUT set, `tune 22` … `tune 30` the third to eleventh HOLDOUT sets, retired to TUNE after their last measurement; `holdout 12`, `holdout 13` and `holdout 14` the twelfth, thirteenth and fourteenth HOLDOUT sets, each drawn after the sets before it were measured, no rule written from any of them).",
        "",
        "| set | documents | types (gold) |",
        "| --- | ---: | --- |",
    ]
    for name, members in grouped.items():
        kinds = defaultdict(int)
        for result in members:
            kinds[result.case.gold["type"]] += 1
        out.append(f"| {name} | {len(members)} | " + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) + " |")
    out += ["", "## How each check is scored", "", _SCORING.strip()]
    out += ["", f"## Targets (issue 12, judged on HOLDOUT{' (all)' if HOLDOUT_ALL in grouped else ''})", ""]
    for name, members in grouped.items():
        misses = target_misses(members)
        out.append(f"- **{name}**: " + ("every target holds" if not misses else "; ".join(misses)))
    out.append(f"\nTargets: at least {100 * TARGET_ALL:.0f} % of all checks and {100 * TARGET_FIELD:.0f} % of every field.")
    out += ["", "## Document fields (right / checked)", ""]
    out.append("| field | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for name in FIELDS:
        out.append(f"| {name} | " + " | ".join(_cell([c for r in grouped[s] for c in r.checks if c.field == name]) for s in names) + " |")
    out.append("| **all checks** | " + " | ".join(_cell([c for r in grouped[s] for c in r.checks]) for s in names) + " |")
    out += ["", "## Matters of protocols and agendas (from `doc.matters`)", ""]
    out.append("| check | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for name in ("count", "found", "dnr", "title", "decision", "no spurious"):
        out.append(f"| {name} | " + " | ".join(_cell([c for r in grouped[s] for c in r.matters if c.field == name]) for s in names) + " |")
    out.append(
        "\n`count`: documents whose number of matters is right; `found`: gold § / items matched by number; `dnr`, "
        "`title`, `decision`: of the gold matters (an unmatched one counts as wrong); `no spurious`: documents "
        "without predicted matters that match no gold matter."
    )
    out += ["", "## Entities on TUNE documents (data/eval/real/entities.json)", ""]
    out += entity_table(results, after_tuning)
    out += ["", clean_text.rstrip(), ""]
    out += ["## Failures per document (shared set and TUNE only)", ""]
    for result in results:
        if result.case.set == "holdout":
            continue
        failed = [f"{c.field}: {c.detail}" for c in result.checks if not c.ok]
        failed += [f"matter {c.field}: {c.detail}" for c in result.matters if not c.ok]
        failed += result.entity_errors
        if result.error:
            failed.insert(0, f"not processed: {result.error}")
        if failed:
            out.append(f"<details><summary>{result.case.group}: {result.case.name} ({len(failed)})</summary>\n")
            out += [f"- {line}" for line in failed]
            out.append("\n</details>\n")
    out += ["", f"Run: {seconds:,.0f} CPU-seconds (with OCR subprocesses), {jobs} workers, {_cpu_name()}, Python {platform.python_version()}."]
    return "\n".join(out) + "\n"


def entity_table(results: list[Result], after_tuning: set[str]) -> list[str]:
    """PRS/ORG/LOC precision and recall on the documents with gold entities: those the
    rules were tuned on, those annotated after tuning, and all."""
    with_gold = [result for result in results if result.entities]
    if not with_gold:
        return ["No document has gold entities."]
    groups = {
        "tuned on": [r for r in with_gold if r.case.name not in after_tuning],
        "annotated after tuning": [r for r in with_gold if r.case.name in after_tuning],
        "all": with_gold,
    }
    lines = [
        f"Distinct (label, text) pairs per document; target precision and recall ≥ {TARGET_ENTITIES:.2f}. "
        "The rules were tuned on the first group's documents; the second group's gold was written afterwards.",
        "",
        "| documents | label | gold | predicted | right | precision | recall |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for group, members in groups.items():
        for label in ENTITY_LABELS:
            tp, fp, fn = (sum(r.entities[label][k] for r in members) for k in range(3))
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            lines.append(f"| {group} ({len(members)}) | {label} | {tp + fn} | {tp + fp} | {tp} | {precision:.2f} | {recall:.2f} |")
    return lines


def _cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=REPORT)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared real documents (with gold.json)")
    parser.add_argument("--g0vse", type=Path, default=G0VSE, help="the clean g0vse texts")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sets", default=",".join(SETS), help="which sets to run (shared, tune, holdout)")
    parser.add_argument("--no-clean-text", action="store_true", help="skip the restoration measurement on the g0vse texts")
    args = parser.parse_args()
    sets = tuple(name.strip() for name in args.sets.split(","))
    entity_path = OWN / "entities.json"
    entity_file = json.loads(entity_path.read_text(encoding="utf-8")) if entity_path.exists() else {}
    entity_gold = {name: pairs for name, pairs in entity_file.items() if not name.startswith("_")}
    after_tuning = set(entity_file.get("_annotated_after_tuning", []))
    started = time.time()
    results = run(load_cases(args.shared, sets), args.jobs, entity_gold)
    clean_text = "## Restoration on clean text\n\nNot measured in this run (--no-clean-text).\n" if args.no_clean_text else clean_text_section(args.g0vse)
    text = render(results, clean_text, _cpu_seconds(), args.jobs, after_tuning)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    for name, members in _by_set(results).items():
        checks = [c for r in members for c in r.checks]
        fields = "  ".join(f"{f} {_cell([c for c in checks if c.field == f])}" for f in FIELDS)
        print(f"{name:8} all {_cell(checks)}  {fields}")
    print(f"wrote {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
