"""The matters (ärenden) of a protocol or an agenda: one per § of a protocol, one per
item of an agenda, each with its diary numbers, title, decision and page.

A document of one matter (a tjänsteskrivelse, a yttrande) has none: the document is the
matter. Sections inside a matter's span are tagged with its index (`Section.matter`).
"""

from __future__ import annotations

from document import Document, Matter


def find_matters(doc: Document) -> list[Matter]:
    """The matters of `doc` (empty for a single-matter document)."""
    return []
