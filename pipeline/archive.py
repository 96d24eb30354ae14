"""The archive, read side: what `search`, `show`, `case`, `list`, `stats` and the web
server use. It opens the document store read-only and never imports the parsing stages
(ingest, normalize, extract: pdfplumber, spaCy), so it is small, quick to load and
safe to serve. Writing is pipeline/writer.py, which builds on this.

Reading needs no write access and no free disk space: a snapshot of an archive on a
read-only mount can be searched.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from config import DEFAULT_MODEL, Settings
from document import Document, Hit
from errors import ModelMismatchError, NotFoundError, StorageError, UsageError
from index.embed.embedder import Embedder
from index.payload import PAYLOAD_VERSION, name_key
from index.query import MAX_LIMIT, SearchFilters, check_limit, date_bound
from index.search import encode_query, facet_pool, is_weak
from index.search import search as search_index
from index.sparse import SCHEME as SPARSE_SCHEME
from index.stores import open_vector_store
from index.stores.base import VectorStore
from pipeline.store import DocumentStore
from swedish.dnr import dnr_key, dnr_keys

# What callers of the read side build and check their requests with (the CLI, the server)
__all__ = ["Archive", "CaseEntry", "MAX_LIMIT", "SearchFilters", "SearchResult"]

# How many candidate chunks the facet counts of a search are taken from (about a hundred
# documents: the counts say where the best matches are, not where every word occurs).
FACET_CANDIDATES = 200
FACET_FIELDS = ("municipality", "body", "doc_type", "year")
# A case's documents on the same day, in the order a matter goes through them.
_CASE_ORDER = {"tjänsteskrivelse": 0, "tjänsteutlåtande": 0, "yttrande": 1, "kallelse": 2, "protokollsutdrag": 3, "protokoll": 3}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    weak: bool  # nothing in the archive is a real match for the query
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    known_values: dict[str, list[str]] = field(default_factory=dict)  # for a filter that matched nothing

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "weak": self.weak,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
            "known_values": self.known_values,
        }


@dataclass
class CaseEntry:
    """One step of a case: a document, or the matter of a protocol or agenda, that
    carries the case's diary number."""

    doc_id: str
    doc_type: str
    date: str
    body: str
    title: str
    dnr: str
    paragraph: str | None = None
    number: str | None = None
    matter: int | None = None
    page: int | None = None
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class Archive:
    def __init__(
        self,
        settings: Settings,
        vectors: VectorStore | None = None,
        embedder: Embedder | None = None,
        readonly: bool = True,
    ):
        self.settings = settings
        if readonly and not settings.data_dir.is_dir():
            raise NotFoundError(f"no archive at {settings.data_dir} (nothing has been ingested there; give --data-dir or run `diarium ingest`)")
        self.store = DocumentStore(settings.documents_db, readonly=readonly)
        self.vectors = vectors or open_vector_store(settings)
        self._embedder = embedder

    def close(self) -> None:
        self.store.close()
        self.vectors.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- model -------------------------------------------------------------------------

    @property
    def indexed_model(self) -> str | None:
        return self.store.get_meta("model")

    @property
    def model_name(self) -> str:
        """The model asked for, else the one the index was built with, else the default."""
        return self.settings.model or self.indexed_model or DEFAULT_MODEL

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            # a model named only by the stored index is never fetched from a hub: an
            # archive must not cause network access by itself
            self._embedder = Embedder(
                self.model_name,
                backend=self.settings.embedding_backend,
                allow_download=self.settings.model is not None,
            )
        return self._embedder

    @property
    def index_recipe(self) -> str:
        """What an index built now is made with: model, sparse term scheme, payload schema."""
        return f"{self.embedder.model_name} | {SPARSE_SCHEME} | payload {PAYLOAD_VERSION}"

    def check_index_recipe(self) -> None:
        """Refuse an index built by another model or an older recipe, with what to run."""
        indexed = self.indexed_model
        if not indexed or not self.vectors.exists():
            return
        if indexed != self.model_name:
            dimension = self.store.get_meta("dimension")
            raise ModelMismatchError(
                f"the index was built with model {indexed} ({dimension}-d) but {self.model_name} was asked for; "
                f"run `diarium reindex --model {self.model_name}` to rebuild it"
            )
        if self.store.get_meta("sparse_scheme") != SPARSE_SCHEME or self.store.get_meta("payload_version") != PAYLOAD_VERSION:
            raise ModelMismatchError("the index was built by an older version of diarium; run `diarium reindex` to rebuild it")

    # --- reading -----------------------------------------------------------------------

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        mode: str = "hybrid",
        all_chunks: bool = False,
        facets: bool = False,
    ) -> SearchResult:
        if not query.strip():
            raise UsageError("empty query: say what to look for")
        check_limit(limit)
        filters = filters or SearchFilters()
        if not self.vectors.exists():
            if self.store.doc_ids("live"):  # documents but no index: never an empty answer
                raise StorageError("the vector index is missing; run `diarium check` to rebuild it from the stored documents")
            return SearchResult(query, [], True)
        self.check_index_recipe()
        encoded = encode_query(query, self.embedder if mode != "sparse" else None, mode)
        with self.vectors.session(writing=False):  # one opening of the index for all of a search's reads
            hits = search_index(encoded, self.vectors, self.store.live_sources, filters, limit, mode, all_chunks)
            pool = facet_pool(encoded, self.vectors, self.store.live_sources, filters, mode, FACET_CANDIDATES) if facets else None
        result = SearchResult(query, hits, is_weak(hits, len(encoded.terms)))
        if pool is not None:
            result.facets = {name: _count(pool, name) for name in FACET_FIELDS}
        if not hits and not filters.is_empty():
            result.known_values = self.known_values(filters)
        return result

    def known_values(self, filters: SearchFilters) -> dict[str, list[str]]:
        """For each name filter that matches no stored document, the values that exist."""
        known: dict[str, list[str]] = {}
        for name, facet in (("municipality", "municipality"), ("body", "body"), ("doc_type", "doc_type"), ("section", "section")):
            value = getattr(filters, name)
            if not value:
                continue
            values = [v for v in self.store.counts(facet) if v]
            if name_key(value) not in {name_key(v) for v in values}:
                known[name] = values
        return known

    def find(self, path_or_id: str) -> Document:
        """A stored document by (a prefix of) its id or by one of its source paths."""
        record = self.store.source(str(Path(path_or_id).expanduser().resolve()))
        if record:
            doc = self.store.get(record.doc_id)
            if doc is not None:
                return doc
        matches = self.store.resolve_id(path_or_id) if len(path_or_id) >= 6 else []
        if len(matches) > 1:
            raise UsageError(f"{path_or_id!r} matches {len(matches)} documents; give more of the id")
        doc = self.store.get(matches[0]) if matches else None
        if doc is None:
            raise NotFoundError(f"no stored document or source path matches {path_or_id!r}")
        return doc

    def case(self, dnr: str) -> list[CaseEntry]:
        """Everything about one matter, in date order: documents and matters (§, agenda
        items) carrying the diary number in any of its printed forms."""
        if not dnr.strip():
            raise UsageError("give a diary number, e.g. 'KS 2023/553'")
        asked = dnr_key(dnr)
        prefixed = asked[:1].isalpha()
        entries: list[CaseEntry] = []
        documents: dict[str, Document | None] = {}
        for reference in self.store.references(dnr_keys(dnr)):
            stored = dnr_key(reference.dnr)
            if prefixed and stored[:1].isalpha() and stored != asked:
                continue  # another registry's number with the same year and serial
            if reference.doc_id not in documents:
                documents[reference.doc_id] = self.store.get(reference.doc_id)
            doc = documents[reference.doc_id]
            if doc is None:
                continue
            matter = doc.matters[reference.matter] if reference.matter is not None and reference.matter < len(doc.matters) else None
            entries.append(
                CaseEntry(
                    doc_id=doc.doc_id,
                    doc_type=doc.doc_type,
                    date=doc.date,
                    body=doc.body,
                    title=matter.title if matter else doc.title,
                    dnr=reference.dnr,
                    paragraph=matter.paragraph if matter else None,
                    number=matter.number if matter else None,
                    matter=reference.matter,
                    page=matter.page if matter else (1 if doc.pages else None),
                    sources=list(doc.sources),
                )
            )
        unique = {(entry.doc_id, entry.matter): entry for entry in entries}
        return sorted(unique.values(), key=lambda e: (e.date or "9999", _CASE_ORDER.get(e.doc_type, 1), e.paragraph or "", e.doc_id))

    def listing(self, filters: SearchFilters | None = None, matters: bool = False) -> list[dict]:
        """Stored documents (and, with `matters`, each § or agenda item) with their metadata."""
        filters = filters or SearchFilters()
        rows = [row for row in self.store.rows() if _row_matches(row, filters)]
        if not matters:
            return rows
        listed: list[dict] = []
        for row in rows:
            doc = self.store.get(row["doc_id"])
            if doc is None:
                continue
            if not doc.matters:
                listed.append({**row, "paragraph": None, "number": None, "matter_title": "", "page": 1 if doc.pages else None})
            for matter in doc.matters:
                listed.append(
                    {**row, "dnr": matter.dnr, "paragraph": matter.paragraph, "number": matter.number, "matter_title": matter.title, "page": matter.page}
                )
        return listed

    def stats(self) -> dict:
        summary = self.store.summary()
        summary.update(
            data_dir=str(self.settings.data_dir),
            model=self.indexed_model,
            dimension=int(self.store.get_meta("dimension") or 0) or None,
            index_points=self.vectors.count(),
            index=self.settings.qdrant_url or str(self.settings.edge_dir),
            counts={facet: self.store.counts(facet) for facet in ("municipality", "body", "year", "doc_type", "section")},
        )
        return summary


def _count(pool: list[dict], name: str) -> dict[str, int]:
    """Documents per value of a payload field (`year` from the date)."""
    counts: dict[str, int] = {}
    for payload in pool:
        value = (payload.get("date") or "")[:4] if name == "year" else payload.get(name) or ""
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _row_matches(row: dict, filters: SearchFilters) -> bool:
    if filters.municipality and name_key(row["municipality"] or "") != name_key(filters.municipality):
        return False
    if filters.body and name_key(row["body"] or "") != name_key(filters.body):
        return False
    if filters.doc_type and (row["doc_type"] or "") != filters.doc_type:
        return False
    if filters.dnr and not set(dnr_keys(filters.dnr)[:1]) & {key for number in row["dnr"] for key in dnr_keys(number)}:
        return False
    date = row["date"] or ""
    if filters.since or filters.until:
        if not date:
            return False
        if filters.since and date < date_bound("--since", filters.since, end=False):
            return False
        if filters.until and date > date_bound("--until", filters.until, end=True):
            return False
    return True
