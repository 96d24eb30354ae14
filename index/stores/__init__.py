"""Where the vectors live: the embedded Qdrant Edge index in the data directory
(edge.py, the default) or a Qdrant server (server.py), behind one interface (base.py)."""

from __future__ import annotations

from config import Settings
from index.stores.base import VectorStore


def open_vector_store(settings: Settings) -> VectorStore:
    if settings.qdrant_url:
        from index.stores.server import ServerVectorStore

        return ServerVectorStore.connect(settings.qdrant_url, settings.collection, settings.qdrant_api_key, settings.qdrant_insecure)
    from index.stores.edge import EdgeVectorStore

    return EdgeVectorStore(settings.edge_dir)
