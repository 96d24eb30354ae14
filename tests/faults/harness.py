"""What the fault tests and `make faults` share: real `diarium` processes, small real
archives, tmpfs and read-only mounts, a filled disk, and the test of a one-line error.

Mounting needs root (CAP_SYS_ADMIN); where it is not allowed, `NotPermitted` says why
and the callers skip that case."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
NOBODY = 65534


class NotPermitted(Exception):
    """This machine does not let us mount (not root, or in a container without it)."""


def seed_folder(folder: Path, count: int = 2, lines: int = 30) -> Path:
    """`count` real documents (openings of the seed documents) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt"))[:count]:
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text("\n".join(text.split("\n")[:lines]) + "\n", encoding="utf-8")
    return folder


class Run(subprocess.CompletedProcess):
    """A finished process with what it cost: wall seconds and its peak memory (0 where
    GNU time is missing)."""

    seconds: float = 0.0
    peak_mib: float = 0.0


# GNU time reports a process's own peak: the peak that `wait4` gives a child of a large
# process counts the parent's memory too (a forked child starts with it).
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run(command: list[str], env: dict | None = None, timeout: float = 900) -> Run:
    started = time.monotonic()
    with tempfile.NamedTemporaryFile("r", prefix="diarium-peak-") as peak:
        measured = [TIME, "-f", "%M", "-o", peak.name, *command] if TIME else command
        try:
            done = subprocess.run(measured, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as expired:
            done = subprocess.CompletedProcess(command, -signal.SIGKILL, expired.stdout or "", f"timed out after {timeout:.0f} s")
        kilobytes = peak.read().strip().splitlines()
    result = Run(command, done.returncode, done.stdout, done.stderr)
    result.seconds = time.monotonic() - started
    result.peak_mib = int(kilobytes[-1]) / 1024 if kilobytes and kilobytes[-1].isdigit() else 0.0
    return result


def diarium(data_dir: Path, *args: str, user: int | None = None, timeout: float = 900) -> Run:
    """Run `diarium ARGS --data-dir DATA_DIR` to its end (as `user`, when given)."""
    command = [sys.executable, str(ROOT / "cli.py"), *args, "--data-dir", str(data_dir)]
    env = {**os.environ, "DIARIUM_REOCR": "never"}
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
        env["HOME"] = "/nonexistent"
    return run(command, env, timeout)


def one_line_error(result: subprocess.CompletedProcess) -> bool:
    """Did the command fail with one `error:` line and nothing else on stderr?"""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return result.returncode in (1, 2) and len(lines) == 1 and lines[0].startswith("error:")


def ended_cleanly(result: subprocess.CompletedProcess) -> bool:
    """Success, or a one-line error: never a traceback, a signal or a crash."""
    return (result.returncode == 0 and "Traceback" not in result.stderr) or one_line_error(result)


def allocated_bytes(path: Path) -> int:
    return sum(os.lstat(os.path.join(folder, name)).st_blocks * 512 for folder, _, names in os.walk(path) for name in names)


def sparse_copy(source: Path, target: Path) -> None:
    """Copy an archive as it is (holes in Qdrant Edge's preallocated files stay holes)."""
    subprocess.run(["cp", "-a", "--sparse=always", str(source), str(target)], check=True)


@contextmanager
def tmpfs(mount_point: Path, size: str) -> Iterator[Path]:
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        raise NotPermitted(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def grow(mount_point: Path, size: str) -> None:
    """Give a mounted tmpfs more room (as freeing space does)."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount_point)], check=True)


@contextmanager
def read_only_view(source: Path, mount_point: Path) -> Iterator[Path]:
    """`source` again at `mount_point`, read-only (a bind mount, as a mounted snapshot)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    bound = subprocess.run(["mount", "--bind", str(source), str(mount_point)], capture_output=True, text=True)
    if bound.returncode != 0:
        raise NotPermitted(f"cannot bind-mount here ({bound.stderr.strip() or 'mount failed'})")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount_point)], check=True)
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory: Path) -> Path:
    """Fill the filesystem holding `directory` to the last block; the filler file."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for block in (1024 * 1024, 4096):
            try:
                while handle.write(b"\1" * block):
                    pass
            except OSError:  # no space left
                pass
    return filler


def can_switch_user() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


# --- damage ------------------------------------------------------------------------------


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def points_segment(data_dir: Path) -> Path:
    """The live generation's segment that holds the most points (the largest id tracker;
    an optimization leaves an empty appendable segment beside the indexed ones)."""
    edge = data_dir / "qdrant-edge"
    segments = [path for path in (edge / os.readlink(edge / "current") / "segments").iterdir() if path.is_dir()]
    return max(segments, key=lambda path: sum(f.stat().st_size for f in path.glob("*id_tracker*") if f.is_file()))


def _zero(path: Path) -> None:
    _overwrite(path, 0, bytes(path.stat().st_size))


def _zero_id_tracker(segment: Path) -> None:
    """Zero the mapping of point ids in a segment: an appendable segment's one file, or an
    indexed segment's two (external → internal ids and back)."""
    files = [segment / name for name in ("mutable_id_tracker.mappings", "id_tracker.e2i", "id_tracker.i2e") if (segment / name).exists()]
    if not files:
        raise FileNotFoundError(f"no id tracker in {segment}")
    for path in files:
        _zero(path)


def _relink(data_dir: Path, target: str) -> None:
    link = data_dir / "qdrant-edge" / "current"
    link.unlink()
    link.symlink_to(target)


# What is done to `documents.sqlite`, and to the data directory's vector index.
STORE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated to half": lambda db: os.truncate(db, db.stat().st_size // 2),
    "zeroed": _zero,
    "emptied": lambda db: os.truncate(db, 0),
    "8 KB of garbage in the middle": lambda db: _overwrite(db, db.stat().st_size // 2 - 4096, os.urandom(8192)),
}
INDEX_DAMAGE: dict[str, Callable[[Path], None]] = {
    "current link deleted": lambda data: (data / "qdrant-edge" / "current").unlink(),
    "current link to nothing": lambda data: _relink(data, "gen-0099"),
    "id tracker zeroed": lambda data: _zero_id_tracker(points_segment(data)),
    "segment config garbage": lambda data: (points_segment(data) / "segment.json").write_text("{garbage"),
    "segment deleted": lambda data: shutil.rmtree(points_segment(data)),
}
