"""The errors diarium reports to people: one base class, `DiariumError`, whose `str()` is
one line a person can act on. The command line and the web server catch it once and
print that line (exit status `exit_code`); anything else that escapes is a bug.

Each stage raises the subclass that names what went wrong; a new kind of failure gets a
subclass here only when a caller treats it differently (exit code, retry, HTTP status).
"""

from __future__ import annotations


def cause(exc: BaseException, limit: int = 160) -> str:
    """What a library's exception says, on one line and at most `limit` characters (its
    type's name when it says nothing): the part of a message that quotes a cause."""
    return (" ".join(str(exc).split()) or type(exc).__name__)[:limit]


class DiariumError(Exception):
    """A failure with a one-line explanation for the user."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = " ".join(str(message).split())  # one line, whatever the cause said

    def __str__(self) -> str:
        return self.message


class UsageError(DiariumError):
    """A value the user gave is not one diarium accepts (like a bad command-line option)."""

    exit_code = 2


class NotFoundError(DiariumError):
    """The document, path, archive or case asked for does not exist."""


class IngestError(DiariumError):
    """A file could not be turned into text; `reason` says why, `path` which file."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.args = (path, reason)  # both in args, so the error pickles across processes
        self.path = path
        self.reason = self.message


class ArchiveLockedError(DiariumError):
    """Another process is writing the archive (only one writer at a time)."""


class IndexBusyError(DiariumError):
    """The vector index stayed held by another process for longer than we wait."""


class ModelMismatchError(DiariumError):
    """The index was built with another embedding model or term scheme than asked for."""


class ModelUnavailableError(DiariumError):
    """The embedding model cannot be loaded (not installed, not cached, hub unreachable)."""


class StorageError(DiariumError):
    """The data directory cannot be read or written (damaged, read-only, disk full)."""


class SchemaError(StorageError):
    """A stored document was written by a newer diarium, or is not a document at all."""
