"""The `diarium` command line: a thin typer layer over `pipeline` (no logic lives here,
only option parsing and rendering of results as text, tables or `--json`)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from config import Settings
from index.snippets import MARK_CLOSE, MARK_OPEN
from index.vectorstore import SEARCH_MODES, SearchFilters

app = typer.Typer(
    help="diarium: Swedish municipal decision documents in, semantic search out.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)

DataDir = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help="Data directory (default: $DIARIUM_DATA_DIR, else ~/.local/share/diarium).", show_default=False),
]
Model = Annotated[
    Optional[str],
    typer.Option("--model", help="Embedding model: a sentence-transformers id or path (default: the index's model, else the bundled multilingual-e5-small)."),
]
QdrantUrl = Annotated[
    Optional[str],
    typer.Option("--qdrant-url", help="Use a Qdrant server at this URL instead of the embedded index (or $DIARIUM_QDRANT_URL)."),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _archive(data_dir: Path | None, model: str | None = None, qdrant_url: str | None = None, reocr: str | None = None):
    from pipeline import Archive

    return Archive(Settings.resolve(data_dir=data_dir, model=model, qdrant_url=qdrant_url, reocr=reocr))


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF or .txt files, or folders (searched recursively).")],
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    reocr: Annotated[str, typer.Option(help="Re-OCR pages with Swedish tesseract: auto (empty or damaged pages), always, never.")] = "auto",
    password: Annotated[Optional[str], typer.Option(help="Password for encrypted PDFs.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Processes parsing PDFs in parallel (default: number of cores).")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove documents whose files are gone.")] = False,
    as_json: Json = False,
) -> None:
    """Ingest PDFs and text files into the archive. Exit status 1 if any file failed.

    Unchanged files are skipped without parsing; an edited file replaces its old version
    atomically; the same content at two paths is one document. Safe to interrupt and rerun."""
    from pipeline.archive import ModelMismatchError
    from pipeline.locking import WriterLockedError

    with _archive(data_dir, model, qdrant_url, reocr) as archive, _progress(err) as progress:
        task = progress.add_task("Ingesting", total=None)

        def on_file(result) -> None:
            progress.advance(task)
            if result.status == "failed":  # one line per bad file, as it happens, on stderr
                progress.console.print(f"[red]failed[/red] {escape(result.path)}: {escape(result.message)}", soft_wrap=True)

        try:
            report = archive.ingest(
                paths, on_start=lambda n: progress.update(task, total=n), on_file=on_file, password=password, workers=workers, prune=prune
            )
        except (WriterLockedError, ModelMismatchError) as exc:
            _fail(str(exc))
    summary = report.summary()
    if as_json:
        _print_json(report.to_dict())
    else:
        out.print(
            f"{summary['documents']} documents ({summary['pages']} pages, {summary['chunks']} chunks) ingested, "
            f"{summary['skipped']} skipped (unchanged or duplicate), {summary['failed']} failed"
            + (f", {summary['pruned']} pruned." if prune else ".")
        )
    raise typer.Exit(1 if report.failed else 0)


def _render_snippet(snippet: str) -> Text:
    """The snippet with the query terms (between MARK_OPEN/MARK_CLOSE) in bold."""
    text = Text("   ")
    for n, part in enumerate(re.split(f"{re.escape(MARK_OPEN)}|{re.escape(MARK_CLOSE)}", snippet)):
        text.append(part, style="bold yellow" if n % 2 else "")
    return text


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in plain Swedish.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Number of hits.")] = 10,
    municipality: Annotated[Optional[str], typer.Option(help="Only this municipality, e.g. Linköping.")] = None,
    body: Annotated[Optional[str], typer.Option(help="Only documents for this body (nämnd), as shown in results.")] = None,
    section: Annotated[Optional[str], typer.Option(help="Only this section label: proposals, arende, samrad, background, …")] = None,
    dnr: Annotated[Optional[str], typer.Option(help="Only documents with this diarienummer, e.g. 'SON 2021-459'.")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only chunks mentioning this entity, e.g. Leanlink.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only documents dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only documents dated on or before YYYY-MM-DD.")] = None,
    mode: Annotated[str, typer.Option(help=f"Retrieval mode: {', '.join(SEARCH_MODES)}.")] = "hybrid",
    all_chunks: Annotated[bool, typer.Option("--all-chunks", help="Show every matching chunk, not only the best per document.")] = False,
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Search the archive semantically (dense + lexical by default)."""
    from pipeline.archive import ModelMismatchError

    filters = SearchFilters(municipality=municipality, body=body, section=section, dnr=dnr, entity=entity, since=since, until=until)
    with _archive(data_dir, model, qdrant_url) as archive:
        try:
            hits = archive.search(query, filters, limit=limit, mode=mode, all_chunks=all_chunks)
        except (ModelMismatchError, ValueError) as exc:
            _fail(str(exc))
    if as_json:
        _print_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        out.print("No hits.")
        return
    for rank, hit in enumerate(hits, 1):
        dnr_text = ", ".join(hit.dnr) or "–"
        out.print(
            f"[bold]{rank}. {escape(hit.title or Path(hit.source).name)}[/bold]  [dim]score {hit.score:.3f}[/dim]\n"
            f"   {escape(hit.municipality or '–')} · {escape(hit.date or '–')} · dnr {escape(dnr_text)} · "
            f"section [cyan]{escape(hit.section)}[/cyan] · doc {hit.doc_id[:12]}"
        )
        out.print(_render_snippet(hit.snippet), "\n")


