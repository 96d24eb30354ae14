"""The archive: documents processed by the stages, stored and indexed, kept consistent.

- archive.py: the read side (`Archive`: search, show, case, list, stats), which the
  command line's read commands and the web server use; it loads no parsing stage.
- writer.py: the write side (`ArchiveWriter`: ingest, delete, prune, check, reindex),
  with filing.py (which files to parse), process.py (one file through the stages),
  parallel.py (parsing in worker processes), write_order.py (the crash-safe order and
  batches of writes), maintenance.py (check, repair, prune, reindex), locking.py (one
  writer at a time) and store.py (the SQLite document store).
"""
