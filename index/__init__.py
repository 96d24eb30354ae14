"""Stage 4, index: chunk documents by section, embed them (dense and sparse), and keep
them searchable: the document store (SQLite, index/docstore.py) and the vector store
(Qdrant Edge in-process, index/edge.py, or a Qdrant server, index/server.py)."""
