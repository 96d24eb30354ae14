"""The typed data that flows through diarium: ingest → normalize → extract → index.

Every stage takes one of these plain dataclasses and returns the next one; nothing else
crosses a stage boundary. `Document` is the single model of a processed decision
document: the SQLite store keeps it as JSON (`to_dict`/`from_dict`, versioned by
`SCHEMA_VERSION`), `show --json` and the web API print it, and the index chunks it.

Page provenance: the pages of a file are joined with `PAGE_BREAK` (a form feed on a line
of its own) and the break survives normalization, so every offset in `Document.text`
knows its page (`Document.page_at`); `Document.pages` says where each page starts and
how its text was read (text layer, OCR, plain text).

A document holds `matters` (ärenden) when it decides or lists several: one per § of a
protocol, one per item of an agenda. A tjänsteskrivelse or yttrande is about one matter,
which is the document itself: its `matters` list is empty and its own title, dnr and
proposals describe it.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from errors import SchemaError

# 1: (unversioned) the model before page provenance and matters.
# 2: pages, matters, sections tagged with their matter, the extraction version.
SCHEMA_VERSION = 2
PAGE_BREAK = "\n\f\n"

DOC_TYPES = (
    "tjänsteskrivelse",
    "tjänsteutlåtande",
    "yttrande",
    "protokoll",
    "protokollsutdrag",
    "kallelse",
    "delegationsbeslut",
    "motion",
    "medborgarförslag",
    "skrivelse",
    "beslut",
    "rapport",
)
MULTI_MATTER_TYPES = frozenset({"protokoll", "protokollsutdrag", "kallelse"})


@dataclass
class Page:
    """The text of one page as read from the file, before any normalization."""

    number: int  # 1-based
    text: str
    origin: str = "text_layer"  # "text_layer", "ocr" (re-read by diarium) or "plain_text"


@dataclass
class RawDocument:
    """Output of `ingest`: a file's identity and its page texts."""

    doc_id: str  # sha256 of the file's bytes
    source: str  # absolute path of the file it was read from
    pages: list[Page]
    file_type: str  # "pdf", "txt" or "md"
    notes: list[str] = field(default_factory=list)  # e.g. "page 3: no text layer, tesseract missing"

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(page.text.strip("\n") for page in self.pages)


@dataclass
class PageInfo:
    """Where a page starts in the document's text and how its text was read."""

    number: int
    start: int
    origin: str = "text_layer"


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
    pages: list[PageInfo]
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass
class Section:
    """A titled part of a document; `label` is canonical (see data/swedish/sections.toml)."""

    label: str
    heading: str
    text: str
    start: int  # offset of the heading (or of the text, for the untitled header) in Document.text
    matter: int | None = None  # index into Document.matters of the § or item it belongs to


@dataclass
class Proposal:
    """The proposed decision for one deciding body, as its list of items."""

    body: str
    items: list[str]


