"""The OCR confusion model: P(OCR string | gold character), learned from aligned OCR'd
and gold texts (data/swedish/ocr_confusions.toml, made by tests/eval/learn_confusions.py).

The table describes text read by a non-Swedish OCR model ("damaged"); rows `^x` hold the
statistics of x at the start of a word, where English OCR behaves differently (`är` →
`Ar`). A document is a mix of damaged and clean text: with damage λ (estimated for each
word from the text around it, normalize/damage.py) P(o | g) = λ·P_damaged(o | g) +
(1 − λ)·[o = g]. On clean text λ is near 0 and no confusion is believable, which keeps
restoration off clean words.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache

from config import SWEDISH_DATA
from swedish.fold import fold_word

TABLE = SWEDISH_DATA / "ocr_confusions.toml"
UNSEEN = 1e-5  # P_damaged of a confusion never seen in training
UNSEEN_IDENTITY = 5e-3  # P_damaged(g | g) for a gold character the training OCR never kept
CASE_FLIP = 0.01  # an unseen confusion that also changes case: P of the same-case one times this


class ConfusionModel:
    def __init__(self, table: dict[str, dict[str, float]]):
        self.table = table
        readings: dict[str, set[str]] = {}
        for gold, row in table.items():
            gold = gold.lstrip("^")
            for ocr in row:
                if ocr and fold_word(ocr) != fold_word(gold):
                    readings.setdefault(ocr.lower(), set()).add(gold.lower())
        # lower-case OCR string → gold characters it may stand for beyond the folding
        self.readings = {ocr: tuple(sorted(golds)) for ocr, golds in readings.items()}
        # capitals the OCR writes for lower-case letters (`A` for ä in `VAld`)
        self.case_marks = frozenset(ocr for g, row in table.items() for ocr in row if ocr.isupper() and g.lstrip("^").islower())
        # gold characters the OCR may drop altogether
        self.dropped = tuple(sorted({g.lstrip("^").lower() for g, row in table.items() if "" in row}))
        self.longest_reading = max((len(ocr) for ocr in self.readings), default=1)
        # gold characters whose identity reading is not certain (P(g | g) < 1): all others
        # read as themselves cost nothing, which lets the channel skip them
        self.confusable = frozenset(g.lstrip("^") for g in table) | frozenset(g.lstrip("^").upper() for g in table)
        self._log: dict[tuple[str, str, bool, float], float] = {}

    def damaged(self, ocr: str, gold: str, initial: bool = False) -> float:
        """P_damaged(ocr | gold); `initial`: gold is the first letter of the word. Unseen
        case combinations back off to lower case (times CASE_FLIP if the case changed)."""
        for key in ("^" + gold if initial else "", gold):
            row = self.table.get(key)
            if row and ocr in row:
                return row[ocr]
        lower_ocr, lower_gold = ocr.lower(), gold.lower()
        if (lower_ocr, lower_gold) != (ocr, gold):
            p = self.damaged(lower_ocr, lower_gold, initial)
            same_case = ocr == lower_ocr if gold == lower_gold else ocr != lower_ocr or not ocr.isalpha()
            return p if same_case else max(UNSEEN, CASE_FLIP * p)
        if ocr == gold:
            return UNSEEN_IDENTITY if gold in self.table else 1.0
        return UNSEEN

    def log_p(self, ocr: str, gold: str, damage: float, initial: bool = False) -> float:
        key = (ocr, gold, initial, damage)
        value = self._log.get(key)
        if value is None:
            p = damage * self.damaged(ocr, gold, initial) + (1 - damage) * (ocr == gold)
            value = math.log(max(p, 1e-12))
            self._log[key] = value
        return value


@lru_cache(maxsize=1)
def load_model() -> ConfusionModel:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    table = {gold: {ocr: p for ocr, p in row.items() if ocr != "count"} for gold, row in data.items()}
    return ConfusionModel(table)
