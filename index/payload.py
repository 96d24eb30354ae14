"""The payload every indexed chunk carries: one schema for both vector stores, for the
filters that select chunks and for the hits made from them.

Display fields keep the document's spelling (`municipality`, `body`, `dnr`); filters
match on keys made by `name_key` (case and diacritics folded: `stockholm` finds
`Stockholm`, `Socialnamnden` finds `Socialnämnden`) and on `swedish.dnr.dnr_keys`
(`SON 2021/459` finds `SON 2021-459`). Every such key is one string of the chunk's
`filter_keys` (`municipality=kungsbacka`, `dnr=ks-2023-553`, `entity=leanlink`), all in
one keyword index: Qdrant Edge opens each payload index of each segment when a shard is
opened, about 1.5 ms apiece: a 100k-chunk shard of 12 segments opened in 0.19 CPU-s with
nine indexes (0.03 with none), and in 0.08 with these three (doc_id, filter_keys, date).

A chunk of a protocol's § carries that matter's dnr, title and § number, so that `--dnr` finds the § and a hit can be cited; other chunks
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
PAYLOAD_VERSION = "3"
# Payload fields with a keyword index (what filters use), and the date field.
FILTER_FIELD = "filter_keys"
KEYWORD_FIELDS = ("doc_id", FILTER_FIELD)
DATE_FIELD = "date"


def name_key(name: str) -> str:
    """How names are compared in filters: folded (case, diacritics, OCR signs), and a
    genitive or definite ending left as printed (`Socialnämnden` ≠ `Socialnämnd`)."""
    return fold(name)


def keys_of_dnr(numbers: list[str]) -> list[str]:
    return list(dict.fromkeys(key for number in numbers for key in dnr_keys(number)))


def filter_key(name: str, key: str) -> str:
    """The FILTER_FIELD string for one filter (`municipality`, `body`, `section`,
    `doc_type`, `dnr`, `entity`) and one folded key."""
    return f"{name}={key}"


def _filter_keys(doc: Document, section: str, dnr: list[str], entities: list[str]) -> list[str]:
    keys = [
        filter_key("municipality", name_key(doc.municipality)),
        filter_key("body", name_key(doc.body)),
        filter_key("section", section),
        filter_key("doc_type", doc.doc_type),
    ]
    keys += [filter_key("dnr", key) for key in keys_of_dnr(dnr)]
    keys += [filter_key("entity", key) for key in sorted({name_key(entity) for entity in entities})]
    return keys


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
        "body": doc.body,
        "doc_type": doc.doc_type,
        "dnr": list(dnr),
        FILTER_FIELD: _filter_keys(doc, chunk.section, list(dnr), chunk.entities),
        "matter": chunk.matter,
        "paragraph": matter.paragraph if matter else None,
        "matter_title": matter.title if matter else "",
    }
    if doc.date:  # a datetime index rejects empty strings
        payload[DATE_FIELD] = doc.date
    return payload