def _document_json(doc) -> dict:
    data = doc.to_dict()
    data["proposals"] = [{"body": p["body"], "items": p["items"]} for p in data["proposals"]]
    return data


@app.command()
def show(
    path_or_doc_id: Annotated[str, typer.Argument(help="A PDF/.txt file (processed in memory) or a stored document id (or its first 6+ characters).")],
    data_dir: DataDir = None,
    reocr: Annotated[str, typer.Option(help="Re-OCR policy when processing a file: auto, always, never.")] = "auto",
    as_json: Json = False,
) -> None:
    """Show a document as the pipeline sees it: metadata, sections, proposals, entities."""
    from ingest import IngestError
    from pipeline import process_file

    path = Path(path_or_doc_id)
    doc = None
    if path.is_file():
        try:
            doc = process_file(path, reocr=reocr, require_swedish=False)
        except IngestError as exc:
            _fail(f"{exc.path}: {exc.reason}")
    else:
        with _archive(data_dir) as archive:
            doc = archive.find(path_or_doc_id)
        if doc is None:
            _fail(f"no file or stored document matches {path_or_doc_id!r}")
    if as_json:
        _print_json(_document_json(doc))
        return
    out.print(f"[bold]{escape(doc.title or '(no title)')}[/bold]")
    table = Table(show_header=False, box=None)
    for key in ("doc_id", "source", "doc_type", "municipality", "body", "date", "author", "page_count"):
        table.add_row(key, escape(str(getattr(doc, key)) or "–"))
    table.add_row("dnr", escape(", ".join(doc.dnr) or "–"))
    out.print(table)
    for proposal in doc.proposals:
        out.print(f"\n[bold]Förslag till beslut – {escape(proposal.body or '?')}[/bold]")
        for item in proposal.items:
            out.print(f"  • {escape(item)}")
    out.print("\n[bold]Sections[/bold]")
    for section in doc.sections:
        words = len(section.text.split())
        out.print(f"  [cyan]{section.label:<15}[/cyan] {escape(section.heading or '(header)')}  [dim]{words} words[/dim]")
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
def normalize(
    path: Annotated[Path, typer.Argument(help="A PDF or .txt file.")],
    reocr: Annotated[str, typer.Option(help="Re-OCR policy: auto, always, never.")] = "never",
) -> None:
    """Print the cleaned, restored text of a PDF or .txt file."""
    from ingest import IngestError, read_document
    from normalize import normalize as normalize_document

    try:
        raw = read_document(path, reocr=reocr)
    except IngestError as exc:
        _fail(f"{exc.path}: {exc.reason}")
    sys.stdout.write(normalize_document(raw).text)


@app.command()
def reindex(
    data_dir: DataDir = None,
    model: Model = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Rebuild the vector index from the stored documents (no PDF parsing), e.g. after a model change.

    The new index is built beside the live one and swapped in at the end; searches keep
    working meanwhile, and an interrupted rebuild resumes where it stopped."""
    from pipeline.locking import WriterLockedError

    with _archive(data_dir, model, qdrant_url) as archive, _progress(err) as progress:
        task = progress.add_task("Re-indexing", total=None)
        try:
            result = archive.reindex(on_start=lambda n: progress.update(task, total=n), on_document=lambda _: progress.advance(task))
        except WriterLockedError as exc:
            _fail(str(exc))
    if as_json:
        _print_json(result)
    else:
        out.print(f"Re-indexed {result['documents']} documents ({result['chunks']} chunks) with {result['model']}.")


@app.command()
def delete(
    target: Annotated[str, typer.Argument(help="A document id (or its first 6+ characters) or a source path.")],
    data_dir: DataDir = None,
    qdrant_url: QdrantUrl = None,
    as_json: Json = False,
) -> None:
    """Remove a document from the archive (for a path: that path; the document goes with its last path)."""
    from pipeline.locking import WriterLockedError

    with _archive(data_dir, qdrant_url=qdrant_url) as archive:
        try:
            removed = archive.delete(target)
        except (ValueError, WriterLockedError) as exc:
            _fail(str(exc))
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
    """Check that the document store and the vector index agree, and repair them.

    Finds documents an interrupted ingest left half-indexed, index points of deleted
    documents, documents with missing points and documents no file refers to.
    Exit status 1 if problems were found and not repaired."""
    from pipeline.locking import WriterLockedError

    with _archive(data_dir, qdrant_url=qdrant_url) as archive:
        try:
            report = archive.check(repair=repair)
        except WriterLockedError as exc:
            _fail(str(exc))
    if as_json:
        _print_json(report.to_dict())
    elif report.ok:
        out.print("The archive is consistent.")
    else:
        for key in ("pending", "orphan_points", "missing_points", "sourceless"):
            found = getattr(report, key)
            if found:
                out.print(f"{key.replace('_', ' ')}: {len(found)} ({', '.join(d[:12] for d in found[:5])}{' …' if len(found) > 5 else ''})")
        out.print("Repaired." if report.repaired else "Not repaired (--no-repair).")
    raise typer.Exit(0 if report.ok or report.repaired else 1)


@app.command()
def stats(data_dir: DataDir = None, qdrant_url: QdrantUrl = None, as_json: Json = False) -> None:
    """What is stored: documents, pages, chunks, model, and index size."""
    with _archive(data_dir, qdrant_url=qdrant_url) as archive:
        summary = archive.stats()
    if as_json:
        _print_json(summary)
        return
    table = Table(show_header=False, box=None)
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k or '–'}: {v}" for k, v in value.items()) or "–"
        table.add_row(key, escape(str(value)))
    out.print(table)


if __name__ == "__main__":
    app()
