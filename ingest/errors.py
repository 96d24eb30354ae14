"""The one error type ingest raises: a file that cannot be read, with a one-line cause."""


class IngestError(Exception):
    """A file could not be turned into text. `str(error)` is a one-line reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(path, reason)  # both in args, so the error pickles across processes
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
