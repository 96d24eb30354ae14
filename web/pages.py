"""The pages a researcher reads (Swedish): search with filters and facet counts, a
document, one matter of a document, a case's history by diary number, and the source
files. Every page is made from what the read side of the archive returns; the URLs of
documents and matters are stable (the document id is its content's hash) and citable:

    /                                 search (no query: the archive's overview; only filters: a listing)
    /dokument/<doc_id>                a document (a unique prefix of the id redirects to the full one)
    /dokument/<doc_id>/arende/<n>     its n-th matter (§ of a protocol, item of an agenda)
    /dnr/<dnr>                        a case's history: everything carrying one diary number
    /fil?path=<source path>           a source file, only if the archive recorded it as one
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from document import DOC_TYPES, Document, Hit
from errors import NotFoundError
from pipeline.archive import Archive
from swedish.data import section_labels
from web.labels import names, swedish_name
from web.params import SearchParams, search_params
from web.render import citation, marked, matter_number, text_pages

HERE = Path(__file__).resolve().parent
DOC_ID = r"^[0-9a-f]{6,64}$"
LIMITS = (10, 20, 50, 100)
# Facet values shown before "more" (a facet can have hundreds of bodies).
FACET_VALUES = 12

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    swedish_name=swedish_name,
    marked=marked,
    query=lambda values: "?" + urlencode(values) if values else "",
    DOC_TYPES=DOC_TYPES,
    SECTION_LABELS=section_labels(),
    MODES=names("modes"),
    LIMITS=LIMITS,
    FACET_VALUES=FACET_VALUES,
)
templates.env.filters["quote_path"] = lambda value: quote(value, safe="")

router = APIRouter(include_in_schema=False)


def archive_access(request: Request):
    return request.app.state.access


def page(request: Request, name: str, status: int = 200, **context) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    return page(request, "error.html", status, title=title, message=message)


def document_url(request: Request, doc_id: str, matter: int | None = None) -> str:
    if matter is None:
        return str(request.url_for("document_page", doc_id=doc_id))
    return str(request.url_for("matter_page", doc_id=doc_id, number=matter))


def hit_matters(archive: Archive, hits: list[Hit]) -> list[int | None]:
    """The number of the matter each hit belongs to (for its link), reading each
    document with matters once."""
    documents: dict[str, Document | None] = {}
    numbers: list[int | None] = []
    for hit in hits:
        if not (hit.paragraph or hit.matter_title):
            numbers.append(None)
            continue
        if hit.doc_id not in documents:
            documents[hit.doc_id] = archive.store.get(hit.doc_id)
        doc = documents[hit.doc_id]
        numbers.append(matter_number(doc, hit) if doc else None)
    return numbers


def _choices(archive: Archive) -> dict[str, list[str]]:
    """Stored municipalities and bodies, offered while typing a filter."""
    return {facet: [value for value in archive.store.counts(facet) if value] for facet in ("municipality", "body")}


# --- search ------------------------------------------------------------------------------


@router.get("/", name="search_page")
async def search_page(request: Request, params: Annotated[SearchParams, Depends(search_params)]) -> Response:
    access = archive_access(request)
    if params.q:

        def work(archive: Archive):
            result = archive.search(params.q, params.filters, limit=params.limit, mode=params.mode, all_chunks=params.all_chunks, facets=True)
            return result, hit_matters(archive, result.hits), _choices(archive)

        result, matters, choices = await access.run(work)
        links = [document_url(request, hit.doc_id, number) for hit, number in zip(result.hits, matters)]
        return page(request, "search.html", params=params, result=result, hits=list(zip(result.hits, links, matters)), choices=choices)
    if params.has_filters():

        def listing(archive: Archive):
            return archive.listing(params.filters), _choices(archive)

        rows, choices = await access.run(listing)
        return page(request, "search.html", params=params, rows=rows, choices=choices)
    overview, choices = await access.run(lambda archive: (archive.stats(), _choices(archive)))
    return page(request, "search.html", params=params, overview=overview, choices=choices)


# --- documents ---------------------------------------------------------------------------


async def _document(request: Request, doc_id: str) -> Document:
    return await archive_access(request).run(lambda archive: archive.find(doc_id))


def _canonical(request: Request, doc: Document, asked: str) -> Response | None:
    """A redirect to the full id's address when a prefix was asked for."""
    if doc.doc_id == asked:
        return None
    target = request.url.path.replace(f"/dokument/{asked}", f"/dokument/{doc.doc_id}", 1)
    return RedirectResponse(target + (f"?{request.url.query}" if request.url.query else ""), status_code=308)