@dataclass
class Matter:
    """One ärende of a protocol (a §) or of an agenda (an item), with what the protocol
    says about it. Texts are those of the matter's own sections; "" where it has none."""

    paragraph: str | None  # `§ 137` (protocols)
    number: str | None  # agenda item number, `12`
    dnr: list[str]
    title: str
    start: int  # offset in Document.text where the matter begins
    end: int
    page: int | None  # where it starts; None when the page is unknown
    decision: str = ""  # the decision of a § (`Beslut`, `<Body>s beslut:`)
    items: list[str] = field(default_factory=list)  # the decision's att-satser
    proposal: str = ""  # the proposal it was decided on (`Beredning:`, `<Officer>s förslag:`)
    motions: str = ""  # yrkanden made at the meeting
    procedure: str = ""  # beslutsgång, omröstning
    conflicts: str = ""  # jäv
    reservations: str = ""  # reservationer, protokollsanteckningar
    distribution: str = ""  # beslutet skickas till / expedieras till

    @property
    def label(self) -> str:
        """How people cite it: `§ 137`, `punkt 12`, or its title."""
        return self.paragraph or (f"punkt {self.number}" if self.number else self.title)


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
    pages: list[PageInfo] = field(default_factory=list)  # empty: page boundaries unknown (schema 1)
    title: str = ""
    municipality: str = ""
    body: str = ""  # the deciding body (nämnd/styrelse) the document is addressed to or from
    date: str = ""  # ISO date, "" when unknown
    dnr: list[str] = field(default_factory=list)  # of the document, or of all its matters
    doc_type: str = ""  # one of DOC_TYPES, "" when unknown
    author: str = ""  # handläggare
    language: str = "sv"
    sections: list[Section] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    matters: list[Matter] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # every path this content was seen at
    extraction: str = ""  # the version of the extraction rules that made it (extract.VERSION)
    schema: int = SCHEMA_VERSION

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @cached_property
    def _page_starts(self) -> list[int]:
        return [page.start for page in self.pages]

    def page_at(self, offset: int) -> int | None:
        """The page number of an offset in `text`; None when page boundaries are unknown."""
        if not self.pages:
            return None
        return self.pages[max(0, bisect_right(self._page_starts, offset) - 1)].number

    def matter_at(self, offset: int) -> int | None:
        """The index of the matter an offset in `text` belongs to, if any."""
        for index, matter in enumerate(self.matters):
            if matter.start <= offset < matter.end:
                return index
        return None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """A stored document, migrated from an older schema where needed. A document of a
        newer schema, or with keys this schema does not know, is refused rather than
        silently shortened."""
        data = dict(data)
        schema = data.get("schema", 1)
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise SchemaError(f"document {data.get('doc_id', '?')} was stored by a newer diarium (schema {schema}); upgrade diarium")
        if schema == 1:
            data = _migrate_from_1(data)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise SchemaError(f"document {data.get('doc_id', '?')} has unknown fields {sorted(unknown)}: the store is damaged")
        nested = {"sections": Section, "proposals": Proposal, "matters": Matter, "entities": Entity, "edits": Edit, "pages": PageInfo}
        for name, kind in nested.items():
            data[name] = [kind(**item) for item in data.get(name, [])]
        return cls(**data)


def _migrate_from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 had `page_count` but no page boundaries, and no matters: the pages stay
    unknown and `extraction` is empty, so that `diarium reindex` extracts it again."""
    data.pop("page_count", None)
    data.update(schema=SCHEMA_VERSION, pages=[], matters=[], extraction="")
    return data


@dataclass
class Chunk:
    """A piece of one section of one document, the unit that is embedded and searched."""

    chunk_id: str  # uuid derived from doc_id and ordinal, stable across re-indexing
    doc_id: str
    ordinal: int
    section: str  # canonical section label
    heading: str
    text: str
    page: int | None = None
    matter: int | None = None  # index into the document's matters
    entities: list[str] = field(default_factory=list)  # named in the chunk's section


@dataclass
class Hit:
    """One search result: a chunk with what a reader needs to place and cite it."""

    doc_id: str
    chunk_id: str
    score: float
    source: str
    title: str  # the document's title
    municipality: str
    body: str
    date: str
    doc_type: str
    dnr: list[str]  # of the matter the chunk belongs to, else of the document
    section: str
    heading: str
    text: str
    page: int | None = None
    paragraph: str | None = None  # `§ 137` for a chunk of a protocol's §
    matter: int | None = None  # index into the document's matters (its § or agenda item)
    matter_title: str = ""
    sources: list[str] = field(default_factory=list)  # every path of this content
    versions: list[str] = field(default_factory=list)  # other documents with the same text (a digital and an OCR'd copy)
    similarity: float | None = None  # cosine of the query's and the chunk's embeddings
    matched_terms: int = 0  # query terms the chunk contains
    snippet: str = ""

    def to_dict(self) -> dict[str, Any]:
        # field by field, not dataclasses.asdict, which deep-copies generically: 0.3 ms a
        # hit, a tenth of what the server spent on a whole search
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {**values, "dnr": list(self.dnr), "sources": list(self.sources), "versions": list(self.versions)}
