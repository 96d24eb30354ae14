"""`make chaos`: a randomized endurance run of the archive lifecycle, killed at random.

Rounds of `diarium ingest` over a folder that changes between rounds (files added,
edited, duplicated, deleted, bad files dropped in), each run killed at a random moment
with SIGKILL or SIGINT, or left to finish; then rounds of `diarium reindex`, killed the
same way. At the end one uninterrupted `ingest --prune` and one `reindex` run, and the
archive is compared with a clean ingest of the final folder into a fresh data directory:
the same documents, the same paths, the same number of index points per document, and
`check` finding nothing to repair.

    python tests/chaos/chaos_run.py [--rounds 12] [--reindex-rounds 4] [--seed 1] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "data" / "samples"
BAD_FILES = {
    "tom.pdf": b"",
    "webbsida.pdf": b"<!doctype html><html><body>Sidan finns inte</body></html>",
    "trasig.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
}


def diarium(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DIARIUM_DATA_DIR": str(data_dir), "DIARIUM_REOCR": "never"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), *args], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(data_dir: Path, *args: str) -> dict:
    process = diarium(data_dir, *args, "--json")
    out, err = process.communicate()
    if process.returncode not in (0, 1):
        raise SystemExit(f"diarium {' '.join(args)} crashed ({process.returncode}):\n{err[-3000:]}")
    return json.loads(out)


def mutate(folder: Path, rng: random.Random, log: list[str]) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    action = rng.choice(["add", "add", "edit", "duplicate", "delete", "bad"])
    sources = sorted(SEEDS.glob("*.txt")) + sorted(p for p in SAMPLES.glob("*.pdf") if p.name.count(".") == 1)
    if action == "add" or not files:
        source = rng.choice(sources)
        target = folder / f"{rng.randrange(10**6):06d}_{source.name}"
        shutil.copy(source, target)
    elif action == "edit":
        texts = [p for p in files if p.suffix == ".txt"]
        if not texts:
            return
        target = rng.choice(texts)
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"\nTillägg {rng.randrange(10**6)}: ärendet har kompletterats.\n")
    elif action == "duplicate":
        source = rng.choice(files)
        target = folder / f"kopia_{rng.randrange(10**6):06d}_{source.name}"
        shutil.copy(source, target)
    elif action == "delete":
        target = rng.choice(files)
        target.unlink()
    else:
        name, content = rng.choice(sorted(BAD_FILES.items()))
        target = folder / f"{rng.randrange(10**6):06d}_{name}"
        target.write_bytes(content)
    log.append(f"{action} {target.name}")


def snapshot(data_dir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from config import Settings
    from index.stores.edge import EdgeVectorStore
    from pipeline.store import DocumentStore

    settings = Settings(data_dir=data_dir)
    store = DocumentStore(settings.documents_db, readonly=True)
    try:
        return {
            "documents": sorted(store.doc_ids("live")),
            "pending": store.doc_ids("pending"),
            "sources": sorted((Path(r.path).name, r.doc_id) for r in store.all_sources()),
            "points": EdgeVectorStore(settings.edge_dir).point_counts(),
        }
    finally:
        store.close()


def interrupt(process: subprocess.Popen, rng: random.Random, latest: float) -> str:
    """Kill the process at a random moment (or let it finish); what happened."""
    fate = rng.choice(["SIGKILL", "SIGKILL", "SIGINT", "finish"])
    if fate != "finish":
        time.sleep(rng.uniform(0.5, latest))
        if process.poll() is None:
            process.send_signal(getattr(signal, fate))
        else:
            fate = "finished before the kill"
    try:  # the pipes close when every process of the run is gone, its parse workers too
        process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        raise SystemExit("processes of a killed run still hold its output after 2 minutes") from None
    return fate


def chaos(rounds: int, reindex_rounds: int, seed: int, work: Path, log=print) -> dict:
    rng = random.Random(seed)
    started = time.monotonic()
    folder, data_dir, reference_dir = work / "inbox", work / "data", work / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    changes: list[str] = []
    for _ in range(4):
        mutate(folder, rng, changes)
    kills = {"ingest": 0, "reindex": 0}
    for round_number in range(1, rounds + 1):
        for _ in range(rng.randint(1, 3)):
            mutate(folder, rng, changes)
        process = diarium(data_dir, "ingest", str(folder), "--workers", str(rng.choice([1, 2])), "--prune")
        fate = interrupt(process, rng, 12.0)
        kills["ingest"] += fate.startswith("SIG")
        log(f"ingest round {round_number:2d}: {fate:<26} exit {process.returncode:>4}  folder {len(list(folder.iterdir()))} files")
    finish(data_dir, "ingest", str(folder), "--prune")
    for round_number in range(1, reindex_rounds + 1):
        process = diarium(data_dir, "reindex")
        fate = interrupt(process, rng, 8.0)
        kills["reindex"] += fate.startswith("SIG")
        log(f"reindex round {round_number:2d}: {fate:<26} exit {process.returncode:>4}")
    if reindex_rounds:
        finish(data_dir, "reindex")
    final = finish(data_dir, "ingest", str(folder), "--prune")
    check = finish(data_dir, "check", "--no-repair")
    finish(reference_dir, "ingest", str(folder))
    found, expected = snapshot(data_dir), snapshot(reference_dir)
    return {
        "ingest_kills": kills["ingest"],
        "reindex_kills": kills["reindex"],
        "folder_changes": len(changes),
        "documents_expected": len(expected["documents"]),
        "documents_found": len(found["documents"]),
        "files_lost": len(set(expected["sources"]) - set(found["sources"])),
        "files_duplicated": len(set(found["sources"]) - set(expected["sources"])),
        "points_expected": sum(expected["points"].values()),
        "points_found": sum(found["points"].values()),
        "bad_files_reported": final["failed"],
        "check_ok": check["ok"],
        "identical": found == expected and check["ok"],
        "differences": {key: [expected[key], found[key]] for key in expected if found[key] != expected[key]},
        "seconds": time.monotonic() - started,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--reindex-rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diarium-chaos-"))
    result = chaos(args.rounds, args.reindex_rounds, args.seed, work)
    print(f"\nafter {args.rounds} ingest rounds ({result['ingest_kills']} kills), {args.reindex_rounds} reindex rounds "
          f"({result['reindex_kills']} kills) and {result['folder_changes']} folder changes:")
    print(f"  documents expected {result['documents_expected']}, found {result['documents_found']}")
    print(f"  paths lost {result['files_lost']}, extra {result['files_duplicated']}")
    print(f"  index points expected {result['points_expected']}, found {result['points_found']}")
    print(f"  final ingest: {result['bad_files_reported']} bad files reported, consistency check ok: {result['check_ok']}")
    print("  RESULT:", "identical to a clean ingest" if result["identical"] else "MISMATCH")
    if not result["identical"]:
        for key, (expected, found) in result["differences"].items():
            print(f"  {key}: expected {expected!r}\n  {' ' * len(key)}  found    {found!r}")
        print(f"  work directory kept: {work}")
    elif not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
