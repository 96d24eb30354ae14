"""The same vector store on a Qdrant server or cluster, through `qdrant-client`.

The live collection is reached through an alias (the configured collection name);
each build is a real collection `NAME-NNNN`, and a rebuild swaps the alias in one
atomic request. `QdrantClient(location=":memory:")` or `path=` (qdrant-client's local
mode) works too, and is what the tests use: no Qdrant server binary can be installed on
the machines this is developed on, so the server path is tested against qdrant-client's
local mode, which runs the same requests but ignores payload indexes.

An API key is sent only over TLS (or to this machine), unless the user allows it
explicitly: over plain http anyone on the path reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import numpy as np
from qdrant_client import QdrantClient, models

from errors import StorageError, UsageError, cause
from index.payload import DATE_FIELD, KEYWORD_FIELDS
from index.query import QueryPlan
from index.stores.base import DENSE, SPARSE, FilterTypes, IndexedChunk, StoredPoint, build_filter, points_per_document

_FILTER_TYPES = FilterTypes(models.Filter, models.FieldCondition, models.MatchAny, models.DatetimeRange)
CONNECT_TIMEOUT_SECONDS = 5
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def check_api_key_transport(url: str, api_key: str | None, insecure: bool) -> None:
    """Refuse to send an API key in clear text to another host."""
    parsed = urlparse(url)
    if api_key and parsed.scheme != "https" and parsed.hostname not in _LOCAL_HOSTS and not insecure:
        raise UsageError(
            f"refusing to send the Qdrant API key over plain http to {parsed.hostname}: use an https:// URL "
            "(or set DIARIUM_QDRANT_INSECURE=1 if the network is trusted)"
        )


class ServerVectorStore:
    def __init__(self, client: QdrantClient, alias: str, collection: str | None = None):
        self.client = client
        self.alias = alias
        self._collection = collection  # None: the collection the alias points to

    @classmethod
    def connect(cls, url: str, alias: str, api_key: str | None = None, insecure: bool = False) -> ServerVectorStore:
        """A store on the server at `url`; one line (StorageError) if it cannot be reached."""
        check_api_key_transport(url, api_key, insecure)
        client = QdrantClient(url=url, api_key=api_key, timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            client.get_collections()
        except Exception as exc:  # httpx/grpc errors of many kinds: all mean "not usable"
            client.close()
            raise StorageError(f"cannot reach the Qdrant server at {url} ({cause(exc)})") from None
        return cls(client, alias)

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
    def session(self, writing: bool = True) -> Iterator[ServerVectorStore]:
        """The client keeps its connection anyway; nothing to hold."""
        yield self

    def keep_open(self) -> None:
        """A server is shared by design; nothing to hold."""

    def yield_if_wanted(self) -> bool:
        return False

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
                    id=point.chunk_id,
                    vector={
                        DENSE: point.dense.tolist(),
                        SPARSE: models.SparseVector(indices=point.sparse.indices, values=point.sparse.values),
                    },
                    payload=point.payload,
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

    def search(self, plan: QueryPlan, with_vectors: bool = False) -> list[StoredPoint]:
        if not self.exists():
            return []
        condition = build_filter(plan.conditions, _FILTER_TYPES)
        sparse = models.SparseVector(indices=plan.sparse.indices, values=plan.sparse.values) if plan.sparse is not None else None
        dense = plan.dense.tolist() if plan.dense is not None else None
        vectors = [DENSE] if with_vectors else False
        if plan.kind == "fused":
            response = self.client.query_points(
                self.collection,
                prefetch=[
                    models.Prefetch(query=dense, using=DENSE, limit=plan.depth, filter=condition),
                    models.Prefetch(query=sparse, using=SPARSE, limit=plan.depth, filter=condition),
                ],
                query=models.FusionQuery(fusion=models.Fusion.DBSF),
                limit=plan.limit,
                with_payload=True,
                with_vectors=vectors,
            )
        else:
            response = self.client.query_points(
                self.collection,
                query=dense if plan.kind == "dense" else sparse,
                using=DENSE if plan.kind == "dense" else SPARSE,
                query_filter=condition,
                limit=plan.limit,
                with_payload=True,
                with_vectors=vectors,
            )
        return [_stored_point(point) for point in response.points]

    def count(self) -> int:
        if not self.exists():
            return 0
        return int(self.client.count(self.collection, exact=True).count)

    def stored(self, chunk_ids: list[str]) -> dict[str, StoredPoint]:
        if not chunk_ids or not self.exists():
            return {}
        records = self.client.retrieve(self.collection, ids=list(chunk_ids), with_payload=True, with_vectors=[DENSE])
        return {point.chunk_id: point for point in map(_stored_point, records)}

    def point_counts(self) -> dict[str, int]:
        """Points per doc_id, for consistency checks."""
        if not self.exists():
            return {}
        return points_per_document(lambda offset: self.client.scroll(self.collection, limit=4096, offset=offset, with_payload=["doc_id"]))

    def doc_ids(self) -> set[str]:
        return set(self.point_counts())

    def drop(self) -> None:
        """Delete this collection (never the live one)."""
        if self._collection and self._collection != self.live_collection() and self.exists():
            self.client.delete_collection(self._collection)

    def close(self) -> None:
        self.client.close()


def _stored_point(point) -> StoredPoint:
    vector = point.vector.get(DENSE) if isinstance(point.vector, dict) else None
    score = float(getattr(point, "score", 0.0) or 0.0)  # a retrieved record has none
    return StoredPoint(str(point.id), score, dict(point.payload or {}), np.asarray(vector, dtype=np.float32) if vector is not None else None)
