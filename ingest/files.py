"""Finding the files to ingest and computing their identity (sha256 of the bytes)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

SUPPORTED_SUFFIXES = (".pdf", ".txt")


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of supported files.

    A path given explicitly is kept whatever its suffix, so that the reader can report
    why it is not usable; folders contribute only `.pdf` and `.txt` files.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found[child.resolve()] = None
        else:
            found[path.resolve()] = None
    return list(found)


def content_hash(path: Path, block_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(block_size):
            digest.update(block)
    return digest.hexdigest()
