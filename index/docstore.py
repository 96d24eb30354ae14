"""The document store: every processed `Document` in SQLite, so that `show`, `reindex`
and consistency checks never need the original file again.

Tables: `documents` (one row per content hash, the whole Document as JSON plus the
columns used to list and filter), `sources` (every path a document was read from, with
size and mtime so unchanged files are skipped cheaply) and `meta` (key/value: the
embedding model and dimension the live index was built with).

A document row is `pending` while its chunks are being written to the vector store and
`live` once they all are; only live documents are searched.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from document import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'pending',
    title TEXT, municipality TEXT, body TEXT, date TEXT, doc_type TEXT,
    dnr TEXT, page_count INTEGER, chunk_count INTEGER DEFAULT 0,
    data TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    size INTEGER, mtime REAL
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass
class SourceRecord:
    path: str
    doc_id: str
    size: int
    mtime: float


class DocumentStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def transaction(self):
        """`with store.transaction():` groups writes atomically."""
        return _Transaction(self._db)

    # --- documents ---------------------------------------------------------------------

    def put(self, doc: Document, state: str = "pending", chunk_count: int = 0) -> None:
        data = doc.to_dict()
        data.pop("sources", None)  # sources live in their own table
        self._db.execute(
            """INSERT INTO documents (doc_id, state, title, municipality, body, date, doc_type, dnr,
                                      page_count, chunk_count, data, ingested_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(doc_id) DO UPDATE SET state=excluded.state, title=excluded.title,
                 municipality=excluded.municipality, body=excluded.body, date=excluded.date,
                 doc_type=excluded.doc_type, dnr=excluded.dnr, page_count=excluded.page_count,
                 chunk_count=excluded.chunk_count, data=excluded.data""",
            (
                doc.doc_id, state, doc.title, doc.municipality, doc.body, doc.date, doc.doc_type,
                json.dumps(doc.dnr, ensure_ascii=False), doc.page_count, chunk_count,
                json.dumps(data, ensure_ascii=False), time.time(),
            ),
        )

    def set_state(self, doc_id: str, state: str, chunk_count: int | None = None) -> None:
        if chunk_count is None:
            self._db.execute("UPDATE documents SET state=? WHERE doc_id=?", (state, doc_id))
        else:
            self._db.execute("UPDATE documents SET state=?, chunk_count=? WHERE doc_id=?", (state, chunk_count, doc_id))

    def state(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT state FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def get(self, doc_id: str) -> Document | None:
        row = self._db.execute("SELECT data FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if not row:
            return None
        doc = Document.from_dict(json.loads(row[0]))
        doc.sources = self.sources_of(doc_id)
        return doc

    def resolve_id(self, prefix: str) -> list[str]:
        """Doc ids starting with `prefix` (users may type a short hash)."""
        rows = self._db.execute("SELECT doc_id FROM documents WHERE doc_id LIKE ?", (prefix + "%",)).fetchall()
        return [row[0] for row in rows]

    def delete(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def doc_ids(self, state: str | None = None) -> list[str]:
        if state:
            rows = self._db.execute("SELECT doc_id FROM documents WHERE state=? ORDER BY doc_id", (state,))
        else:
            rows = self._db.execute("SELECT doc_id FROM documents ORDER BY doc_id")
        return [row[0] for row in rows]

    def live_among(self, doc_ids: set[str]) -> set[str]:
        """Those of `doc_ids` that are live (search results are checked against the store
        without reading every id in it)."""
        if not doc_ids:
            return set()
        marks = ",".join("?" * len(doc_ids))
        rows = self._db.execute(f"SELECT doc_id FROM documents WHERE state='live' AND doc_id IN ({marks})", tuple(doc_ids))
        return {row[0] for row in rows}

    def documents(self, state: str | None = "live") -> Iterator[Document]:
        for doc_id in self.doc_ids(state):
            doc = self.get(doc_id)
            if doc is not None:
                yield doc

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT doc_id, chunk_count FROM documents WHERE state='live'").fetchall())

    def chunk_total(self) -> int:
        return int(self._db.execute("SELECT COALESCE(SUM(chunk_count),0) FROM documents WHERE state='live'").fetchone()[0])

    def summary(self) -> dict:
        count = lambda sql: self._db.execute(sql).fetchall()  # noqa: E731
        return {
            "documents": count("SELECT COUNT(*) FROM documents WHERE state='live'")[0][0],
            "pending": count("SELECT COUNT(*) FROM documents WHERE state!='live'")[0][0],
            "sources": count("SELECT COUNT(*) FROM sources")[0][0],
            "pages": count("SELECT COALESCE(SUM(page_count),0) FROM documents WHERE state='live'")[0][0],
            "chunks": self.chunk_total(),
            "municipalities": dict(count("SELECT municipality, COUNT(*) FROM documents WHERE state='live' GROUP BY municipality")),
            "doc_types": dict(count("SELECT doc_type, COUNT(*) FROM documents WHERE state='live' GROUP BY doc_type")),
        }

    # --- sources -----------------------------------------------------------------------

    def add_source(self, path: str, doc_id: str, size: int, mtime: float) -> None:
        self._db.execute(
            "INSERT INTO sources (path, doc_id, size, mtime) VALUES (?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size, mtime=excluded.mtime",
            (path, doc_id, size, mtime),
        )

    def source(self, path: str) -> SourceRecord | None:
        row = self._db.execute("SELECT path, doc_id, size, mtime FROM sources WHERE path=?", (path,)).fetchone()
        return SourceRecord(*row) if row else None

    def sources_of(self, doc_id: str) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT path FROM sources WHERE doc_id=? ORDER BY path", (doc_id,))]

    def all_sources(self) -> list[SourceRecord]:
        return [SourceRecord(*row) for row in self._db.execute("SELECT path, doc_id, size, mtime FROM sources ORDER BY path")]

    def remove_source(self, path: str) -> None:
        self._db.execute("DELETE FROM sources WHERE path=?", (path,))

    # --- meta --------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self):
        self._db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
