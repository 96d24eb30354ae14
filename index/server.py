"""The same vector store on a Qdrant server or cluster, through `qdrant-client`.

The live collection is reached through an alias (the configured collection name);
each build is a real collection `NAME-NNNN`, and a rebuild swaps the alias in one
atomic request. `QdrantClient(location=":memory:")` or `path=` (qdrant-client's local
mode) works too and is what the tests use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from qdrant_client import QdrantClient, models

from index.sparse import SparseVector
from index.vectorstore import (
    DATE_FIELD,
    DENSE,
    KEYWORD_FIELDS,
    SPARSE,
    IndexedChunk,
    SearchFilters,
    StoredPoint,
    date_bounds,
    prefetch_depth,
    search_plan,
)


class ServerVectorStore:
    def __init__(self, client: QdrantClient, alias: str, collection: str | None = None):
        self.client = client
        self.alias = alias
        self._collection = collection  # None: the collection the alias points to

    @classmethod
    def connect(cls, url: str, alias: str, api_key: str | None = None) -> ServerVectorStore:
        return cls(QdrantClient(url=url, api_key=api_key), alias)

    # --- generations -------------------------------------------------------------------

    def live_collection(self) -> str | None:
        for alias in self.client.get_aliases().aliases:
            if alias.alias_name == self.alias:
                return alias.collection_name
        return None

    @property
    def collection(self) -> str:
        return self._collection or self.live_collection() or f"{self.alias}-0001"

    def staging(self) -> ServerVectorStore:
        live = self.live_collection()
        number = int(live.rsplit("-", 1)[1]) + 1 if live else 1
        return ServerVectorStore(self.client, self.alias, f"{self.alias}-{number:04d}")

    def promote(self, staging: ServerVectorStore) -> None:
        old = self.live_collection()
        operations: list = []
        if old:
            operations.append(models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=self.alias)))
        operations.append(
            models.CreateAliasOperation(create_alias=models.CreateAlias(collection_name=staging.collection, alias_name=self.alias))
        )
        self.client.update_collection_aliases(change_aliases_operations=operations)
        if old and old != staging.collection:
            self.client.delete_collection(old)

    @contextmanager
    def session(self) -> Iterator[ServerVectorStore]:
        """The client keeps its connection anyway; nothing to hold."""
        yield self

    def exists(self) -> bool:
        return self.client.collection_exists(self.collection)

    def create(self, dimension: int) -> None:
        if self.exists():
            return
        name = self.collection
        self.client.create_collection(
            name,
            vectors_config={DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
        )
        for field in KEYWORD_FIELDS:
            self.client.create_payload_index(name, field, models.PayloadSchemaType.KEYWORD)
        self.client.create_payload_index(name, DATE_FIELD, models.PayloadSchemaType.DATETIME)
        if self._collection is None:
            self.promote(ServerVectorStore(self.client, self.alias, name))

    # --- writes ------------------------------------------------------------------------

    def upsert(self, points: list[IndexedChunk]) -> None:
        if not points:
            return
        self.client.upsert(
            self.collection,
            points=[
                models.PointStruct(
                    id=point.chunk.chunk_id,
                    vector={
                        DENSE: point.dense.tolist(),
                        SPARSE: models.SparseVector(indices=point.sparse.indices, values=point.sparse.values),
                    },
                    payload=point.payload(),
                )
                for point in points
            ],
            wait=True,
        )

    def delete_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids or not self.exists():
            return
        self.client.delete(
            self.collection,
            points_selector=models.FilterSelector(
                filter=models.Filter(must=[models.FieldCondition(key="doc_id", match=models.MatchAny(any=list(doc_ids)))])
            ),
            wait=True,
        )

    def optimize(self) -> bool:
        """A server builds its indexes in the background."""
        return False

    # --- reads -------------------------------------------------------------------------

    @staticmethod
    def _filter(filters: SearchFilters) -> models.Filter | None:
        must: list = [
            models.FieldCondition(key=key, match=models.MatchValue(value=value))
            for key, value in filters.keyword_conditions().items()
        ]
        since, until = date_bounds(filters)
        if since or until:
            must.append(models.FieldCondition(key=DATE_FIELD, range=models.DatetimeRange(gte=since, lte=until)))
        if filters.doc_ids is not None:
            must.append(models.FieldCondition(key="doc_id", match=models.MatchAny(any=list(filters.doc_ids))))
        return models.Filter(must=must) if must else None

    def search(
        self,
        dense: np.ndarray | None,
        sparse: SparseVector | None,
        filters: SearchFilters,
        limit: int,
        mode: str = "hybrid",
    ) -> list[StoredPoint]:
        if not self.exists():
            return []
        condition = self._filter(filters)
        sparse_query = models.SparseVector(indices=sparse.indices, values=sparse.values) if sparse and sparse.indices else None
        dense_query = dense.tolist() if dense is not None else None
        plan = search_plan(mode, dense_query is not None, sparse_query is not None)
        if plan is None:
            return []
        if plan == "fused":
            depth = prefetch_depth(limit)
            response = self.client.query_points(
                self.collection,
                prefetch=[
                    models.Prefetch(query=dense_query, using=DENSE, limit=depth, filter=condition),
                    models.Prefetch(query=sparse_query, using=SPARSE, limit=depth, filter=condition),
                ],
                query=models.FusionQuery(fusion=models.Fusion.DBSF),  # DBSF: see vectorstore.search_plan
                limit=limit,
                with_payload=True,
            )
        else:
            response = self.client.query_points(
                self.collection,
                query=dense_query if plan == "dense" else sparse_query,
                using=DENSE if plan == "dense" else SPARSE,
                query_filter=condition,
                limit=limit,
                with_payload=True,
            )
        return [StoredPoint(str(point.id), float(point.score), dict(point.payload or {})) for point in response.points]

    def count(self) -> int:
        if not self.exists():
            return 0
        return int(self.client.count(self.collection, exact=True).count)

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""
        if not self.exists():
            return {}
        counts: dict[str, int] = {}
        offset = None
        while True:
            records, offset = self.client.scroll(self.collection, limit=4096, offset=offset, with_payload=["doc_id"])
            for record in records:
                doc_id = str(record.payload["doc_id"])
                counts[doc_id] = counts.get(doc_id, 0) + 1
            if offset is None:
                return counts

    def doc_ids(self) -> set[str]:
        return set(self.point_counts())

    def drop(self) -> None:
        """Delete this collection (never the live one)."""
        if self._collection and self._collection != self.live_collection() and self.exists():
            self.client.delete_collection(self._collection)

    def close(self) -> None:
        self.client.close()
