"""Finding the files to ingest and computing their identity (sha256 of the bytes).

Only regular files are read: a FIFO, a device (`/dev/zero`) or a socket would block or
never end, so each is refused by its type before a byte is read. Inside a folder,
symbolic links are not followed unless asked (`follow_symlinks`), and even then only to
files inside the folders given: a link in an archive folder must not bring in
`/etc/passwd`. A link named on the command line is the user's choice and is read.
Files of a type diarium does not read are listed as skipped, with the reason.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from config import Limits
from errors import IngestError

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")


@dataclass
class FoundFiles:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def find_files(paths: Iterable[str | Path], follow_symlinks: bool = False) -> FoundFiles:
    """Expand files and folders (recursively) into the files to read, in a stable order.

    A path given explicitly is kept whatever its suffix, so that the reader can report
    why it is not usable; folders contribute `.pdf`, `.txt` and `.md` files and list the
    rest as skipped."""
    found = FoundFiles()
    seen: set[Path] = set()
    roots = [Path(raw).expanduser() for raw in paths]
    folders = [root.resolve() for root in roots if root.is_dir()]

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.files.append(resolved)

    for root in roots:
        if not root.is_dir():
            add(root)
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames) + [d for d in dirnames if (Path(folder) / d).is_symlink()]:
                child = Path(folder) / name
                if child.is_symlink():
                    target = child.resolve()
                    if not follow_symlinks:
                        found.skipped.append((child, "symbolic link (not followed; set follow_symlinks to read links inside the given folders)"))
                        continue
                    if not any(target == base or base in target.parents for base in folders):
                        found.skipped.append((child, f"symbolic link to {target}, outside the folders given"))
                        continue
                    if target.is_dir():
                        found.skipped.append((child, "symbolic link to a folder (not followed)"))
                        continue
                if child.suffix.lower() not in SUPPORTED_SUFFIXES:
                    found.skipped.append((child, f"unsupported file type {child.suffix or '(no suffix)'} (diarium reads .pdf, .txt and .md)"))
                    continue
                try:
                    kind = _kind(child.stat().st_mode)
                except OSError as exc:
                    found.skipped.append((child, f"cannot read: {exc.strerror or exc}"))
                    continue
                if kind:
                    found.skipped.append((child, kind))
                    continue
                add(child)
    return found


def check_readable(path: Path, limits: Limits | None = None) -> os.stat_result:
    """The file's stat if it is a regular file within the size limit; IngestError otherwise."""
    limits = limits or Limits()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(str(path), "file not found") from None
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    kind = _kind(info.st_mode)
    if kind:
        raise IngestError(str(path), kind)
    if info.st_size > limits.max_bytes:
        raise IngestError(str(path), f"file too large ({info.st_size / 2**20:.0f} MB; the limit is {limits.max_bytes / 2**20:.0f} MB)")
    return info


def content_hash(path: Path, limits: Limits | None = None, block_size: int = 1 << 20) -> str:
    """sha256 of a regular file's bytes; IngestError for anything else (or anything larger
    than the limit)."""
    check_readable(path, limits)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(block_size):
                digest.update(block)
    except PermissionError:
        raise IngestError(str(path), "permission denied (file is not readable)") from None
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    return digest.hexdigest()
