"""The query parameters of a search, read once for the JSON API, the search page and the
exports alike: the names are the command line's options (`q` for the query), so a URL
reads like the `diarium search` it mirrors.

An empty value is no filter (an HTML form sends every field, filled or not). Values
with a fixed set of choices are checked here and refused with the choices named; dates
are checked by `SearchFilters.conditions`, as on the command line. Either way a bad
value is a `UsageError`, which the app answers with 400 and one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Query

from document import DOC_TYPES
from errors import UsageError
from pipeline.archive import MAX_LIMIT, SearchFilters
from swedish.data import section_labels

Mode = Literal["hybrid", "dense", "sparse"]
FILTER_NAMES = ("municipality", "body", "doc_type", "section", "dnr", "entity", "since", "until")
MAX_QUERY_CHARS = 1000


@dataclass
class SearchParams:
    q: str
    filters: SearchFilters
    limit: int = 10
    mode: str = "hybrid"
    all_chunks: bool = False
    given: dict[str, str] = field(default_factory=dict)  # the non-empty parameters, for links

    def link(self, **changes: str | int | None) -> dict[str, str]:
        """The parameters of this search with some changed (None removes one)."""
        values = dict(self.given)
        for name, value in changes.items():
            if value is None or value == "":
                values.pop(name, None)
            else:
                values[name] = str(value)
        return values

    def has_filters(self) -> bool:
        return any(name in self.given for name in FILTER_NAMES)

    def active_filters(self) -> list[tuple[str, str]]:
        return [(name, self.given[name]) for name in FILTER_NAMES if name in self.given]

    def without(self, name: str) -> dict[str, str]:
        return self.link(**{name: None})

    def facet_link(self, facet: str, value: str) -> dict[str, str]:
        """This search narrowed to one value of a facet (a year is a date range)."""
        if facet == "year":
            return self.link(since=value, until=value)
        return self.link(**{facet: value})

    def facet_active(self, facet: str, value: str) -> bool:
        if facet == "year":
            return self.given.get("since") == value and self.given.get("until") == value
        return self.given.get(facet, "").casefold() == value.casefold()


def _choice(name: str, value: str | None, choices: list[str] | tuple[str, ...]) -> str | None:
    if value and value not in choices:
        raise UsageError(f"invalid {name} {value!r}: use one of {', '.join(choices)}")
    return value


def _filters(values: dict[str, str | None]) -> SearchFilters:
    filters = SearchFilters(**{name: values.get(name) or None for name in FILTER_NAMES})
    _choice("doc_type", filters.doc_type, DOC_TYPES)
    _choice("section", filters.section, section_labels())
    filters.conditions()  # bad dates fail here, before the model is asked
    return filters


def search_params(
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="What to look for, in plain Swedish (required for a search).")] = "",
    municipality: Annotated[str | None, Query(max_length=200, description="Only this municipality (any case), e.g. Kungsbacka.")] = None,
    body: Annotated[str | None, Query(max_length=200, description="Only documents of this body (nämnd), e.g. Byggnadsnämnden.")] = None,
    doc_type: Annotated[str | None, Query(max_length=40, description=f"Only this document type: {', '.join(DOC_TYPES)}.")] = None,
    section: Annotated[str | None, Query(max_length=40, description=f"Only this section: {', '.join(section_labels())}.")] = None,
    dnr: Annotated[str | None, Query(max_length=100, description="Only this diary number, in any printed form: 'SON 2021/459', 'BN-2023-00211'.")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Only chunks naming this entity (any case), e.g. Leanlink.")] = None,
    since: Annotated[str | None, Query(max_length=10, description="Only documents dated on or after YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Only documents dated on or before YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Number of hits.")] = 10,
    mode: Annotated[Mode, Query(description="Retrieval: hybrid (meaning and words), dense (meaning), sparse (words).")] = "hybrid",
    all_chunks: Annotated[bool, Query(description="Every matching chunk, not only the best per document.")] = False,
) -> SearchParams:
    values = dict(municipality=municipality, body=body, doc_type=doc_type, section=section, dnr=dnr, entity=entity, since=since, until=until)
    values = {name: value.strip() for name, value in values.items() if value and value.strip()}
    given = {"q": q.strip()} if q.strip() else {}
    given |= values
    if limit != 10:
        given["limit"] = str(limit)
    if mode != "hybrid":
        given["mode"] = mode
    if all_chunks:
        given["all_chunks"] = "true"
    return SearchParams(q.strip(), _filters(values), limit, mode, all_chunks, given)


def list_filters(
    municipality: Annotated[str | None, Query(max_length=200, description="Only this municipality.")] = None,
    body: Annotated[str | None, Query(max_length=200, description="Only this body.")] = None,
    doc_type: Annotated[str | None, Query(max_length=40, description=f"Only this document type: {', '.join(DOC_TYPES)}.")] = None,
    dnr: Annotated[str | None, Query(max_length=100, description="Only documents carrying this diary number.")] = None,
    since: Annotated[str | None, Query(max_length=10, description="Dated on or after YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Dated on or before YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
) -> SearchFilters:
    values = dict(municipality=municipality, body=body, doc_type=doc_type, dnr=dnr, since=since, until=until)
    return _filters({name: value.strip() for name, value in values.items() if value and value.strip()})
