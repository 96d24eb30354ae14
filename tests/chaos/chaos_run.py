"""`make chaos`: a randomized endurance run of the archive lifecycle.

Rounds of `diarium ingest` over a folder that changes between rounds (files added,
edited, duplicated, deleted, bad files dropped in), each run killed at a random moment
with SIGKILL or SIGINT, or left to finish. At the end one uninterrupted `ingest
--prune` runs, and the archive is compared with a clean ingest of the final folder
into a fresh data directory: the same documents, the same paths, the same number of
index points per document, and `check` finding nothing to repair.

    python tests/chaos/chaos_run.py [--rounds 12] [--seed 1] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
    from index.docstore import DocumentStore
    from index.edge import EdgeVectorStore

    settings = Settings(data_dir=data_dir)
    store = DocumentStore(settings.documents_db)
    try:
        return {
            "documents": sorted(store.doc_ids("live")),
            "pending": store.doc_ids("pending"),
            "sources": sorted((Path(r.path).name, r.doc_id) for r in store.all_sources()),
            "points": EdgeVectorStore(settings.edge_dir).point_counts(),
        }
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diarium-chaos-"))
    folder, data_dir, reference_dir = work / "inbox", work / "data", work / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    log: list[str] = []
    for _ in range(4):
        mutate(folder, rng, log)

    kills = 0
    for round_number in range(1, args.rounds + 1):
        for _ in range(rng.randint(1, 3)):
            mutate(folder, rng, log)
        process = diarium(data_dir, "ingest", str(folder), "--workers", str(rng.choice([1, 2])), "--prune")
        fate = rng.choice(["SIGKILL", "SIGKILL", "SIGINT", "finish"])
        if fate != "finish":
            time.sleep(rng.uniform(0.5, 12.0))
            if process.poll() is None:
                process.send_signal(getattr(signal, fate))
                kills += 1
            else:
                fate = "finished before the kill"
        try:  # the pipes close when every process of the ingest is gone, its parse workers too
            process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"round {round_number}: processes of the killed ingest still hold its output after 2 minutes")
        print(f"round {round_number:2d}: {fate:<26} exit {process.returncode:>4}  folder {len(list(folder.iterdir()))} files", flush=True)

    final = finish(data_dir, "ingest", str(folder), "--prune")
    check = finish(data_dir, "check", "--no-repair")
    finish(reference_dir, "ingest", str(folder))
    found, expected = snapshot(data_dir), snapshot(reference_dir)
    print(f"\nafter {args.rounds} rounds ({kills} kills) and {len(log)} folder changes:")
    print(f"  documents expected {len(expected['documents'])}, found {len(found['documents'])}")
    print(f"  paths expected {len(expected['sources'])}, found {len(found['sources'])}")
    print(f"  index points expected {sum(expected['points'].values())}, found {sum(found['points'].values())}")
    print(f"  final ingest: {final['failed']} bad files reported, consistency check ok: {check['ok']}")
    same = found == expected and check["ok"]
    print("  RESULT:", "identical to a clean ingest" if same else "MISMATCH")
    if not same:
        for key in expected:
            if found[key] != expected[key]:
                print(f"  {key}: expected {expected[key]!r}\n  {' ' * len(key)}  found    {found[key]!r}")
        print(f"  work directory kept: {work}")
    elif not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
