"""List bullets that OCR misread: a line that begins with one of data/swedish/layout.toml's
`ocr_bullets` (`e`, `«`), a space and a capital is a list point, and gets its `•` back, so
that a decision's list reads as one (`e Inga-Lill Bjartén (S) väljs …` → `• Inga-Lill …`).
Not an edit of a word: restoration's record of edits does not list it."""

from __future__ import annotations

import re
from functools import lru_cache

from swedish.data import layout


@lru_cache(maxsize=1)
def _misread_bullet() -> re.Pattern[str]:
    readings = "|".join(re.escape(reading) for reading in layout()["ocr_bullets"])
    return re.compile(rf"(?m)^(?:{readings})(?= [A-ZÅÄÖ])")


def restore_bullets(text: str) -> str:
    return _misread_bullet().sub("•", text)
