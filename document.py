"""The typed data that flows through diarium: ingest → normalize → extract → index.

Every stage takes one of these plain dataclasses and returns the next one; nothing else
crosses a stage boundary. `Document` is the single model of a processed decision
document: the SQLite store keeps it as JSON (`to_dict`/`from_dict`), `show --json`
prints it, and the index chunks it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """The text of one page as read from the file, before any normalization."""

    number: int  # 1-based
    text: str
    origin: str = "text_layer"  # "text_layer", "ocr" (re-OCR'd by diarium) or "plain_text"


@dataclass
class RawDocument:
    """Output of `ingest`: a file's identity and its page texts."""

    doc_id: str  # sha256 of the file's bytes
    source: str  # absolute path of the file it was read from
    pages: list[Page]
    file_type: str  # "pdf" or "txt"
    notes: list[str] = field(default_factory=list)  # e.g. "page 3: no text layer, tesseract missing"

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)


@dataclass
class Edit:
    """One change the normalizer made to the text, kept so that it can be reported."""

    start: int  # offset in the normalized text
    before: str
    after: str
    confidence: float
    rule: str  # e.g. "ocr-restore", "dehyphenate"


@dataclass
class NormalizedDocument:
    """Output of `normalize`: clean, restored text plus a record of what changed."""

    doc_id: str
    source: str
    file_type: str
    text: str
    page_count: int
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A titled part of a document; `label` is canonical (see data/swedish/sections.toml)."""

    label: str
    heading: str
    text: str
    start: int  # offset of the heading (or of the text, for the untitled header) in Document.text


@dataclass
class Proposal:
    """The proposed decision for one deciding body, as its list of items."""

    body: str
    items: list[str]


@dataclass
class Entity:
    text: str
    label: str  # PRS, ORG, LOC, TME, MSR, DNR, LAW, PARTY
    start: int
    end: int


@dataclass
class Document:
    """Output of `extract`: the whole structured document, as stored and indexed."""

    doc_id: str
    source: str
    file_type: str
    text: str
    page_count: int
    title: str = ""
    municipality: str = ""
    body: str = ""  # the deciding body (nämnd/styrelse) the document is addressed to
    date: str = ""  # ISO date, "" when unknown
    dnr: list[str] = field(default_factory=list)
    doc_type: str = ""  # tjänsteskrivelse, tjänsteutlåtande, yttrande, …
    author: str = ""  # handläggare
    language: str = "sv"
    sections: list[Section] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # every path this content was seen at

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        nested = {
            "sections": Section,
            "proposals": Proposal,
            "entities": Entity,
            "edits": Edit,
        }
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name, kind in nested.items():
            values[name] = [kind(**item) for item in values.get(name, [])]
        return cls(**values)


@dataclass
class Chunk:
    """A piece of one section of one document, the unit that is embedded and searched."""

    chunk_id: str  # uuid derived from doc_id and ordinal, stable across re-indexing
    doc_id: str
    ordinal: int
    section: str  # canonical section label
    heading: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)  # document fields copied into the payload


@dataclass
class Hit:
    """One search result."""

    doc_id: str
    chunk_id: str
    score: float
    source: str
    title: str
    municipality: str
    body: str
    date: str
    dnr: list[str]
    section: str
    heading: str
    text: str
    snippet: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
