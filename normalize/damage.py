"""Where does a text show OCR damage? The damage λ that the confusion channel
(normalize/confusions.py) is scaled by, estimated for each word from its neighbours.

A document may be clean throughout (digitally born), damaged throughout (a text layer
OCR'd with an English model), or both (digital pages and scanned ones), and may hold
passages in other languages. One λ for the whole document let restoration act on clean
text wherever a word looked damaged: at λ = 0.002, the floor of the old per-document
estimate, an unknown compound became a known one (`lovplikt` → `lövplikt`,
`algindustri` → `älgindustri`), a surname a word (`Sager` → `Säger`), a verb another
(`tacka` → `täcka`), and a North Sami text, full of words that are no Swedish word, was
taken for a damaged one (`dán` → `dan`).

So each word gets the probability that the text around it (the distinct words within
WINDOW words either side, other than itself) is clean Swedish, damaged Swedish or
another language, from the kind of each of those words:

| kind       | clean  | damaged | foreign |
| ---------- | -----: | ------: | ------: |
| INTACT     | 0.29   | 0.01    | 0.01    |
| RESTORABLE | 0.0019 | 0.21    | 0.06    |
| FOREIGN    | 0.005  | 0.002   | 0.70    |
| NEUTRAL    | 0.70   | 0.70    | 0.23    |

INTACT: a known word with intact å/ä/ö, which English OCR almost never leaves.
RESTORABLE: no word as written, but one once read through the confusion table
(`forvaltningen`). FOREIGN: in an English phrase, with a letter Swedish lacks
(normalize/foreign.py), or a lower-case word that is no word, damaged or not.
NEUTRAL: anything else.

Measured on the clean text of g0vse TUNE (214,000 words), the train documents' OCR'd
layers (3,358 words: no intact word at all; 0.01 allows for OCR that keeps some) and,
for the foreign column, a North Sami text of TUNE and this project's English READMEs.
NEUTRAL is 0.79 in damaged text, but only because intact words are missing there, which
is counted already; its share matters only against foreign text. The log likelihoods
are added to prior odds that are those of the whole document (the old per-document
estimate λ_doc for damaged against clean, FOREIGN_PRIOR for another language: a passage
resembles its document unless its own words say otherwise).

Then λ = P(damaged | window) · λ_damaged, λ_damaged being the share of Swedish letters
lost inside the damaged passages (0.98 on OCR'd layers), and never below MIN_DAMAGE. On
OCR'd layers λ stays at λ_doc. On clean text it falls to MIN_DAMAGE, where a plain
reading beats an unknown word only for a word above zipf 4.8 that wordfreq does not list
unaccented (`o` read for `ö` costs log(1e-6 · 0.46) = −14.6 nats, 6.3 in zipf, against
the unknown word's −1.5), while readings through a mark no Swedish word has still win
(`bes6k` → `besök`, `férvaltningen` → `förvaltningen`). On g0vse the floor made no
difference between 1e-6 and 1e-4 (no false edit); at 1e-3 5 came back (`algindustri` →
`älgindustri`). Counting each distinct word once keeps a word repeated in a passage
(`lovplikt` 19 times) from making the passage look damaged by itself.

With the per-document λ instead (and the other rules of this change), 9 false edits
remained on g0vse TUNE and 18 on HOLDOUT (4.1 and 8.2 per 100,000 words); with this,
none, and the OCR repair figures are unchanged (docs/eval-ocr.md). When a digital text
layer and an OCR'd one are one text, the OCR'd half is repaired better (WER 0.91 %
against 1.29 %) and no word of the digital half is broken (2 before).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

INTACT, RESTORABLE, FOREIGN, NEUTRAL = 0, 1, 2, 3
# P(kind | clean, damaged, foreign text), as measured above
_SHARES = {
    INTACT: (0.29, 0.01, 0.01),
    RESTORABLE: (0.0019, 0.21, 0.06),
    FOREIGN: (0.005, 0.002, 0.70),
    NEUTRAL: (0.70, 0.70, 0.23),
}
_LOG = {kind: tuple(math.log(p) for p in shares) for kind, shares in _SHARES.items()}
WINDOW = 30
FOREIGN_PRIOR = 0.01
MIN_DOCUMENT, MAX_DAMAGE = 0.002, 0.98  # bounds of λ_doc (its prior: 0.1 damaged in 2.1 words)
MIN_DAMAGE = 1e-6


def document_damage(kinds: Sequence[int]) -> float:
    """λ_doc: the share of the document's evidence words that are damaged (with a small
    prior towards clean text)."""
    damaged = sum(1 for kind in kinds if kind == RESTORABLE)
    intact = sum(1 for kind in kinds if kind == INTACT)
    return _bounded((damaged + 0.1) / (damaged + intact + 2.1))


def _bounded(level: float) -> float:
    return min(MAX_DAMAGE, max(MIN_DOCUMENT, level))


def _damaged_share(log_clean: float, log_damaged: float, log_foreign: float) -> float:
    """P(damaged) from the three log likelihoods."""
    rival = max(log_clean, log_foreign)
    if log_damaged - rival < -40:
        return 0.0
    if log_damaged - rival > 40:
        return 1.0
    return 1.0 / (1.0 + math.exp(log_clean - log_damaged) + math.exp(log_foreign - log_damaged))


def local_damage(forms: Sequence[str], kinds: Sequence[int]) -> list[float]:
    """λ for each word, from all the words of the text in order: their forms (the same
    form counts once in a window) and kinds (INTACT, RESTORABLE, FOREIGN, NEUTRAL)."""
    if not kinds:
        return []
    document = document_damage(kinds)
    prior = (
        math.log((1 - document) * (1 - FOREIGN_PRIOR)),
        math.log(document * (1 - FOREIGN_PRIOR)),
        math.log(FOREIGN_PRIOR),
    )
    last = len(kinds)
    counts: dict[str, int] = {}
    sums = [0.0, 0.0, 0.0]
    logs = [_LOG[kind] for kind in kinds]

    def add(j: int, sign: int) -> None:
        before = counts.get(forms[j], 0)
        counts[forms[j]] = before + sign
        if before == (0 if sign > 0 else 1):  # the form enters or leaves the window
            log = logs[j]
            sums[0] += sign * log[0]
            sums[1] += sign * log[1]
            sums[2] += sign * log[2]

    for j in range(min(last, WINDOW + 1)):
        add(j, +1)
    shares = []
    for i in range(last):
        if i > WINDOW:
            add(i - WINDOW - 1, -1)
        if i > 0 and i + WINDOW < last:
            add(i + WINDOW, +1)
        own = logs[i]  # the word's own form is not evidence about itself
        shares.append(_damaged_share(prior[0] + sums[0] - own[0], prior[1] + sums[1] - own[1], prior[2] + sums[2] - own[2]))
    # λ inside the damaged passages: their evidence words, each weighted by P(damaged)
    damaged = sum(p for p, kind in zip(shares, kinds) if kind == RESTORABLE)
    intact = sum(p for p, kind in zip(shares, kinds) if kind == INTACT)
    inside = _bounded((damaged + 0.1) / (damaged + intact + 2.1))
    return [max(MIN_DAMAGE, p * inside) for p in shares]
