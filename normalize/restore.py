"""Restoration of Swedish words damaged by non-Swedish OCR (`férvaltningen` →
`förvaltningen`, `&dgare` → `ägare`). Every change is returned as an `Edit`.

This is the seam for the OCR-repair model; see issue 3.
"""

from __future__ import annotations

from document import Edit


def restore_swedish(text: str) -> tuple[str, list[Edit]]:
    return text, []
