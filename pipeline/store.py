"""The document store: every processed `Document` in SQLite, so that `show`, `reindex`,
`case` and consistency checks never need the original file again.

Tables: `documents` (one row per content hash: the whole Document as JSON plus the
columns used to list, count and filter), `sources` (every path a document was read
from, with size and mtime so unchanged files are skipped cheaply), `dnr_index` (every
diary number of a document or of one of its matters, under `swedish.dnr.dnr_keys`,
for `diarium case`) and `meta` (key/value: what the live index was built with).

A document row is `pending` while its chunks are being written to the vector store and
`live` once they all are; only live documents are searched.

A reader opens the database read-only (a snapshot on a read-only mount works, and
reading needs no free disk space); every SQLite failure becomes one `StorageError`
line that says what to do.

A damaged database (not a database any more, or pages SQLite finds malformed) still
opens for a writer, with `damage` saying what is wrong: every query then fails with one
line pointing to `diarium check`, and `check` can `salvage` it: every row that can still
be read is copied into a new database that takes the damaged one's place (which is kept
beside it as `documents.sqlite.damaged-<time>`), and the documents that could not be
read are reported with the files they came from where those are known. Salvaging beats
starting over: 8 KB of garbage in the middle of a store loses the rows of two or three
pages, not every document.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from document import Document
from errors import NotFoundError, StorageError
from swedish.dnr import dnr_keys

STORE_SCHEMA = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'pending',
    title TEXT, municipality TEXT, body TEXT, date TEXT, doc_type TEXT,
    dnr TEXT, page_count INTEGER, chunk_count INTEGER DEFAULT 0,
    data TEXT NOT NULL,
    ingested_at REAL NOT NULL,
    labels TEXT NOT NULL DEFAULT '[]',
    matter_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    size INTEGER, mtime REAL
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE TABLE IF NOT EXISTS dnr_index (
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    matter INTEGER,  -- index into the document's matters; NULL: the document itself
    dnr TEXT NOT NULL  -- as printed
);
CREATE INDEX IF NOT EXISTS dnr_index_key ON dnr_index(key);
CREATE INDEX IF NOT EXISTS dnr_index_doc ON dnr_index(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
# Columns added since the first store; an older store gets them when a writer opens it.
_ADDED_COLUMNS = {"labels": "TEXT NOT NULL DEFAULT '[]'", "matter_count": "INTEGER NOT NULL DEFAULT 0"}
FACETS = ("municipality", "body", "doc_type", "year")


@dataclass
class SourceRecord:
    path: str
    doc_id: str
    size: int
    mtime: float


@dataclass
class Salvage:
    """What `DocumentStore.salvage` kept and lost."""

    documents: int  # documents copied into the new store
    lost_paths: list[str] = field(default_factory=list)  # files whose stored document could not be read
    damaged_copy: str = ""  # where the damaged database was moved


@dataclass
class DnrReference:
    """A document, or one of its matters, that carries a diary number."""

    doc_id: str
    matter: int | None
    dnr: str


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _nearly_full(folder: Path) -> bool:
    """SQLite says "disk I/O error" when it cannot make its write-ahead log on a full disk."""
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _translate(path: Path, exc: sqlite3.Error) -> StorageError:
    text = str(exc)
    if "full" in text or ("disk I/O error" in text and _nearly_full(path.parent)):
        return StorageError(f"the disk holding {path.parent} is full; free some space and run the command again")
    if "readonly" in text or "read-only" in text or ("unable to open" in text and path.parent.is_dir() and not os.access(path.parent, os.W_OK)):
        return StorageError(f"{path.parent} is read-only; writing needs a writable data directory")
    if "unable to open" in text:
        return StorageError(f"cannot open {path} (missing, or no permission)")
    if _is_damage(exc):
        return StorageError(f"{path} is damaged ({text}); run `diarium check` to recover what can be read")
    if "locked" in text or "busy" in text:
        return StorageError(f"{path} is locked by another process; try again")
    return StorageError(f"{path}: {text}")


class DocumentStore:
    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.damage: str | None = None  # why a writer's database cannot be used (see module doc)
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if readonly or not _is_damage(exc):
                raise _translate(self.path, exc) from None
            self.damage = f"{self.path.name}: {exc}"
            self._db = sqlite3.connect(self.path, isolation_level=None)  # opening reads nothing
        except sqlite3.Error as exc:
            raise _translate(self.path, exc) from None

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            if not self.path.exists():
                raise NotFoundError(f"no archive at {self.path.parent} (nothing has been ingested there)")
            try:
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60, isolation_level=None)
                db.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    raise StorageError(f"{self.path} is not a diarium archive (no documents table); see `diarium check`") from None
                # a read-only mount: the WAL's shared memory cannot be made, and nobody writes
                db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, isolation_level=None)
                db.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
            return db
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        created = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        if created:
            os.chmod(self.path, 0o600)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
        for name, definition in _ADDED_COLUMNS.items():
            if name not in columns:
                db.execute(f"ALTER TABLE documents ADD COLUMN {name} {definition}")
        return db

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db
        except sqlite3.Error as exc:
            raise _translate(self.path, exc) from None

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._sql() as db:
            return db.execute(sql, args).fetchall()

    def _run(self, sql: str, args: tuple = ()) -> None:
        with self._sql() as db:
            db.execute(sql, args)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically (a transaction inside another joins it)."""
        if self._db.in_transaction:
            yield
            return
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- documents ---------------------------------------------------------------------

    def put(self, doc: Document, state: str = "pending", chunk_count: int = 0) -> None:
        data = doc.to_dict()
        data.pop("sources", None)  # sources live in their own table
        labels = sorted({section.label for section in doc.sections})
        with self.transaction():
            self._run(
                """INSERT INTO documents (doc_id, state, title, municipality, body, date, doc_type, dnr,
                                          page_count, chunk_count, data, ingested_at, labels, matter_count)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(doc_id) DO UPDATE SET state=excluded.state, title=excluded.title,
                     municipality=excluded.municipality, body=excluded.body, date=excluded.date,
                     doc_type=excluded.doc_type, dnr=excluded.dnr, page_count=excluded.page_count,
                     chunk_count=excluded.chunk_count, data=excluded.data, labels=excluded.labels,
                     matter_count=excluded.matter_count""",
                (
                    doc.doc_id, state, doc.title, doc.municipality, doc.body, doc.date, doc.doc_type,
                    json.dumps(doc.dnr, ensure_ascii=False), doc.page_count, chunk_count,
                    json.dumps(data, ensure_ascii=False), time.time(), json.dumps(labels), len(doc.matters),
                ),
            )
            self._run("DELETE FROM dnr_index WHERE doc_id=?", (doc.doc_id,))
            for matter, number in _diary_numbers(doc):
                for key in dnr_keys(number):
                    self._run("INSERT INTO dnr_index (key, doc_id, matter, dnr) VALUES (?,?,?,?)", (key, doc.doc_id, matter, number))

    def set_state(self, doc_id: str, state: str, chunk_count: int | None = None) -> None:
        if chunk_count is None:
            self._run("UPDATE documents SET state=? WHERE doc_id=?", (state, doc_id))
        else:
            self._run("UPDATE documents SET state=?, chunk_count=? WHERE doc_id=?", (state, chunk_count, doc_id))

    def state(self, doc_id: str) -> str | None:
        rows = self._rows("SELECT state FROM documents WHERE doc_id=?", (doc_id,))
        return rows[0][0] if rows else None

    def get(self, doc_id: str) -> Document | None:
        rows = self._rows("SELECT data FROM documents WHERE doc_id=?", (doc_id,))
        if not rows:
            return None
        try:
            doc = Document.from_dict(json.loads(rows[0][0]))
        except (json.JSONDecodeError, TypeError, KeyError, ValueError, AttributeError) as exc:
            raise StorageError(f"document {doc_id[:12]} in {self.path} is damaged ({type(exc).__name__}); run `diarium check`") from None
        doc.sources = self.sources_of(doc_id)
        return doc

    def resolve_id(self, prefix: str) -> list[str]:
        """Doc ids starting with `prefix` (users may type a short hash)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [row[0] for row in self._rows("SELECT doc_id FROM documents WHERE doc_id LIKE ? ESCAPE '\\'", (escaped + "%",))]

    def delete(self, doc_id: str) -> None:
        self._run("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def doc_ids(self, state: str | None = None) -> list[str]:
        if state:
            return [row[0] for row in self._rows("SELECT doc_id FROM documents WHERE state=? ORDER BY doc_id", (state,))]
        return [row[0] for row in self._rows("SELECT doc_id FROM documents ORDER BY doc_id")]

    def live_sources(self, doc_ids: set[str]) -> dict[str, list[str]]:
        """The source paths of those of `doc_ids` that are live (search results are
        checked against the store without reading every id in it)."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self._rows(
            f"SELECT d.doc_id, s.path FROM documents d LEFT JOIN sources s ON s.doc_id = d.doc_id "
            f"WHERE d.state='live' AND d.doc_id IN ({marks}) ORDER BY s.path",
            tuple(doc_ids),
        )
        found: dict[str, list[str]] = {}
        for doc_id, path in rows:
            found.setdefault(doc_id, [])
            if path:
                found[doc_id].append(path)
        return found

    def documents(self, state: str | None = "live") -> Iterator[Document]:
        for doc_id in self.doc_ids(state):
            doc = self.get(doc_id)
            if doc is not None:
                yield doc

    def rows(self, where: str = "", args: tuple = ()) -> list[dict]:
        """Live documents' listing columns (no JSON parsed), newest first."""
        rows = self._rows(
            "SELECT doc_id, title, municipality, body, date, doc_type, dnr, page_count, chunk_count, matter_count "
            f"FROM documents WHERE state='live' {where} ORDER BY date DESC, title",
            args,
        )
        keys = ("doc_id", "title", "municipality", "body", "date", "doc_type", "dnr", "page_count", "chunk_count", "matter_count")
        try:
            return [dict(zip(keys, row)) | {"dnr": json.loads(row[6] or "[]")} for row in rows]
        except json.JSONDecodeError:
            raise StorageError(f"{self.path} is damaged (a diary number list is not JSON); run `diarium check`") from None

    def references(self, keys: list[str]) -> list[DnrReference]:
        """Documents and matters carrying a diary number with one of these keys."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._rows(
            f"SELECT DISTINCT i.doc_id, i.matter, i.dnr FROM dnr_index i JOIN documents d ON d.doc_id = i.doc_id "
            f"WHERE d.state='live' AND i.key IN ({marks})",
            tuple(keys),
        )
        return [DnrReference(doc_id, matter, dnr) for doc_id, matter, dnr in rows]

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._rows("SELECT doc_id, chunk_count FROM documents WHERE state='live'"))

    def chunk_total(self) -> int:
        return int(self._rows("SELECT COALESCE(SUM(chunk_count),0) FROM documents WHERE state='live'")[0][0])

    def counts(self, facet: str) -> dict[str, int]:
        """Live documents per value of a facet (municipality, body, doc_type, year, section)."""
        if facet == "year":
            rows = self._rows("SELECT substr(date,1,4), COUNT(*) FROM documents WHERE state='live' GROUP BY 1 ORDER BY 2 DESC")
        elif facet == "section":
            rows = self._rows(
                "SELECT j.value, COUNT(*) FROM documents d, json_each(d.labels) j WHERE d.state='live' GROUP BY 1 ORDER BY 2 DESC"
            )
        elif facet in FACETS:
            rows = self._rows(f"SELECT {facet}, COUNT(*) FROM documents WHERE state='live' GROUP BY 1 ORDER BY 2 DESC")
        else:
            raise ValueError(f"unknown facet {facet!r}")
        return {value or "": count for value, count in rows}

    def summary(self) -> dict:
        one = lambda sql: self._rows(sql)[0][0]  # noqa: E731
        return {
            "documents": one("SELECT COUNT(*) FROM documents WHERE state='live'"),
            "pending": one("SELECT COUNT(*) FROM documents WHERE state!='live'"),
            "sources": one("SELECT COUNT(*) FROM sources"),
            "pages": one("SELECT COALESCE(SUM(page_count),0) FROM documents WHERE state='live'"),
            "matters": one("SELECT COALESCE(SUM(matter_count),0) FROM documents WHERE state='live'"),
            "chunks": self.chunk_total(),
        }

    # --- sources -----------------------------------------------------------------------

    def add_source(self, path: str, doc_id: str, size: int, mtime: float) -> None:
        self._run(
            "INSERT INTO sources (path, doc_id, size, mtime) VALUES (?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size, mtime=excluded.mtime",
            (path, doc_id, size, mtime),
        )

    def source(self, path: str) -> SourceRecord | None:
        rows = self._rows("SELECT path, doc_id, size, mtime FROM sources WHERE path=?", (path,))
        return SourceRecord(*rows[0]) if rows else None

    def sources_of(self, doc_id: str) -> list[str]:
        return [row[0] for row in self._rows("SELECT path FROM sources WHERE doc_id=? ORDER BY path", (doc_id,))]

    def all_sources(self) -> list[SourceRecord]:
        return [SourceRecord(*row) for row in self._rows("SELECT path, doc_id, size, mtime FROM sources ORDER BY path")]

    def is_source(self, path: str) -> bool:
        """Is `path` recorded as the source of a live document (what may be served)?"""
        rows = self._rows("SELECT 1 FROM sources s JOIN documents d ON d.doc_id = s.doc_id WHERE s.path=? AND d.state='live'", (path,))
        return bool(rows)

    def remove_source(self, path: str) -> None:
        self._run("DELETE FROM sources WHERE path=?", (path,))

    # --- meta and health ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._run("INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check, and documents that cannot be read back."""
        if self.damage:
            return [self.damage]
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
            doc_ids = [row[0] for row in self._db.execute("SELECT doc_id FROM documents").fetchall()]
        except sqlite3.Error as exc:
            return [str(exc)]
        for doc_id in doc_ids:
            try:
                self.get(doc_id)
            except StorageError as exc:
                problems.append(str(exc))
        return problems

    # --- salvage -----------------------------------------------------------------------

    def salvage(self) -> Salvage:
        """Copy every readable row into a new database, move the damaged one aside and
        put the new one in its place (this store then uses it)."""
        fresh_path = self.path.with_name(self.path.name + ".salvage")
        for leftover in _with_companions(fresh_path):
            leftover.unlink(missing_ok=True)
        self._db.close()
        damaged = _open_damaged(self.path)
        fresh = DocumentStore(fresh_path)
        try:
            kept, lost_paths = _copy_readable(damaged, fresh)
        finally:
            damaged.close()
            fresh.close()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for source, target in zip(_with_companions(self.path), _with_companions(aside)):
            if source.exists():
                os.replace(source, target)
        os.replace(fresh_path, self.path)
        self.damage = None
        self._db = self._connect()
        return Salvage(kept, lost_paths, str(aside))


