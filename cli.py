"""The `diarium` command line: a thin typer layer over `pipeline` (no logic lives here,
only option parsing and rendering of results as text, tables, CSV or `--json`).

Every failure diarium foresees is a `DiariumError` whose message is one line; `main`
catches it once and prints `error: <message>` (exit status 1, or 2 for a bad value), so
no command ends in a traceback. Read commands use the read side (`pipeline.archive`),
which loads no parsing stage; write commands use `pipeline.writer`. What only some
commands need (rich's progress bar, csv, package metadata) is imported where it is used,
so that a `diarium search` from a cold start loads as little as it can.
"""

from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer.exceptions import TyperException

from config import Settings, environment_variable
from errors import DiariumError

if TYPE_CHECKING:
    from rich.progress import Progress

app = typer.Typer(
    help="diarium: Swedish municipal decision documents in, semantic search out.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)
_verbosity = {"level": 1}  # 0 quiet, 1 normal, 2 verbose


def _version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("diarium")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        out.print(f"diarium {_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say more: every file's result.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Say less: no progress, only errors and the result.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    _verbosity["level"] = 0 if quiet else 2 if verbose else 1


class Mode(str, Enum):
    hybrid = "hybrid"
    dense = "dense"
    sparse = "sparse"


class Reocr(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _section_choices() -> list[str]:
    from swedish.data import section_labels

    return section_labels()


# canonical section labels (data/swedish/sections.toml)
SectionLabel = Enum("SectionLabel", {label: label for label in _section_choices()}, type=str)
DocType = Enum("DocType", {name: name for name in __import__("document").DOC_TYPES}, type=str)

DataDir = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help=f"Archive directory (default: ${environment_variable('data_dir')}, else ~/.local/share/diarium).", show_default=False),
]
Model = Annotated[
    Optional[str],
    typer.Option("--model", help="Embedding model: a sentence-transformers id or local path (default: the index's model, else the bundled multilingual-e5-small)."),
]
QdrantUrl = Annotated[
    Optional[str], typer.Option("--qdrant-url", help=f"Use a Qdrant server at this URL instead of the embedded index (or ${environment_variable('qdrant_url')}).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _settings(**explicit) -> Settings:
    return Settings.resolve(**{key: value for key, value in explicit.items()})


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(name: str) -> str:
    """A file name safe to print on one line: control characters (a newline, an escape
    sequence) shown as escapes, and the name quoted when it had any."""
    if not _CONTROL.search(name):
        return name
    return repr(name)


def _reader(data_dir: Path | None, model: str | None = None, qdrant_url: str | None = None):
    from pipeline.archive import Archive

    return Archive(_settings(data_dir=data_dir, model=model, qdrant_url=qdrant_url))


def _writer(data_dir: Path | None, model: str | None = None, qdrant_url: str | None = None, reocr: str | None = None, create: bool = False):
    from pipeline.writer import ArchiveWriter

    return ArchiveWriter(_settings(data_dir=data_dir, model=model, qdrant_url=qdrant_url, reocr=reocr), create=create)


# --- ingest ------------------------------------------------------------------------------


class _IngestProgress:
    """Draws the ingest's progress (files, pages, chunks, the current file) on stderr and
    prints one line per failed or skipped file."""

    def __init__(self, progress: Progress, verbosity: int):
        self.progress = progress
        self.verbosity = verbosity
        self.task = progress.add_task("looking for files", total=None, pages=0, chunks=0)
        self.pages = self.chunks = 0

    def found(self, files: int) -> None:
        self.progress.update(self.task, total=files, description="checking files")

    def parsing(self, path: Path) -> None:
        self.progress.update(self.task, description=f"reading {printable(path.name)}")

    def finished(self, result) -> None:
        self.pages += result.pages
        self.progress.update(self.task, advance=1, pages=self.pages)
        name = escape(printable(result.path))
        if result.status == "failed":
            self.progress.console.print(f"[red]failed[/red]  {name}: {escape(result.message)}")
        elif result.status == "skipped" and self.verbosity >= 1:
            self.progress.console.print(f"[yellow]skipped[/yellow] {name}: {escape(result.message)}")
        elif self.verbosity >= 2:
            self.progress.console.print(f"{result.status:<9} {name}" + (f" ({result.pages} pages, {result.chunks} chunks)" if result.chunks else ""))

    def indexed(self, chunks: int) -> None:
        self.chunks += chunks
        self.progress.update(self.task, chunks=self.chunks)


def _progress_bar(console: Console, enabled: bool) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="bold"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[pages]} pages · {task.fields[chunks]} chunks indexed"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (enabled and console.is_terminal),
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF, .txt or .md files, or folders (searched recursively).")],
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    reocr: Annotated[
        Optional[Reocr], typer.Option(help=f"Re-read pages with Swedish OCR: auto (empty or damaged pages), always, never (default: ${environment_variable('reocr')}, else auto).")
    ] = None,
    password: Annotated[Optional[str], typer.Option(help="Password for encrypted PDFs.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, max=64, help="Processes parsing files in parallel (default: number of cores).")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove documents whose files are gone.")] = False,
    as_json: Json = False,
) -> None:
    """Ingest PDFs and text files into the archive. Exit status 1 if any file failed.

    Unchanged files are skipped without parsing; an edited file replaces its old version
    atomically; the same content at two paths is one document. Safe to interrupt and rerun."""
    from pipeline.filing import Progress as _Progress  # noqa: F401  (the protocol _IngestProgress follows)

    verbosity = _verbosity["level"]
    with _writer(data_dir, model, qdrant_url, reocr.value if reocr else None, create=True) as archive:
        with _progress_bar(err, verbosity >= 1 and not as_json) as bar:
            try:
                report = archive.ingest(paths, progress=_IngestProgress(bar, verbosity), password=password, workers=workers, prune=prune)
            except KeyboardInterrupt:
                err.print("interrupted: what was indexed is kept; run the same command again to resume")
                raise typer.Exit(130) from None
    summary = report.summary()
    if as_json:
        _print_json(report.to_dict())
    elif verbosity >= 1 or report.failed:
        parts = [
            f"{summary['documents']} documents ({summary['pages']} pages, {summary['chunks']} chunks) ingested",
            f"{summary['unchanged']} unchanged or duplicate",
        ]
        if summary["skipped"]:
            parts.append(f"{summary['skipped']} skipped")
        parts.append(f"{summary['failed']} failed")
        if prune:
            parts.append(f"{summary['pruned']} pruned")
        if summary["recovered"]:
            parts.append(f"{summary['recovered']} finished from an interrupted run")
        out.print(", ".join(parts) + ".")
    raise typer.Exit(1 if report.failed else 0)


# --- search ------------------------------------------------------------------------------

MARK = re.compile(r"\[\[|\]\]")


def _render_snippet(snippet: str) -> Text:
    """The snippet with the query terms (between [[ and ]]) in bold."""
    text = Text("   ")
    for n, part in enumerate(MARK.split(snippet)):
        text.append(part, style="bold yellow" if n % 2 else "")
    return text


def _place(hit) -> str:
    """`§ 137 · Dnr BN-2023-00211 · Byggnadsnämndens arbetsutskott 2024-05-23 · s. 3`."""
    parts = []
    if hit.paragraph:
        parts.append(hit.paragraph)
    if hit.dnr:
        parts.append("Dnr " + ", ".join(hit.dnr))
    parts.append(" ".join(part for part in (hit.body or hit.municipality, hit.date) if part) or "–")
    if hit.page:
        parts.append(f"s. {hit.page}")
    return " · ".join(parts)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in plain Swedish.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Number of hits.")] = 10,
    municipality: Annotated[Optional[str], typer.Option(help="Only this municipality (any case), e.g. Kungsbacka.")] = None,
    body: Annotated[Optional[str], typer.Option(help="Only documents of this body (nämnd), e.g. Byggnadsnämnden.")] = None,
    doc_type: Annotated[Optional[DocType], typer.Option("--doc-type", help="Only this document type.")] = None,
    section: Annotated[Optional[SectionLabel], typer.Option(help="Only this section.")] = None,
    dnr: Annotated[Optional[str], typer.Option(help="Only this diary number, in any printed form: 'SON 2021/459', 'BN-2023-00211'.")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only chunks naming this entity (any case), e.g. Leanlink.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only documents dated on or after YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only documents dated on or before YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    mode: Annotated[Mode, typer.Option(help="Retrieval: hybrid (meaning and words), dense (meaning), sparse (words).")] = Mode.hybrid,
    all_chunks: Annotated[bool, typer.Option("--all-chunks", help="Show every matching chunk, not only the best per document.")] = False,
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Search the archive in plain Swedish (meaning and words together by default)."""
    from pipeline.archive import SearchFilters

    filters = SearchFilters(
        municipality=municipality,
        body=body,
        section=section.value if section else None,
        dnr=dnr,
        entity=entity,
        doc_type=doc_type.value if doc_type else None,
        since=since,
        until=until,
    )
    filters.conditions()  # bad dates fail here, before the model loads
    with _reader(data_dir, model, qdrant_url) as archive:
        result = archive.search(query, filters, limit=limit, mode=mode.value, all_chunks=all_chunks)
    if as_json:
        _print_json(result.to_dict())
        return
    for name, values in result.known_values.items():
        err.print(f"note: no stored document has {name} {escape(getattr(filters, name))!r}; stored values: {escape(', '.join(values[:20]))}")
    if not result.hits:
        out.print("No hits.")
        return
    if result.weak:
        out.print("[yellow]No close match: nothing in the archive uses these words, and the nearest texts are far in meaning.[/yellow]\n")
    for rank, hit in enumerate(result.hits, 1):
        title = hit.matter_title or hit.title or Path(hit.source).name
        out.print(f"[bold]{rank}. {escape(title)}[/bold]  [dim]{hit.doc_type or 'dokument'} · score {hit.score:.2f}[/dim]")
        out.print(f"   {escape(_place(hit))} · [cyan]{escape(hit.section)}[/cyan] · doc {hit.doc_id[:12]}")
        if hit.versions:
            out.print(f"   [dim]also as {', '.join(v[:12] for v in hit.versions)} ({len(hit.sources)} files)[/dim]")
        out.print(_render_snippet(hit.snippet), "\n")


# --- show, case, list ----------------------------------------------------------------------


@app.command()
def show(
    path_or_doc_id: Annotated[str, typer.Argument(help="A PDF/.txt/.md file (processed in memory) or a stored document id (its first 6+ characters) or source path.")],
    data_dir: DataDir = None,
    reocr: Annotated[Optional[Reocr], typer.Option(help="Re-OCR policy when processing a file.")] = None,
    as_json: Json = False,
) -> None:
    """Show a document as the pipeline sees it: metadata, matters, proposals, sections, entities."""
    path = Path(path_or_doc_id)
    if path.is_file():
        from pipeline.process import process_file

        settings = _settings(data_dir=data_dir, reocr=reocr.value if reocr else None)
        doc = process_file(path, reocr=settings.reocr, limits=settings.limits, require_swedish=False)
    else:
        with _reader(data_dir) as archive:
            doc = archive.find(path_or_doc_id)
    if as_json:
        _print_json(doc.to_dict())
        return
    out.print(f"[bold]{escape(doc.title or '(no title)')}[/bold]")
    table = Table(show_header=False, box=None)
    for key in ("doc_id", "source", "doc_type", "municipality", "body", "date", "author", "page_count"):
        table.add_row(key, escape(str(getattr(doc, key)) or "–"))
    table.add_row("dnr", escape(", ".join(doc.dnr) or "–"))
    out.print(table)
    if doc.matters:
        out.print(f"\n[bold]Ärenden ({len(doc.matters)})[/bold]")
        for matter in doc.matters:
            head = " · ".join(part for part in (matter.label if (matter.paragraph or matter.number) else "", ", ".join(matter.dnr)) if part)
            out.print(f"  [cyan]{escape(head)}[/cyan]  {escape(matter.title)}" + (f"  [dim]s. {matter.page}[/dim]" if matter.page else ""))
            if matter.decision:
                out.print(f"      beslut: {escape(' '.join(matter.decision.split())[:160])}")
    for proposal in doc.proposals:
        out.print(f"\n[bold]Förslag till beslut – {escape(proposal.body or '?')}[/bold]")
        for item in proposal.items:
            out.print(f"  • {escape(item)}")
    out.print("\n[bold]Sections[/bold]")
    for section in doc.sections:
        words = len(section.text.split())
        where = f"{doc.matters[section.matter].label}: " if section.matter is not None and doc.matters else ""
        out.print(f"  [cyan]{section.label:<15}[/cyan] {escape(where + (section.heading or '(header)'))}  [dim]{words} words[/dim]")
    if doc.entities:
        out.print("\n[bold]Entities[/bold]")
        by_label: dict[str, list[str]] = {}
        for entity in doc.entities:
            by_label.setdefault(entity.label, [])
            if entity.text not in by_label[entity.label]:
                by_label[entity.label].append(entity.text)
        for label, texts in sorted(by_label.items()):
            out.print(f"  [cyan]{label:<6}[/cyan] {escape('; '.join(texts[:12]))}{' …' if len(texts) > 12 else ''}")
    if doc.edits:
        out.print(f"\n[dim]{len(doc.edits)} OCR repairs (see --json)[/dim]")
    for note in doc.notes:
        out.print(f"[dim]note: {escape(note)}[/dim]")


@app.command()
def case(
    dnr: Annotated[str, typer.Argument(help="A diary number in any printed form: 'KS 2023/553', 'KS-2023-00553', '2023-00553'.")],
    data_dir: DataDir = None,
    as_json: Json = False,
) -> None:
    """A case's history: every document, agenda item and § about one diary number, in date order."""
    with _reader(data_dir) as archive:
        entries = archive.case(dnr)
    if as_json:
        _print_json({"dnr": dnr, "entries": [entry.to_dict() for entry in entries]})
        return
    if not entries:
        out.print(f"Nothing in the archive carries diary number {escape(dnr)}.")
        return
    table = Table("date", "type", "body", "§ / item", "title", "doc", box=None)
    for entry in entries:
        where = entry.paragraph or (f"punkt {entry.number}" if entry.number else "")
        table.add_row(entry.date or "–", entry.doc_type or "–", escape(entry.body or "–"), where, escape(entry.title), entry.doc_id[:12])
    out.print(table)


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


LIST_COLUMNS = ("doc_id", "date", "doc_type", "municipality", "body", "dnr", "title", "paragraph", "number", "matter_title", "page", "page_count", "chunk_count")


@app.command(name="list")
def list_documents(
    municipality: Annotated[Optional[str], typer.Option(help="Only this municipality.")] = None,
    body: Annotated[Optional[str], typer.Option(help="Only this body.")] = None,
    doc_type: Annotated[Optional[DocType], typer.Option("--doc-type", help="Only this document type.")] = None,
    dnr: Annotated[Optional[str], typer.Option(help="Only documents carrying this diary number.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Dated on or after YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Dated on or before YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    matters: Annotated[bool, typer.Option("--matters", help="One row per § or agenda item instead of per document.")] = False,
    output: Annotated[ListFormat, typer.Option("--format", help="table, csv or jsonl (JSON lines).")] = ListFormat.table,
    as_csv: Annotated[bool, typer.Option("--csv", help="Same as --format csv.")] = False,
    as_jsonl: Annotated[bool, typer.Option("--jsonl", help="Same as --format jsonl.")] = False,
    data_dir: DataDir = None,
) -> None:
    """List what is stored, with its metadata (for a spreadsheet: --csv; for scripts: --jsonl)."""
    from pipeline.archive import SearchFilters

    filters = SearchFilters(municipality=municipality, body=body, doc_type=doc_type.value if doc_type else None, dnr=dnr, since=since, until=until)
    filters.conditions()
    with _reader(data_dir) as archive:
        rows = archive.listing(filters, matters=matters)
    kind = "csv" if as_csv else "jsonl" if as_jsonl else output.value
    columns = [c for c in LIST_COLUMNS if matters or c not in ("paragraph", "number", "matter_title", "page")]
    if kind == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    elif kind == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["; ".join(row[c]) if c == "dnr" else ("" if row.get(c) is None else row.get(c)) for c in columns])
    else:
        table = Table("date", "type", "body", "dnr", "§" if matters else "pages", "title", "doc", box=None)
        for row in rows:
            title = row.get("matter_title") or row["title"] if matters else row["title"]
            extra = (row.get("paragraph") or row.get("number") or "") if matters else str(row["page_count"] or "")
            table.add_row(row["date"] or "–", row["doc_type"] or "–", escape(row["body"] or "–"), escape(", ".join(row["dnr"])), extra, escape(title or ""), row["doc_id"][:12])
        out.print(table)
        out.print(f"[dim]{len(rows)} {'matters' if matters else 'documents'}[/dim]")


# --- maintenance -------------------------------------------------------------------------


@app.command()
def normalize(
    path: Annotated[Path, typer.Argument(help="A PDF, .txt or .md file.")],
    reocr: Annotated[Reocr, typer.Option(help="Re-OCR policy.")] = Reocr.never,
) -> None:
    """Print the cleaned, restored text of a file."""
    from pipeline.process import normalized_text

    sys.stdout.write(normalized_text(path, reocr=reocr.value))


@app.command()
def reindex(
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Embed every chunk again, also where the live index holds a vector of the same text (after changing the embedding backend).")] = False,
    as_json: Json = False,
) -> None:
    """Rebuild the vector index from the stored documents (no file is read), e.g. after a model change.

    The new index is built beside the live one and swapped in at the end; searches keep
    working meanwhile, and an interrupted rebuild resumes where it stopped. Documents
    extracted by older rules are extracted again from their stored text. With the same
    model, a chunk whose text is unchanged keeps the vector the live index holds for it."""
    with _writer(data_dir, model, qdrant_url) as archive, _progress_bar(err, _verbosity["level"] >= 1 and not as_json) as bar:
        task = bar.add_task("re-indexing", total=None, pages=0, chunks=0)
        try:
            result = archive.reindex(on_start=lambda n: bar.update(task, total=n), on_document=lambda _: bar.advance(task), reuse=not fresh)
        except KeyboardInterrupt:
            err.print("interrupted: the live index is unchanged; run `diarium reindex` again to resume")
            raise typer.Exit(130) from None
    if as_json:
        _print_json(result)
    else:
        out.print(f"Re-indexed {result['documents']} documents ({result['chunks']} chunks) with {result['model']}"
                  + (f"; {result['reused_vectors']} chunks kept their vectors" if result["reused_vectors"] else "")
                  + (f"; {result['re_extracted']} extracted again by the current rules." if result["re_extracted"] else "."))


@app.command()
def delete(
    target: Annotated[str, typer.Argument(help="A document id (its first 6+ characters) or a source path.")],
    data_dir: DataDir = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Remove a document from the archive (for a path: that path; the document goes with its last path)."""
    with _writer(data_dir, qdrant_url=qdrant_url) as archive:
        removed = archive.delete(target)
    if as_json:
        _print_json({"deleted": removed})
    else:
        out.print(f"Deleted {len(removed)} document(s)." + (f" ({', '.join(d[:12] for d in removed)})" if removed else ""))


@app.command()
def check(
    repair: Annotated[bool, typer.Option("--repair/--no-repair", help="Fix what is found (default) or only report.")] = True,
    data_dir: DataDir = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Check the archive (the document store's integrity, and that the vector index agrees with it) and repair it.

    Repairs from the stored documents: documents an interrupted ingest left half-indexed,
    index points of deleted documents, documents with missing points, a missing or
    damaged index (rebuilt), files others may read (made private). A damaged document
    store is salvaged: what can still be read goes into a new store, and the documents
    that cannot are counted and their files listed where known. Exit status 1 if
    problems remain or documents were lost."""
    with _writer(data_dir, qdrant_url=qdrant_url) as archive:
        report = archive.check(repair=repair)
    if as_json:
        _print_json(report.to_dict())
    elif report.ok:
        out.print("The archive is consistent.")
    else:
        for problem in report.store_problems[:10]:
            out.print(f"document store: {escape(problem)}")
        if report.index_problem:
            out.print(f"vector index: {escape(report.index_problem)}")
        for key in ("pending", "orphan_points", "missing_points", "sourceless"):
            found = getattr(report, key)
            if found:
                out.print(f"{key.replace('_', ' ')}: {len(found)} ({', '.join(d[:12] for d in found[:5])}{' …' if len(found) > 5 else ''})")
        if report.exposed:
            out.print(f"readable by other users: {len(report.exposed)} files or folders")
        if report.store_problems and not report.repaired:
            out.print("The document store is damaged: run `diarium check` without --no-repair to recover what can still be read.")
        elif report.store_problems:
            kept = f" (the damaged file is kept as {escape(printable(report.damaged_copy))})" if report.damaged_copy else ""
            out.print(f"The document store was damaged: {report.salvaged} documents were recovered into a new store{kept}; {report.lost_documents} are lost.")
            if report.reingest:
                out.print("Ingest these files again:")
                for path in report.reingest[:50]:
                    out.print(f"  {escape(printable(path))}")
            if report.lost_documents > len(report.reingest):
                out.print("Ingest the folders you ingested before again: files still stored are skipped, the lost ones are added.")
        else:
            out.print(("Repaired" + (" (the index was rebuilt from the stored documents)." if report.rebuilt_index else ".")) if report.repaired else "Not repaired (--no-repair).")
    raise typer.Exit(0 if report.ok or (report.repaired and not report.unrepairable) else 1)


@app.command()
def stats(data_dir: DataDir = None, qdrant_url: QdrantUrl = None, as_json: Json = False) -> None:
    """What is stored: documents, matters, pages, chunks, the model, and counts per municipality, body, year, type and section."""
    with _reader(data_dir, qdrant_url=qdrant_url) as archive:
        summary = archive.stats()
    if as_json:
        _print_json(summary)
        return
    table = Table(show_header=False, box=None)
    for key, value in summary.items():
        if key == "counts":
            continue
        table.add_row(key, escape(str(value)))
    out.print(table)
    for facet, counts in summary["counts"].items():
        shown = ", ".join(f"{value or '–'}: {count}" for value, count in list(counts.items())[:12])
        out.print(f"[bold]{facet}[/bold]  {escape(shown or '–')}")


def _error(message: str, code: int) -> None:
    err.print(f"[red]error:[/red] {escape(printable(message))}")
    sys.exit(code)


@app.command()
def serve(
    data_dir: DataDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on; another than loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8080,
    token: Annotated[
        Optional[str], typer.Option(envvar="DIARIUM_SERVE_TOKEN", help="A secret every request must carry (bearer token, or open a page once with ?token=…).")
    ] = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
) -> None:
    """Serve the archive read-only in the browser (search, documents, cases) and as a JSON API under /api/."""
    import uvicorn

    from web.app import create_app

    application = create_app(_settings(data_dir=data_dir, model=model, qdrant_url=qdrant_url), token=token, host=host)
    if _verbosity["level"] >= 1:
        err.print(f"diarium: serving {escape(str(application.state.access.settings.data_dir))} at http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(application, host=host, port=port, log_level="warning" if _verbosity["level"] < 2 else "info", server_header=False)


def main() -> None:
    """The console entry point: runs the app; a DiariumError or a bad option becomes one
    line on stderr (exit 1, or 2 for a bad value), Ctrl-C exit 130."""
    try:
        code = app(standalone_mode=False)
    except DiariumError as exc:
        _error(str(exc), exc.exit_code)
    except TyperException as exc:  # a bad option or argument (typer's own click)
        context = getattr(exc, "ctx", None)
        command = context.command_path if context else "diarium"
        _error(f"{exc.format_message()} (see `{command} --help`)", getattr(exc, "exit_code", 2))
    except typer.Abort:
        _error("interrupted", 130)
    except BrokenPipeError:  # `diarium list | head`
        sys.stderr.close()
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
