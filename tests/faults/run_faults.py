"""`make faults`: the fault suite. Every case runs real `diarium` processes on real files
and mounts and ends with its figures and the archive consistent; the results go to
docs/faults.md.

- kills: ingests and reindexes killed at random (tests/chaos/chaos_run.py), then compared
  with a clean ingest of the same folder;
- the race the shard lock removes, on the bare engine with and without the lock
  (edge_race.py: the unlocked run is expected to fail, and shows why);
- concurrent readers: at least `--searches` searches in other processes during ingests,
  reindexes, prunes and checks (stress.py);
- writer holds: the longest hold of the index by a writer and the longest wait of a
  search at `--chunks` points, with a prune of a third (holds.py);
- full disk: a small archive on a 30 MB tmpfs filled to the last block: every read
  command, the bytes reads wrote, what an ingest says, and a rerun once space is freed;
- read-only: a read-only bind mount, and `chmod -R a-w` read by another user;
- store and index damage: every command on each kind of damage, then `check`;
- hostile input: the hostile and huge files of tests/test_hostile_input.py's generators,
  a FIFO, /dev/zero, a link out of the folder, random bytes, UTF-16, a 50 MB text, a
  name with a newline and an escape sequence, beside two good documents.

    python tests/faults/run_faults.py [--only kills,disk] [--searches 500] [--chunks 20000] [--out docs/faults.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE), str(HERE.parent), str(HERE.parent / "chaos")]

from harness import (  # noqa: E402
    INDEX_DAMAGE,
    NOBODY,
    ROOT,
    SEEDS,
    STORE_DAMAGE,
    NotPermitted,
    allocated_bytes,
    can_switch_user,
    diarium,
    fill,
    grow,
    one_line_error,
    read_only_view,
    seed_folder,
    sparse_copy,
    tmpfs,
)

READS = (("stats",), ("search", "våld i nära relationer", "--limit", "3"), ("list",), ("show", "{doc}"), ("case", "{dnr}"))
WRITES = (("ingest", "{new}"), ("check",), ("reindex",), ("delete", "{doc}"))


class Case:
    """One row of the report: what was done, whether it held, and its figures."""

    def __init__(self, group: str, name: str):
        self.group, self.name = group, name
        self.held = True
        self.expected_to_fail = False  # a case that shows what the design prevents
        self.figures: list[str] = []
        self.started = self.ended = time.monotonic()
        self.peak_mib = 0.0

    def note(self, text: str, holds: bool = True) -> None:
        self.figures.append(text if holds else f"**{text}**")
        self.held = self.held and holds
        self.ended = time.monotonic()  # a case ends with its last figure

    def ran(self, result) -> None:
        self.peak_mib = max(self.peak_mib, getattr(result, "peak_mib", 0.0))

    def row(self) -> str:
        cost = [f"{self.ended - self.started:.0f} s"] + ([f"peak {self.peak_mib:.0f} MiB"] if self.peak_mib else [])
        figures = "; ".join(self.figures + cost)
        outcome = "fails, as expected" if self.expected_to_fail else "holds" if self.held else "FAILS"
        return f"| {self.group} | {self.name} | {outcome} | {figures} |"


# --- an archive to damage --------------------------------------------------------------


def small_archive(work: Path) -> tuple[Path, str, str]:
    """Five real documents (openings of the seeds) ingested by `diarium ingest`; the id and
    diary number of one of them."""
    data = work / "small"
    result = diarium(data, "ingest", str(seed_folder(work / "small-inbox", count=5)), "--workers", "1")
    if result.returncode != 0:
        raise SystemExit(f"could not build the small archive: {result.stderr}")
    store = sqlite3.connect(f"file:{data / 'documents.sqlite'}?mode=ro", uri=True)
    doc_id, dnr = next((row[0], json.loads(row[1])[0]) for row in store.execute("SELECT doc_id, dnr FROM documents") if json.loads(row[1]))
    store.close()
    return data, doc_id, dnr


def _reads(case: Case, data: Path, doc: str, dnr: str, user: int | None = None) -> int:
    """Every read command; how many succeeded (each failure noted)."""
    ok = 0
    for args in READS:
        if user is not None and args[0] == "search":
            continue  # that user has no model nor lexicon; `stats` opens the index
        result = diarium(data, *[a.format(doc=doc, dnr=dnr) for a in args], user=user)
        case.ran(result)
        if result.returncode == 0 and result.stdout.strip():
            ok += 1
        else:
            case.note(f"`{args[0]}` failed: {result.stderr.strip()[:200]}", holds=False)
    return ok


# --- cases -----------------------------------------------------------------------------


def kills(work: Path, args) -> list[Case]:
    from chaos_run import chaos

    case = Case("kills", f"{args.rounds} ingests and {args.reindex_rounds} reindexes, each killed (SIGKILL/SIGINT) or not at random")
    result = chaos(args.rounds, args.reindex_rounds, args.seed, work / "chaos", log=lambda line: print("   ", line))
    case.peak_mib = result["peak_rss_mib"]
    case.note(f"{result['ingest_kills']} ingest and {result['reindex_kills']} reindex kills over {result['folder_changes']} folder changes")
    case.note(f"documents {result['documents_found']}/{result['documents_expected']}, files lost {result['files_lost']}, "
              f"duplicated {result['files_duplicated']}, points {result['points_found']}/{result['points_expected']}",
              holds=result["identical"])
    case.note("identical to a clean ingest, `check` clean" if result["identical"] else f"differs: {sorted(result['differences'])}", holds=result["identical"])
    return [case]


def edge_race(work: Path, args) -> list[Case]:
    from edge_race import race

    cases = []
    for locked in (False, True):
        case = Case("concurrent readers", f"bare Qdrant Edge, 1 writer and 2 searching processes for 30 s, {'each holding ShardLock from load to close' if locked else 'retrying on WouldBlock (the old scheme)'}")
        result = race(locked, 30, work)
        holds = result["failed_loads"] == result["writer_failures"] == 0
        case.expected_to_fail = not locked and not holds
        case.note(f"{result['searches']} searches, {result['failed_loads']} failed loads"
                  + (f" (`{result['commonest_failure']}`)" if result["commonest_failure"] else ""), holds=holds or not locked)
        case.note(f"writer: {result['writer_batches']} batches, {result['writer_failures']} failures"
                  + (f" (`{result['writer_failure']}`)" if result["writer_failure"] else ""), holds=holds or not locked)
        cases.append(case)
    return cases


def concurrent_readers(work: Path, args) -> list[Case]:
    from stress import stress

    case = Case("concurrent readers", f"{args.readers} processes searching during ingests, reindexes, prunes and checks")
    result = stress(work / "stress", args.searches, args.readers, log=lambda line: print("   ", line))
    case.peak_mib = result["peak_rss_mib"]
    case.note(f"{result['searches']} searches, {result['searches_failed']} failed" + (f" ({result['failures'][0]})" if result["failures"] else ""),
              holds=result["searches_failed"] == 0 and result["searches"] >= args.searches)
    case.note(f"writer actions {result['writer_actions']}")
    case.note(f"longest hold of the live index by a writer {result['longest_writer_hold_seconds']:.1f} s, "
              f"longest search wait {result['longest_search_wait_seconds']:.1f} s (p95 {result['search_wait_p95_seconds']:.1f} s)")
    case.note(f"files lost {result['files_lost']}, extra {result['files_extra']}, `check` clean: {result['check_ok']}",
              holds=not result["files_lost"] and not result["files_extra"] and result["check_ok"])
    return [case]


def writer_holds(work: Path, args) -> list[Case]:
    from holds import run

    case = Case("writer holds", f"{args.chunks:,} points written as ingest writes them, a third of the documents deleted, one process searching throughout")
    result = run(args.chunks, work / "holds", log=lambda line: print("   ", line))
    case.note(f"{result['searches']} searches, {result['searches_failed']} failed", holds=result["searches_failed"] == 0)
    case.note(f"batch holds p50 {result['writer_hold_p50_seconds']:.2f} s, longest hold {result['longest_writer_hold_seconds']:.1f} s")
    case.note(f"longest optimization {result['longest_optimization_seconds']:.1f} s ({result['longest_optimization_cpu_seconds']:.2f} CPU-s); "
              f"after the deletion {result['optimizations'][-1]['seconds']:.1f} s ({result['optimizations'][-1]['cpu_seconds']:.2f} CPU-s)")
    case.note(f"longest search wait {result['longest_search_wait_seconds']:.1f} s (p95 {result['search_wait_p95_seconds']:.1f} s); "
              f"load average {' '.join(result['load_average'])} on {os.cpu_count()} cores")
    return [case]


def full_disk(work: Path, args) -> list[Case]:
    data, doc, dnr = small_archive(work)
    case = Case("full disk", "a small archive on a 30 MB tmpfs filled to the last block, then room made")
    new = work / "ny.txt"
    new.write_text("Kommunstyrelsen beslutar om en ny detaljplan för Tallbohov.\n" * 20, encoding="utf-8")
    disk = work / "disk"
    try:
        with tmpfs(disk, "30m"):
            sparse_copy(data, disk / "data")
            filler = fill(disk)
            before = allocated_bytes(disk / "data")
            ok = _reads(case, disk / "data", doc, dnr)
            grew = allocated_bytes(disk / "data") - before
            case.note(f"reads {ok}/{len(READS)} ok with {shutil.disk_usage(disk).free} bytes free; they wrote {grew} bytes", holds=ok == len(READS) and grew == 0)
            written = diarium(disk / "data", "ingest", str(new))
            case.ran(written)
            case.note(f"ingest: `{written.stderr.strip()}`", holds=one_line_error(written))
            filler.unlink()
            again = diarium(disk / "data", "ingest", str(new))
            case.note(f"filler removed ({shutil.disk_usage(disk).free // 2**20} MiB free): ingest `{(again.stderr or again.stdout).strip()[:260]}`", holds=one_line_error(again) or again.returncode == 0)
            grow(disk, "600m")  # as much room as an in-place write on tmpfs needs (index/stores/edge.py)
            rerun = diarium(disk / "data", "ingest", str(new))
            case.ran(rerun)
            check = diarium(disk / "data", "check", "--no-repair")
            case.note(f"with 600 MB: rerun {'completes' if rerun.returncode == 0 else rerun.stderr.strip()}, `check` {'clean' if check.returncode == 0 else check.stdout.strip()}",
                      holds=rerun.returncode == 0 and check.returncode == 0)
    except NotPermitted as exc:
        case.note(f"skipped: {exc}")
    return [case]


def read_only(work: Path, args) -> list[Case]:
    data, doc, dnr = small_archive(work)
    new = work / "ny.txt"
    new.write_text("Kommunstyrelsen beslutar om en ny detaljplan för Tallbohov.\n" * 20, encoding="utf-8")
    mounted = Case("read-only", "a read-only bind mount of an archive (a mounted snapshot)")
    try:
        with read_only_view(data, work / "view") as view:
            ok = _reads(mounted, view, doc, dnr)
            mounted.note(f"reads {ok}/{len(READS)} ok", holds=ok == len(READS))
            refused = [diarium(view, *[a.format(doc=doc, new=new) for a in args]) for args in WRITES]
            lines = sum(one_line_error(result) for result in refused)
            mounted.note(f"writes refused in one line {lines}/{len(WRITES)} (`{refused[0].stderr.strip()}`)", holds=lines == len(WRITES))
    except NotPermitted as exc:
        mounted.note(f"skipped: {exc}")
    permissions = Case("read-only", "`chmod -R a-w`, read by a user who may not write (nobody, when run as root)")
    if os.geteuid() == 0 and not can_switch_user():
        permissions.note("skipped: root without setpriv")
        return [mounted, permissions]
    shared = Path(tempfile.mkdtemp(prefix="diarium-readonly-"))
    try:
        copy = shared / "data"
        shutil.copytree(data, copy, symlinks=True)
        user = None
        if os.geteuid() == 0:
            user = NOBODY
            os.chmod(shared, 0o755)
            os.system(f"chown -R {NOBODY}:{NOBODY} '{copy}'")
        os.system(f"chmod -R a-w '{copy}'")
        ok = _reads(permissions, copy, doc, dnr, user=user)
        permissions.note(f"reads {ok}/{len(READS) - 1} ok (no search: that user has no model)", holds=ok == len(READS) - 1)
        written = diarium(copy, "ingest", str(new), user=user)
        permissions.note(f"ingest: `{written.stderr.strip()}`", holds=one_line_error(written))
    finally:
        os.system(f"chmod -R u+w '{shared}'")
        shutil.rmtree(shared, ignore_errors=True)
    return [mounted, permissions]


def damage(work: Path, args) -> list[Case]:
    data, doc, dnr = small_archive(work)
    cases = []
    for group, kinds in (("store damage", STORE_DAMAGE), ("index damage", INDEX_DAMAGE)):
        for name, harm in kinds.items():
            case = Case(group, name)
            copy = work / f"damaged-{len(cases)}"
            shutil.copytree(data, copy, symlinks=True)
            harm(copy / "documents.sqlite" if group == "store damage" else copy)
            results = [diarium(copy, *[a.format(doc=doc, dnr=dnr) for a in args]) for args in READS]
            clean = sum(result.returncode == 0 or one_line_error(result) for result in results)
            errors = sorted({result.stderr.strip()[:120] for result in results if result.returncode})
            case.note(f"{clean}/{len(READS)} reads ended in success or one line" + (f" (`{errors[0]}`)" if errors else ""), holds=clean == len(READS))
            repaired = diarium(copy, "check", "--json")
            report = json.loads(repaired.stdout or "{}")
            case.ran(repaired)
            if group == "store damage":
                detected = bool(report.get("store_problems"))
                case.note(f"`check` found it, salvaged {report.get('salvaged')} documents, lost {report.get('lost_documents')}, "
                          f"files to ingest again {len(report.get('reingest', []))}", holds=detected)
            else:
                case.note(f"`check`: {'rebuilt the index' if report.get('rebuilt_index') else 'nothing to repair (Qdrant Edge replayed its write-ahead log)' if report.get('ok') else report}",
                          holds=bool(report.get("rebuilt_index") or report.get("ok")))
            final = diarium(copy, "check", "--no-repair")
            found = diarium(copy, "search", "nämnden", "--limit", "1")
            case.note(f"then `check` clean: {final.returncode == 0}, search works: {found.returncode == 0}", holds=final.returncode == 0 and found.returncode == 0)
            cases.append(case)
    return cases


def hostile(work: Path, args) -> list[Case]:
    case = Case("hostile input", "one folder of hostile and huge files beside two good documents, and /dev/zero by name")
    try:
        import test_hostile_input as generators
    except ImportError as exc:
        case.note(f"skipped: the generators of tests/test_hostile_input.py cannot be imported ({exc})")
        return [case]
    folder = seed_folder(work / "hostile", count=2)
    (folder / "blank-3000.pdf").write_bytes(generators.blank_pages(3000))
    (folder / "page-tree-loop.pdf").write_bytes(generators.page_tree_loop())
    (folder / "nested-200k.pdf").write_bytes(generators.deep_nesting(200_000))
    (folder / "flate-300mb.pdf").write_bytes(generators.flate_bomb(300))
    sample = next(p for p in (ROOT / "data" / "samples").glob("*.pdf") if p.name.count(".") == 1).read_bytes()
    for seed in range(5):
        (folder / f"fuzzed-{seed}.pdf").write_bytes(generators.fuzzed(sample, seed))
    os.mkfifo(folder / "rör.txt")
    (folder / "lösenord.txt").symlink_to("/etc/passwd")
    (folder / "slump.txt").write_bytes(random.Random(1).randbytes(1 << 20))
    (folder / "utf16.txt").write_text(next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")[:20_000], encoding="utf-16")
    paragraph = "Nämnden beslutar att godkänna förslaget till detaljplan för kvarteret Tallbohov.\n"
    (folder / "stor.txt").write_text(paragraph * (50 * 2**20 // len(paragraph.encode())), encoding="utf-8")
    (folder / "ny\nrad\x1b[2J.txt").write_text(paragraph * 10, encoding="utf-8")
    result = diarium(work / "hostile-data", "ingest", str(folder), "/dev/zero", "--workers", "2", "--json", timeout=1800)
    case.ran(result)
    report = json.loads(result.stdout or "{}")
    failed = [entry for entry in report.get("results", []) if entry["status"] in ("failed", "skipped")]
    multiline = [entry for entry in failed if "\n" in entry["message"] or "\x1b" in entry["message"]]
    case.note(f"exit {result.returncode} after {result.seconds:.0f} s; {report.get('documents')} documents added, "
              f"{report.get('failed')} failed, {report.get('skipped')} skipped", holds=result.returncode in (0, 1) and bool(report))
    case.note(f"messages on one line without control characters: {len(failed) - len(multiline)}/{len(failed)}", holds=not multiline)
    for entry in failed:
        case.note(f"{Path(entry['path']).name!r}: {entry['message'][:110]}")
    check = diarium(work / "hostile-data", "check", "--no-repair")
    case.note(f"`check` clean: {check.returncode == 0}", holds=check.returncode == 0)
    return [case]


CASES: dict[str, Callable] = {
    "kills": kills,
    "race": edge_race,
    "readers": concurrent_readers,
    "holds": writer_holds,
    "disk": full_disk,
    "readonly": read_only,
    "damage": damage,
    "hostile": hostile,
}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    flags = Path("/proc/cpuinfo").read_text()
    simd = [flag for flag in ("avx512_vnni", "amx_int8") if f" {flag}" in flags]
    return f"{cpu} ({', '.join(simd) or 'no VNNI/AMX'}), {os.cpu_count()} cores, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the end"


BEGIN = "<!-- results of tests/faults/run_faults.py: everything down to the end mark is rewritten by each run -->"
END = "<!-- end of results -->"


def render(cases: list[Case], started: float) -> str:
    lines = [
        BEGIN,
        "",
        f"`make faults`, {time.strftime('%Y-%m-%d')}, {machine()}; {(time.monotonic() - started) / 60:.0f} minutes.",
        "Every case runs real `diarium` processes on real files and mounts. Times are wall time on a machine shared with",
        "other work, so CPU-seconds are given where a duration is the point. \"holds\": the case ended as it must",
        "(bold figures are the ones that did not).",
        "",
        "| group | case | result | figures |",
        "| --- | --- | --- | --- |",
        *[case.row() for case in cases],
        "",
        END,
    ]
    return "\n".join(lines)


def write_report(path: Path, results: str) -> None:
    """Put the results between the marks of `path`, keeping the text around them."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Fault suite\n\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + results + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + results + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated: {', '.join(CASES)}")
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--chunks", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--reindex-rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "faults.md")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(CASES)
    started = time.monotonic()
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="diarium-faults-") as work:
        for name in chosen:
            print(f"== {name}", flush=True)
            (Path(work) / name).mkdir()
            cases += CASES[name](Path(work) / name, args)
            for case in cases[-1:]:
                print("  ", case.row(), flush=True)
    write_report(args.out, render(cases, started))
    print(f"wrote {args.out}")
    return 0 if all(case.held for case in cases) else 1


if __name__ == "__main__":
    raise SystemExit(main())
