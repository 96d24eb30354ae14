"""The one query plan both vector stores run: what a search asks for, in terms that do
not depend on the store. index/stores/edge.py and index/stores/server.py only translate
a `QueryPlan` into their client's objects.

A plan is `dense` (nearest by the embedding), `sparse` (lexical: BM25-style terms) or
`fused`: `prefetch_depth` candidates from each list fused with Qdrant's
distribution-based score fusion (DBSF: each list's scores scaled by its mean ± 3σ, then
summed). DBSF measured as good as reciprocal-rank fusion and steadier: with RRF a tiny
change of the dense vectors (ONNX or int8 instead of torch) moved near-ties enough to
change MRR@10 by up to 0.02, with DBSF by at most 0.01 (docs/eval-retrieval.md).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import numpy as np

from config import SEARCH_MODES, choice
from errors import UsageError
from index.payload import DATE_FIELD, FILTER_FIELD, filter_key, keys_of_dnr, name_key
from index.sparse import SparseVector

MAX_LIMIT = 1000
_DATE = re.compile(r"^(?P<y>(?:19|20)\d\d)(?:-(?P<m>0[1-9]|1[0-2])(?:-(?P<d>0[1-9]|[12]\d|3[01]))?)?$")


def date_bound(option: str, value: str, end: bool) -> str:
    """`2023`, `2023-05` or `2023-05-17` as the first (or, with `end`, last) day it
    covers, in ISO form; a UsageError naming the option and the accepted forms otherwise."""
    match = _DATE.match(value.strip())
    if not match:
        raise UsageError(f"invalid {option} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match["y"]), match["m"], match["d"]
    if day:
        try:
            calendar.monthrange(year, int(month))
            if int(day) > calendar.monthrange(year, int(month))[1]:
                raise ValueError
        except ValueError:
            raise UsageError(f"invalid {option} {value!r}: no such day") from None
        return f"{year:04d}-{month}-{day}"
    if month:
        last = calendar.monthrange(year, int(month))[1] if end else 1
        return f"{year:04d}-{month}-{last:02d}"
    return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"invalid limit {limit}: use 1 to {MAX_LIMIT}")
    return limit


@dataclass(frozen=True)
class Condition:
    """Chunks whose `key` holds one of `any_of`, or whose date lies in [since, until]."""

    key: str
    any_of: tuple[str, ...] = ()
    since: str | None = None  # ISO date, inclusive
    until: str | None = None

    @property
    def instants(self) -> tuple[str | None, str | None]:
        """The date range as the RFC 3339 instants an index compares: from the first
        moment of `since` to the last of `until`."""
        return (f"{self.since}T00:00:00Z" if self.since else None, f"{self.until}T23:59:59Z" if self.until else None)


@dataclass
class SearchFilters:
    """Filters for search, as a user gives them; every one that is set must match.
    Names match case- and diacritic-insensitively, diary numbers in any printed form,
    dates as a year, a month or a day."""

    municipality: str | None = None
    body: str | None = None
    section: str | None = None
    dnr: str | None = None
    entity: str | None = None
    doc_type: str | None = None
    since: str | None = None
    until: str | None = None
    doc_ids: list[str] | None = None

    def conditions(self) -> list[Condition]:
        found: list[Condition] = []
        for name, value in (("municipality", self.municipality), ("body", self.body), ("entity", self.entity)):
            if value:
                found.append(Condition(FILTER_FIELD, (filter_key(name, name_key(value)),)))
        for name, value in (("section", self.section), ("doc_type", self.doc_type)):
            if value:
                found.append(Condition(FILTER_FIELD, (filter_key(name, value.strip().lower()),)))
        if self.dnr:
            found.append(Condition(FILTER_FIELD, tuple(filter_key("dnr", key) for key in keys_of_dnr([self.dnr])[:1])))
        if self.since or self.until:
            since = date_bound("--since", self.since, end=False) if self.since else None
            until = date_bound("--until", self.until, end=True) if self.until else None
            if since and until and since > until:
                raise UsageError(f"--since {self.since} is after --until {self.until}")
            found.append(Condition(DATE_FIELD, since=since, until=until))
        if self.doc_ids is not None:
            found.append(Condition("doc_id", tuple(self.doc_ids)))
        return found

    def is_empty(self) -> bool:
        return not any((self.municipality, self.body, self.section, self.dnr, self.entity, self.doc_type, self.since, self.until)) and self.doc_ids is None


@dataclass
class QueryPlan:
    kind: str  # dense | sparse | fused
    dense: np.ndarray | None
    sparse: SparseVector | None
    conditions: list[Condition]
    limit: int

    @property
    def depth(self) -> int:
        """Candidates taken from each of the dense and sparse lists before fusing them."""
        return max(self.limit * 2, 40)


def plan_query(
    mode: str, dense: np.ndarray | None, sparse: SparseVector | None, filters: SearchFilters, limit: int
) -> QueryPlan | None:
    """What to ask the store for `mode`; None when there is nothing to ask (a sparse search
    for a query of stopwords only)."""
    choice("search mode", mode, SEARCH_MODES)
    has_sparse = sparse is not None and bool(sparse.indices)
    has_dense = dense is not None
    if mode == "sparse":
        kind = "sparse" if has_sparse else None
    elif mode == "dense" or not has_sparse:
        kind = "dense" if has_dense else None
    else:
        kind = "fused"
    if kind is None:
        return None
    return QueryPlan(kind, dense if kind != "sparse" else None, sparse if kind != "dense" else None, filters.conditions(), limit)
