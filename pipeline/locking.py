"""One writer per data directory: an exclusive `flock` on `DATA_DIR/writer.lock`.

Readers (search, show, stats) take no lock. A second writer is refused at once with a
message that names the process holding the lock. The lock file is made 0600, like
everything else in the data directory.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from errors import ArchiveLockedError, StorageError


class WriterLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "writer.lock"
        self._handle = None

    def __enter__(self) -> WriterLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), "r+b", buffering=0)
        except OSError as exc:
            raise StorageError(f"cannot write to {self.path.parent}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().decode(errors="replace").strip() or "another process"
            handle.close()
            raise ArchiveLockedError(
                f"{self.path.parent} is being written by {holder}; wait for it to finish (searching works meanwhile)"
            ) from None
        handle.seek(0)
        handle.truncate()
        try:
            handle.write(f"pid {os.getpid()}".encode())
        except OSError:  # a full disk: the lock holds without the note of who holds it
            handle.seek(0)
            handle.truncate()
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
