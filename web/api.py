"""The JSON API under /api/, mirroring the command line: the same parameters as its
options and the same shapes as its `--json` output, because both print what the read
side of the archive returns (`SearchResult.to_dict`, `Document.to_dict`, `CaseEntry`,
`Archive.stats`, `Archive.listing`). OpenAPI at /api/openapi.json, docs at /api/docs.

Exports give the hits of a search as CSV or JSON lines, one row per hit with the
columns of `web.render.EXPORT_COLUMNS` and the hit's citable URL.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from pipeline.archive import Archive, SearchFilters
from web.pages import archive_access, checked_id, document_url, hit_matters
from web.params import SearchParams, list_filters, search_params
from web.render import EXPORT_COLUMNS, export_row

router = APIRouter(prefix="/api", tags=["api"])

ERRORS = {
    400: {"description": "A bad value (the message says which and what is accepted): `{\"error\": \"…\", \"status\": 400}`"},
    404: {"description": "Nothing in the archive matches"},
    422: {"description": "A parameter of the wrong type or out of range"},
    503: {"description": "The archive cannot answer now (index held by another process too long, damaged, built by another model)"},
}


@router.get("/search", responses=ERRORS)
async def search(
    request: Request,
    params: Annotated[SearchParams, Depends(search_params)],
    facets: Annotated[bool, Query(description="Also count the best 200 hits per municipality, body, doc_type and year.")] = False,
) -> JSONResponse:
    """Search in plain Swedish: `diarium search --json`. Hits carry title, body, date,
    dnr, `paragraph` (§, for protocols), section, page and a snippet with the query
    terms marked `[[like this]]`; copies of one text are one hit (`versions`, `sources`)."""
    result = await archive_access(request).run(
        lambda archive: archive.search(params.q, params.filters, limit=params.limit, mode=params.mode, all_chunks=params.all_chunks, facets=facets)
    )
    return JSONResponse(result.to_dict())


@router.get("/document/{doc_id}", responses=ERRORS)
async def document(request: Request, doc_id: str) -> JSONResponse:
    """A stored document by its id (or a unique prefix of 6+ characters): `diarium show
    --json`: metadata, matters, proposals, sections, entities, OCR repairs, sources."""
    doc = await archive_access(request).run(lambda archive: archive.find(checked_id(doc_id)))
    return JSONResponse(doc.to_dict())


@router.get("/case/{dnr:path}", responses=ERRORS)
async def case(request: Request, dnr: str) -> JSONResponse:
    """A case's history, in date order: `diarium case DNR --json`. The diary number in
    any printed form (`KS 2023/553`, `KS-2023-00553`)."""
    entries = await archive_access(request).run(lambda archive: archive.case(dnr))
    return JSONResponse({"dnr": dnr, "entries": [entry.to_dict() for entry in entries]})


@router.get("/stats", responses=ERRORS)
async def stats(request: Request) -> JSONResponse:
    """What is stored: `diarium stats --json`."""
    return JSONResponse(await archive_access(request).run(Archive.stats))


@router.get("/list", responses=ERRORS)
async def listing(
    request: Request,
    filters: Annotated[SearchFilters, Depends(list_filters)],
    matters: Annotated[bool, Query(description="One row per § or agenda item instead of per document.")] = False,
) -> JSONResponse:
    """Stored documents with their metadata, newest first: `diarium list --jsonl`, as one array."""
    return JSONResponse(await archive_access(request).run(lambda archive: archive.listing(filters, matters=matters)))


async def _export_rows(request: Request, params: SearchParams) -> list[dict]:
    def work(archive: Archive):
        result = archive.search(params.q, params.filters, limit=params.limit, mode=params.mode, all_chunks=params.all_chunks)
        return result.hits, hit_matters(archive, result.hits)

    hits, matters = await archive_access(request).run(work)
    return [export_row(rank, hit, document_url(request, hit.doc_id, number)) for rank, (hit, number) in enumerate(zip(hits, matters), 1)]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/export.csv", responses=ERRORS, response_class=Response)
async def export_csv(request: Request, params: Annotated[SearchParams, Depends(search_params)]) -> Response:
    """The hits of a search as CSV (UTF-8 with a byte order mark, so that a spreadsheet
    reads å, ä and ö right): rank, document, matter, date, municipality, body, doc_type,
    dnr, title, section, page, score, url."""
    rows = await _export_rows(request, params)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers=_attachment("diarium-traffar.csv"))


@router.get("/export.jsonl", responses=ERRORS, response_class=Response)
async def export_jsonl(request: Request, params: Annotated[SearchParams, Depends(search_params)]) -> Response:
    """The hits of a search as JSON lines, one object per hit with the CSV's columns."""
    rows = await _export_rows(request, params)
    body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return Response(body, media_type="application/x-ndjson; charset=utf-8", headers=_attachment("diarium-traffar.jsonl"))
