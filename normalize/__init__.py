"""Stage 2, normalize: turn a `RawDocument`'s page texts into one clean Swedish text.

Steps, in order (each a small module): Unicode repair (ftfy, NFC), line-break
de-hyphenation, whitespace, then restoration of OCR-damaged Swedish words
(normalize/restore.py), which records every change it makes as an `Edit`.
"""

from __future__ import annotations

from document import NormalizedDocument, RawDocument
from normalize.hyphenation import dehyphenate
from normalize.restore import restore_swedish
from normalize.unicode import fix_unicode
from normalize.whitespace import normalize_whitespace


def normalize_text(text: str, restore: bool = True) -> tuple[str, list]:
    """Clean one text; return it with the list of restoration edits."""
    text = normalize_whitespace(dehyphenate(fix_unicode(text)))
    if not restore:
        return text, []
    return restore_swedish(text)


def normalize(raw: RawDocument, restore: bool = True) -> NormalizedDocument:
    text, edits = normalize_text(raw.text, restore=restore)
    return NormalizedDocument(
        doc_id=raw.doc_id,
        source=raw.source,
        file_type=raw.file_type,
        text=text,
        page_count=len(raw.pages),
        edits=edits,
        notes=list(raw.notes),
    )


__all__ = ["normalize", "normalize_text"]
