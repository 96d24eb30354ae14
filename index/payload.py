"""The payload every indexed chunk carries: one schema for both vector stores, for the
filters that select chunks and for the hits made from them.

Display fields keep the document's spelling (`municipality`, `body`, `dnr`); filters
match on keys made by `name_key` (case and diacritics folded: `stockholm` finds
`Stockholm`, `Socialnamnden` finds `Socialnämnden`) and on `swedish.dnr.dnr_keys`
(`SON 2021/459` finds `SON 2021-459`). A chunk of a protocol's § carries that matter's
dnr, title and § number, so that `--dnr` finds the § and a hit can be cited; other chunks
carry the document's. Source paths are not in the payload: they change when a copy is
added or removed, and the document store is their one home.
"""

from __future__ import annotations

from typing import Any

from document import Chunk, Document
from swedish.fold import fold
from swedish.dnr import dnr_keys

# Names this schema; an index whose payloads were made by another cannot be filtered
# right, so the archive asks for `diarium reindex` (pipeline/archive.py).
PAYLOAD_VERSION = "2"
# Payload fields with a keyword index (what filters and facets use), and the date field.
KEYWORD_FIELDS = ("doc_id", "municipality_key", "body_key", "section", "dnr_keys", "entity_keys", "doc_type", "year")
DATE_FIELD = "date"


def name_key(name: str) -> str:
    """How names are compared in filters: folded (case, diacritics, OCR signs), and a
    genitive or definite ending left as printed (`Socialnämnden` ≠ `Socialnämnd`)."""
    return fold(name)


def keys_of_dnr(numbers: list[str]) -> list[str]:
    return list(dict.fromkeys(key for number in numbers for key in dnr_keys(number)))


def chunk_payload(doc: Document, chunk: Chunk) -> dict[str, Any]:
    """The payload of one chunk of `doc`."""
    matter = doc.matters[chunk.matter] if chunk.matter is not None else None
    dnr = matter.dnr if matter is not None and matter.dnr else doc.dnr
    payload: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "chunk_id": chunk.chunk_id,
        "ordinal": chunk.ordinal,
        "section": chunk.section,
        "heading": chunk.heading,
        "text": chunk.text,
        "page": chunk.page,
        "title": doc.title,
        "municipality": doc.municipality,
        "municipality_key": name_key(doc.municipality),
        "body": doc.body,
        "body_key": name_key(doc.body),
        "doc_type": doc.doc_type,
        "dnr": list(dnr),
        "dnr_keys": keys_of_dnr(list(dnr)),
        "entity_keys": sorted({name_key(entity) for entity in chunk.entities}),
        "matter": chunk.matter,
        "paragraph": matter.paragraph if matter else None,
        "matter_title": matter.title if matter else "",
    }
    if doc.date:  # a datetime index rejects empty strings
        payload[DATE_FIELD] = doc.date
        payload["year"] = doc.date[:4]
    return payload