def _with_companions(path: Path) -> list[Path]:
    """A database file and its write-ahead log and shared-memory files."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _open_damaged(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        db.execute("PRAGMA schema_version").fetchall()
        return db
    except sqlite3.DatabaseError:  # its write-ahead log cannot be read either: the file alone
        return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, isolation_level=None)


# Rowids tried past the last one a scan reached (a store truncated after its last good page).
_PROBE_PAST_END = 10_000


def _readable_rows(db: sqlite3.Connection, table: str, columns: str) -> list[tuple]:
    """The rows of `table` that can be read: a scan from each end, then every rowid
    between where the scans stopped, one at a time (a damaged page loses its own rows,
    not those after it)."""
    found: dict[int, tuple] = {}
    for order in ("ASC", "DESC"):
        try:
            for row in db.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid {order}"):
                found[row[0]] = row[1:]
        except sqlite3.DatabaseError:
            pass
    known = sorted(found)
    gaps = [range(a + 1, b) for a, b in zip([0] + known, known) if b - a > 1]
    gaps.append(range((known[-1] if known else 0) + 1, (known[-1] if known else 0) + _PROBE_PAST_END))
    for gap in gaps:
        for rowid in gap:
            try:
                row = db.execute(f"SELECT rowid, {columns} FROM {table} WHERE rowid=?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row:
                found[row[0]] = row[1:]
    return [found[rowid] for rowid in sorted(found)]



def _copy_readable(damaged: sqlite3.Connection, fresh: DocumentStore) -> tuple[int, list[str]]:
    """Documents, sources and meta that can be read, into `fresh`; (documents kept,
    paths whose document was lost)."""
    kept: set[str] = set()
    with fresh.transaction():
        for doc_id, state, chunk_count, data in _readable_rows(damaged, "documents", "doc_id, state, chunk_count, data"):
            try:
                doc = Document.from_dict(json.loads(data))
            except Exception:  # noqa: BLE001 - whatever cannot be read back is lost
                continue
            if doc.doc_id == doc_id:
                fresh.put(doc, state=state if state in ("live", "pending") else "pending", chunk_count=chunk_count or 0)
                kept.add(doc_id)
        lost_paths = []
        for path, doc_id, size, mtime in _readable_rows(damaged, "sources", "path, doc_id, size, mtime"):
            if doc_id in kept:
                fresh.add_source(path, doc_id, size, mtime)
            elif isinstance(path, str):
                lost_paths.append(path)
        for key, value in _readable_rows(damaged, "meta", "key, value"):
            fresh.set_meta(key, value)
    return len(kept), sorted(lost_paths)


def _diary_numbers(doc: Document) -> list[tuple[int | None, str]]:
    """(matter index or None, dnr) for every diary number of the document and its matters."""
    found = [(index, number) for index, matter in enumerate(doc.matters) for number in matter.dnr]
    numbered = {number for _, number in found}
    found += [(None, number) for number in doc.dnr if number not in numbered]
    return found
