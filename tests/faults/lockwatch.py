"""Who holds the vector index's shard locks, and for how long, seen from outside.

A thread reads /proc/locks every `interval` seconds and notes, for every `gen-NNNN.lock`
under an index directory, which process holds it from when to when. Nothing in the
processes watched is changed or instrumented, so the holds measured are the ones real
writers and readers make; a hold shorter than the interval may be missed, which does not
matter for the longest ones. A reader's wait is its search's duration less its hold.
Each hold notes whether its generation was the live one (`current`) when it began.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Hold:
    pid: int
    lock: str
    start: float  # time.monotonic()
    end: float
    live: bool  # the lock of the live generation (`current`) when the hold began

    @property
    def seconds(self) -> float:
        return self.end - self.start


class LockWatch:
    def __init__(self, index_dir: Path, interval: float = 0.002):
        self.index_dir = Path(index_dir)
        self.interval = interval
        self.holds: list[Hold] = []
        self._open: dict[tuple[int, str], tuple[float, bool]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        now = time.monotonic()
        for (pid, lock), (start, live) in self._open.items():
            self.holds.append(Hold(pid, lock, start, now, live))
        self._open.clear()

    def _lock_files(self) -> dict[tuple[int, int, int], str]:
        """(major, minor, inode) of each lock file under the index directory, by name."""
        found = {}
        for path in self.index_dir.glob("gen-*.lock"):
            try:
                stat = path.stat()
            except OSError:
                continue
            found[(os.major(stat.st_dev), os.minor(stat.st_dev), stat.st_ino)] = path.name
        return found

    def _run(self) -> None:
        files: dict[tuple[int, int, int], str] = {}
        refreshed = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now - refreshed > 0.2:  # a rebuild adds generations
                files, refreshed = self._lock_files(), now
            try:
                live = os.readlink(self.index_dir / "current") + ".lock"
            except OSError:
                live = ""
            held: set[tuple[int, str]] = set()
            for line in Path("/proc/locks").read_text().splitlines():
                fields = line.split()
                if len(fields) < 6 or fields[1] == "->" or fields[1] != "FLOCK":
                    continue
                major, minor, inode = fields[5].split(":")
                name = files.get((int(major, 16), int(minor, 16), int(inode)))
                if name:
                    held.add((int(fields[4]), name))
            for key in held - set(self._open):
                self._open[key] = (now, key[1] == live)
            for key in set(self._open) - held:
                start, was_live = self._open.pop(key)
                self.holds.append(Hold(key[0], key[1], start, now, was_live))
            time.sleep(self.interval)

    def of(self, pids: set[int]) -> list[Hold]:
        return [hold for hold in self.holds if hold.pid in pids]

    def longest(self, pids: set[int]) -> float:
        """The longest hold of the live generation by one of `pids` (what a search can wait
        for; a rebuild holds its new generation throughout, but nobody reads that)."""
        return max((hold.seconds for hold in self.of(pids) if hold.live), default=0.0)
