"""Stage 2, normalize: turn a `RawDocument`'s page texts into one clean Swedish text.

Steps, in order (each a small module): Unicode repair (ftfy, NFC), line-break
de-hyphenation, whitespace, list bullets that OCR misread (bullets.py), then restoration
of OCR-damaged Swedish words (normalize/restore.py: only where the text around a word
shows damage, damage.py; never in addresses and codes, spans.py, or other languages,
foreign.py), which records every change it makes as an `Edit`.
"""

from __future__ import annotations

import re

from document import NormalizedDocument, PageInfo, RawDocument
from normalize.bullets import restore_bullets
from normalize.hyphenation import dehyphenate
from normalize.restore import restore_swedish
from normalize.unicode import fix_unicode
from normalize.whitespace import normalize_whitespace


def normalize_text(text: str, restore: bool = True) -> tuple[str, list]:
    """Clean one text; return it with the list of restoration edits."""
    text = restore_bullets(normalize_whitespace(dehyphenate(fix_unicode(text))))
    if not restore:
        return text, []
    return restore_swedish(text)


def page_starts(text: str) -> list[int]:
    """Where each page begins in a text whose pages are joined by document.PAGE_BREAK."""
    return [0] + [match.end() for match in re.finditer("\n\f\n", text)]


def normalize(raw: RawDocument, restore: bool = True) -> NormalizedDocument:
    text, edits = normalize_text(raw.text, restore=restore)
    starts = page_starts(text)
    origins = [page.origin for page in raw.pages] + ["text_layer"] * max(0, len(starts) - len(raw.pages))
    return NormalizedDocument(
        doc_id=raw.doc_id,
        source=raw.source,
        file_type=raw.file_type,
        text=text,
        pages=[PageInfo(number=n + 1, start=start, origin=origins[n]) for n, start in enumerate(starts)],
        edits=edits,
        notes=list(raw.notes),
    )


__all__ = ["normalize", "normalize_text"]