def _document_context(request: Request, doc: Document, matter: int | None, page_number: int | None) -> dict:
    url = document_url(request, doc.doc_id, matter)
    focus = doc.matters[matter - 1] if matter else None
    entities: dict[str, list[str]] = {}
    for entity in doc.entities:
        texts = entities.setdefault(entity.label, [])
        if entity.text not in texts:
            texts.append(entity.text)
    return dict(
        doc=doc,
        matter=focus,
        matter_number=matter,
        url=url,
        citation=citation(doc, focus),
        pages=text_pages(doc, focus.start, focus.end) if focus else text_pages(doc),
        entities=dict(sorted(entities.items(), key=lambda item: swedish_name("entities", item[0]))),
        page_number=page_number,
        pdf=any(source.lower().endswith(".pdf") for source in doc.sources),
    )


PageNumber = Annotated[int | None, Query(ge=1, le=100_000, description="The page to open the source file at.")]


@router.get("/dokument/{doc_id}", name="document_page")
async def document_page(request: Request, doc_id: str, sida: PageNumber = None) -> Response:
    doc = await _document(request, checked_id(doc_id))
    return _canonical(request, doc, doc_id) or page(request, "document.html", **_document_context(request, doc, None, sida))


@router.get("/dokument/{doc_id}/arende/{number}", name="matter_page")
async def matter_page(request: Request, doc_id: str, number: int, sida: PageNumber = None) -> Response:
    doc = await _document(request, checked_id(doc_id))
    if not 1 <= number <= len(doc.matters):
        raise NotFoundError(f"document {doc.doc_id[:12]} has {len(doc.matters)} matters, no matter {number}")
    return _canonical(request, doc, doc_id) or page(request, "document.html", **_document_context(request, doc, number, sida))


def checked_id(doc_id: str) -> str:
    if not re.match(DOC_ID, doc_id):
        raise NotFoundError(f"no document has the id {doc_id!r} (ids are 6 to 64 hexadecimal characters)")
    return doc_id


# --- cases and files ---------------------------------------------------------------------


@router.get("/dnr", name="case_form")
async def case_form(dnr: Annotated[str, Query(min_length=1, max_length=100)]) -> Response:
    return RedirectResponse("/dnr/" + quote(dnr.strip(), safe=""), status_code=303)


@router.get("/dnr/{dnr:path}", name="case_page")
async def case_page(request: Request, dnr: str) -> Response:
    entries = await archive_access(request).run(lambda archive: archive.case(dnr))
    links = [document_url(request, entry.doc_id, entry.matter + 1 if entry.matter is not None else None) for entry in entries]
    return page(request, "case.html", dnr=dnr, entries=list(zip(entries, links)))


@router.get("/fil", name="source_file")
async def source_file(request: Request, path: Annotated[str, Query(min_length=1, max_length=4096)]) -> Response:
    """A source file of a live document, by the exact path the archive recorded: any
    other path (../, a symlink's target, a file beside it) is not found."""
    recorded = await archive_access(request).run(lambda archive: archive.store.is_source(path))
    file = Path(path)
    if not recorded or not file.is_file():
        raise NotFoundError("no such source file in the archive (or it was moved since it was ingested)")
    media_type = "application/pdf" if file.suffix.lower() == ".pdf" else "text/plain; charset=utf-8" if file.suffix.lower() in (".txt", ".md") else None
    return FileResponse(file, media_type=media_type or mimetypes.guess_type(file.name)[0] or "application/octet-stream", filename=file.name, content_disposition_type="inline")
