"""Searches in other processes while `diarium` writes: ingests, reindexes, prunes,
deletes and checks, each a real `diarium` process, one after another, while reader
processes search the archive without pause (each search opens the store and the index
anew, as `diarium search` does). Every search must succeed and find something.

At the end the archive must hold exactly the files of the folder (none lost, none
extra) and `check` must find nothing to repair. The shard locks are watched from
outside (lockwatch.py): the longest hold by a writer process and the longest wait of a
search are reported with the failures.

    python tests/faults/stress.py [--searches 500] [--readers 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from lockwatch import LockWatch  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
QUERIES = ("hedersrelaterat förtryck", "våld i nära relation", "detaljplan", "kameratillsyn i hemtjänsten", "budget")


def diarium(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir), "DIARIUM_REOCR": "never"}
    return subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args, "--json"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, what: str) -> dict:
    out, err = process.communicate(timeout=900)
    if process.returncode != 0:
        raise RuntimeError(f"{what} failed ({process.returncode}): {err.strip()[-500:]}")
    return json.loads(out)


def document(number: int, lines: int = 40) -> str:
    """A real document (the opening of a seed), made distinct by its number."""
    seeds = sorted(SEEDS.glob("*.txt"))
    text = seeds[number % len(seeds)].read_text(encoding="utf-8")
    return "\n".join(text.split("\n")[:lines]) + f"\nBilaga {number}: handlingen har kompletterats.\n"


def reader(data_dir: str, stop, results) -> None:
    from config import Settings
    from index.embed.embedder import Embedder
    from pipeline.archive import Archive

    embedder = Embedder()
    log = []
    for query in itertools.cycle(QUERIES):
        if stop.is_set():
            break
        started = time.monotonic()
        try:
            with Archive(Settings(data_dir=Path(data_dir)), embedder=embedder) as archive:
                error = "" if archive.search(query, limit=5).hits else f"no hits for {query!r}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            error = f"{type(exc).__name__}: {exc}"
        log.append((started, time.monotonic(), error))
    results.put((os.getpid(), log, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def writer_actions(folder: Path, data_dir: Path):
    """Endless writes: new files, a rebuild, a file removed and pruned, a delete, a check."""
    for number in itertools.count(100):
        (folder / f"ny-{number}.txt").write_text(document(number), encoding="utf-8")
        yield "ingest", diarium(data_dir, "ingest", str(folder), "--workers", "1")
        yield "reindex", diarium(data_dir, "reindex")
        oldest = min(folder.glob("ny-*.txt"), key=lambda path: int(path.stem.split("-")[1]), default=None)
        if oldest is not None and len(list(folder.glob("*.txt"))) > 4:
            oldest.unlink()
            yield "prune", diarium(data_dir, "ingest", str(folder), "--prune", "--workers", "1")
        yield "check", diarium(data_dir, "check")


def stress(workdir: Path, searches: int = 500, readers: int = 2, log=print) -> dict:
    folder, data_dir = workdir / "inbox", workdir / "data"
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"start-{number}.txt").write_text(document(number), encoding="utf-8")
    finish(diarium(data_dir, "ingest", str(folder), "--workers", "1"), "the first ingest")
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    started = time.monotonic()
    actions: dict[str, int] = {}
    writer_pids: set[int] = set()
    with LockWatch(data_dir / "qdrant-edge") as watch:
        searching = [context.Process(target=reader, args=(str(data_dir), stop, results)) for _ in range(readers)]
        for process in searching:
            process.start()
        done = 0
        for kind, process in writer_actions(folder, data_dir):
            writer_pids.add(process.pid)
            finish(process, kind)
            actions[kind] = actions.get(kind, 0) + 1
            done = sum(hold.pid not in writer_pids for hold in watch.holds)  # searches so far, about
            log(f"  {kind:8s} done; about {done} searches so far")
            if done >= searches and kind == "check":
                break
        stop.set()
        logs = [results.get() for _ in searching]
        for process in searching:
            process.join()
    seconds = time.monotonic() - started
    reader_holds = {(hold.pid, hold.start): hold.seconds for hold in watch.holds if hold.pid not in writer_pids}
    waits, failures, count = [], [], 0
    for pid, entries, _ in logs:
        for begun, ended, error in entries:
            count += 1
            if error:
                failures.append(error)
            held = sum(s for (p, start), s in reader_holds.items() if p == pid and begun <= start <= ended)
            waits.append(ended - begun - held)
    final = finish(diarium(data_dir, "check", "--no-repair"), "the last check")
    stored, expected = stored_sources(data_dir), {str(path.resolve()) for path in folder.glob("*.txt")}
    return {
        "searches": count,
        "searches_failed": len(failures),
        "failures": sorted(set(failures))[:5],
        "writer_actions": actions,
        "longest_writer_hold_seconds": watch.longest(writer_pids),
        "longest_search_wait_seconds": max(waits, default=0.0),
        "search_wait_p95_seconds": sorted(waits)[int(0.95 * (len(waits) - 1))] if waits else 0.0,
        "files_lost": len(expected - stored),
        "files_extra": len(stored - expected),
        "check_ok": final["ok"],
        "seconds": seconds,
        "peak_rss_mib": max(rss for _, _, rss in logs) / 1024,
    }


def stored_sources(data_dir: Path) -> set[str]:
    """The paths of the live documents of an archive."""
    from pipeline.store import DocumentStore

    store = DocumentStore(data_dir / "documents.sqlite", readonly=True)
    try:
        live = set(store.doc_ids("live"))
        return {record.path for record in store.all_sources() if record.doc_id in live}
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="diarium-stress-"))
    try:
        result = stress(work, args.searches, args.readers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["searches_failed"] == 0 and result["check_ok"] and not result["files_lost"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
