"""Stage 1, ingest: read a file (PDF, plain text or Markdown) into a `RawDocument` of page
texts.

Entry points, each in the module its concept names: `ingest.reader.read_document(path)`
(one file, any type), `ingest.files.find_files(paths)` and `content_hash` (what to read,
and its identity), `ingest.ocr.remove_stale_scratch()` (OCR scratch folders of killed
runs). Every failure is an `errors.IngestError` whose message is one line naming the
cause. This package imports nothing itself, so that finding and hashing files (an
unchanged re-run of an ingest) never loads the PDF and OCR readers.
"""
