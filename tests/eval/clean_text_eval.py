"""Restoration on clean text: how many words of clean, digitally born Swedish does
restoration (normalize/restore.py) change? Every change there is a false edit.

The texts are the 2,000 real government texts of g0vse (/work/shared/real/g0vse/, its
MANIFEST.tsv names their sources), split by file number: 0000–0999 are TUNE (their false
edits were looked at while designing restoration), 1000–1999 HOLDOUT (only their count
was measured; their individual edits are not listed, so that they cannot steer the rules).
Each text goes through `normalize_text` as the pipeline runs it: Unicode repair,
de-hyphenation, whitespace, then restoration. Words are counted as in the OCR evaluation
(tests/eval/wer.py: runs of letters and digits with at least one letter); a changed word
is one restoration edit.

    python tests/eval/clean_text_eval.py G0VSE_DIR OUT.md [--top N]

The report is one self-contained Markdown section (`## Restoration on clean text`) for
docs/eval-real.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # siblings (a `tests` package in site-packages shadows ours)

from normalize import normalize_text  # noqa: E402
from normalize.restore import restore_swedish  # noqa: E402
from wer import tokens  # noqa: E402

TARGET_PER_100K = 5.0
TUNE, HOLDOUT = range(0, 1000), range(1000, 2000)


def false_edits(paths: list[Path], top: int = 20) -> dict:
    """Restore each clean text; every edit is a false one. Returns `documents`, `words`,
    `changed` (changed words), `per_100k`, `documents_changed`, `distinct` (distinct
    false edits), `top_edits` (the `top` most frequent as (before, after, count)) and
    `seconds` (restoration CPU time)."""
    words = changed = documents_changed = 0
    counts: Counter[tuple[str, str]] = Counter()
    cpu = 0.0
    for path in paths:
        text, _ = normalize_text(path.read_text(encoding="utf-8"), restore=False)
        started = time.process_time()
        _, edits = restore_swedish(text)
        cpu += time.process_time() - started
        words += len(tokens(text))
        changed += len(edits)
        documents_changed += bool(edits)
        counts.update((edit.before, edit.after) for edit in edits)
    return {
        "documents": len(paths),
        "words": words,
        "changed": changed,
        "per_100k": 100_000 * changed / words if words else 0.0,
        "documents_changed": documents_changed,
        "distinct": len(counts),
        "top_edits": [(before, after, count) for (before, after), count in counts.most_common(top)],
        "seconds": cpu,
    }


def split(folder: Path) -> dict[str, list[Path]]:
    """The g0vse texts by set, from the four-digit number their names start with."""
    sets: dict[str, list[Path]] = {"TUNE": [], "HOLDOUT": []}
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.txt")):
        number = int(path.name[:4])
        if number in TUNE:
            sets["TUNE"].append(path)
        elif number in HOLDOUT:
            sets["HOLDOUT"].append(path)
    return sets


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(results: dict[str, dict]) -> str:
    lines = [
        "## Restoration on clean text",
        "",
        "Written by `tests/eval/clean_text_eval.py`. Restoration (normalize/restore.py) run on 2,000 real, clean,",
        "digitally born government texts (g0vse, `/work/shared/real/g0vse/`): every word it changes is a false edit.",
        "Words as in the OCR evaluation (runs of letters and digits with at least one letter); each text goes",
        "through `normalize_text` as in the pipeline. TUNE (files 0000–0999) was looked at while designing the",
        "rules; HOLDOUT (1000–1999) was only measured, and its edits are not listed here.",
        f"Target: at most {TARGET_PER_100K:g} changed words per 100,000 in each set.",
        "",
        "| set | documents | words | changed words | per 100,000 words | documents with a change | target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in results.items():
        met = "yes" if result["per_100k"] <= TARGET_PER_100K else "**no**"
        lines.append(
            f"| {name} | {result['documents']} | {result['words']:,} | {result['changed']} | {result['per_100k']:.1f} "
            f"| {result['documents_changed']} | {met} |"
        )
    words = sum(r["words"] for r in results.values())
    seconds = sum(r["seconds"] for r in results.values())
    if seconds:
        lines += ["", f"Restoration ran at {words / seconds:,.0f} words/s of CPU time ({_cpu_name()})."]
    tune = results.get("TUNE")
    if tune and tune["top_edits"]:
        lines += ["", f"The most frequent false edits on TUNE (of {tune['distinct']} distinct):", ""]
        lines += ["| before | after | count |", "| --- | --- | ---: |"]
        lines += [f"| `{before}` | `{after}` | {count} |" for before, after, count in tune["top_edits"]]
    elif tune:
        lines += ["", "No false edit on TUNE."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("g0vse", type=Path, help="the g0vse folder (numbered .txt files)")
    parser.add_argument("out", type=Path, help="where to write the Markdown section")
    parser.add_argument("--top", type=int, default=20, help="false edits of TUNE to list")
    args = parser.parse_args()
    sets = split(args.g0vse)
    if not any(sets.values()):
        parser.error(f"no numbered .txt files in {args.g0vse}")
    restore_swedish("Forslag till beslut om vald i nara relationer.")  # lexicon load is not restoration time
    results = {name: false_edits(paths, top=args.top if name == "TUNE" else 0) for name, paths in sets.items() if paths}
    text = report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
