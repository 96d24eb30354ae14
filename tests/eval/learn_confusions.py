"""Learn the OCR confusion table (data/swedish/ocr_confusions.toml) from the training
documents of the OCR evaluation set (data/eval/ocr/documents.toml, split = "train").

For each training document the OCR'd PDF's text layer (as ingest reads it) is aligned
word by word with the gold text (tests/eval/wer.py), and every aligned pair of words that
are close (character edit distance at most a third of the word) is aligned character by
character, letting one gold character become zero, one or two OCR characters (`ä` → `a`,
`ö` → `é`, `ä` → `id`). The counts give P(OCR string | gold character); confusions seen
fewer than MIN_COUNT times, or in less than MIN_RATE of the character's occurrences, are
dropped as noise (mostly misalignments), unless the OCR string holds a mark no Swedish
word has (`&`, `6`, `é`): those are kept even when seen once. Word-initial characters are counted a
second time under `^` + character (`^ä`), because English OCR treats them differently
(`är` → `Ar`, `öka` → `ka`).

Besides the documents' own OCR'd PDFs, each training text is rendered and OCR'd again with
other noise seeds (AUGMENT_SEEDS, by ../shared/tools/make_pdfs.py, cached under
`cache_dir()/ocr-train/`), so that the table sees more of the OCR's variety.

    python tests/eval/learn_confusions.py [--cached-only]   # rewrites data/swedish/ocr_confusions.toml
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr_eval import ROOT, load_documents, text_layer  # noqa: E402  (puts the repository on sys.path)
from config import cache_dir  # noqa: E402
from wer import align  # noqa: E402

OUTPUT = ROOT / "data" / "swedish" / "ocr_confusions.toml"
MIN_COUNT = 2
MIN_RATE = 0.002  # and at least this share of the gold character's occurrences
_WORD = re.compile(r"(?:[^\W_]|[&|])+")  # words with the marks English OCR puts in them (`&dgare`)
AUGMENT_SEEDS = (11, 12, 13)
MAKE_PDFS = ROOT.parent / "shared" / "tools" / "make_pdfs.py"
_COST = {0: 1.0, 1: 1.0, 2: 1.1}  # gold char → OCR string of this length (when not equal)
_INSERTION = 1.3


def char_alignment(gold: str, ocr: str) -> list[tuple[str, str]] | None:
    """(gold char, OCR string) pairs covering both words, or None if they are too far apart."""
    n, m = len(gold), len(ocr)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, int]] = {}
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if j < m and here + _INSERTION < cost[i][j + 1]:  # OCR char with no gold char
                cost[i][j + 1] = here + _INSERTION
                back[i, j + 1] = (i, j, -1)
            if i == n:
                continue
            for k in (0, 1, 2):
                if j + k > m:
                    continue
                step = 0.0 if k == 1 and ocr[j] == gold[i] else _COST[k]
                if here + step < cost[i + 1][j + k]:
                    cost[i + 1][j + k] = here + step
                    back[i + 1, j + k] = (i, j, k)
    if cost[n][m] > max(1.0, len(gold) / 3):
        return None
    pairs = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, k = back[i, j]
        if k >= 0:
            pairs.append((gold[pi], ocr[pj:j]))
        i, j = pi, pj
    return pairs[::-1]


def augmented_pdfs(gold: Path, make_missing: bool = True) -> list[Path]:
    """The gold text OCR'd again with each augmentation seed (made once, then cached)."""
    pdfs = []
    for seed in AUGMENT_SEEDS:
        directory = cache_dir() / "ocr-train" / f"seed{seed}"
        pdf = directory / (gold.stem + ".ocr.pdf")
        if not pdf.exists() and make_missing and MAKE_PDFS.exists():
            directory.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(MAKE_PDFS), str(gold), str(directory), "--seed", str(seed)], check=True, capture_output=True)
        if pdf.exists():
            pdfs.append(pdf)
    return pdfs


def count_confusions(make_missing: bool = True) -> tuple[dict[str, Counter], list[str]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    used = []
    for document in load_documents(split="train"):
        used.append(document.name)
        gold = _WORD.findall(document.gold_text())
        augmented = augmented_pdfs(document.gold, make_missing) if document.kind == "synthetic" else []
        for pdf in [document.ocr, *augmented]:
            for g, h in align(gold, _WORD.findall(text_layer(pdf))):
                if g is None or h is None:
                    continue
                pairs = [(c, c) for c in g] if g == h else char_alignment(g, h)
                for index, (gold_char, ocr_string) in enumerate(pairs or ()):
                    if gold_char.isalpha():
                        counts[gold_char][ocr_string] += 1
                        if index == 0:
                            counts["^" + gold_char][ocr_string] += 1
    return counts, used


def _has_mark(ocr: str) -> bool:
    """A character no Swedish word has (`&`, `6`, `é`, `|`): a real confusion even if seen
    once, never a misalignment of two equal letters."""
    return any(not (c.isalpha() and c.lower() in "abcdefghijklmnopqrstuvwxyzåäö") for c in ocr)


def write_table(counts: dict[str, Counter], used: list[str]) -> None:
    lines = [
        "# P(OCR string | gold character) for text OCR'd with a non-Swedish (English) model.",
        "# Learned by tests/eval/learn_confusions.py from the training documents",
        f"# {', '.join(used)} of data/eval/ocr/documents.toml (their OCR'd PDFs, and the gold texts",
        f"# OCR'd again with seeds {', '.join(map(str, AUGMENT_SEEDS))}): each OCR'd text layer aligned",
        "# with its gold text, word by word, then character by character (a gold character may",
        "# become 0, 1 or 2 OCR characters; `^x` counts x at the start of a word only).",
        f"# A confusion is kept if seen {MIN_COUNT}+ times and in {MIN_RATE:.1%}+ of the character's",
        "# occurrences, or if its OCR string holds a mark no Swedish word has (`&`, `6`, `é`);",
        "# `count` is how often the gold character was seen.",
        "# Do not edit by hand: re-run the script.",
        "",
    ]
    for gold_char in sorted(counts):
        total = sum(counts[gold_char].values())
        base = counts[gold_char.lstrip("^")]
        confusions = {
            o: n
            for o, n in counts[gold_char].items()
            if o != gold_char.lstrip("^") and (_has_mark(o) or (n >= MIN_COUNT and base[o] / sum(base.values()) >= MIN_RATE))
        }
        if not confusions:
            continue
        lines.append(f'["{gold_char}"]')
        lines.append(f"count = {total}")
        for ocr_string, n in sorted(counts[gold_char].items(), key=lambda item: -item[1]):
            if ocr_string == gold_char.lstrip("^") or ocr_string in confusions:
                lines.append(f'"{ocr_string}" = {n / total:.5f}')
        lines.append("")
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    counts, used = count_confusions(make_missing="--cached-only" not in sys.argv)
    write_table(counts, used)
    print(OUTPUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
