"""tests/bench/report.py renders docs/benchmarks.md from run_bench.py's results: the
target table's rows and verdicts, and stages that did not run. No bench is run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))

import report

MACHINE = {"cpu": "Test CPU", "cores": 2, "load": [0.5, 0.4, 0.3], "simd": ["avx2", "fma", "avx512f", "avx512_vnni"]}


def results(**stages) -> dict:
    base = {
        "machine_before": MACHINE,
        "machine_after": {**MACHINE, "load": [1.0, 0.8, 0.6]},
        "sizes": [100000],
        "settings": {"BENCH_QUALITY": "0"},
        "started": "2026-01-01 10:00",
        "finished": "2026-01-01 11:00",
        "embedding": {
            "machine": {**MACHINE, "onnxruntime": "1.20.0"}, "chunks": 600, "documents": 40, "tokens_per_chunk": 159.0, "repeats": 2,
            "torch": {"load_seconds": 3.0, "per_document": {"chunks_per_cpu_second": 10.0, "chunks_per_second": 18.0},
                      "one_call": {"chunks_per_cpu_second": 12.0, "chunks_per_second": 20.0}},
            "onnx-int8": {"load_seconds": 1.0, "variant": "int8", "per_document": {"chunks_per_cpu_second": 40.0, "chunks_per_second": 70.0},
                          "one_call": {"chunks_per_cpu_second": 60.0, "chunks_per_second": 100.0}},
            "load_after": [0.6, 0.5, 0.4],
        },
        "ingest": {"documents": 33, "pages": 82, "chunks": 403, "wall_seconds": 20.0, "cpu_seconds": 33.0, "cpu_seconds_per_document": 1.0,
                   "cores_used": 1.65, "embedding_chunks_per_cpu_second": 55.0, "longest_hold_seconds": 0.4,
                   "projected_hours_10000_documents": 1.68},
        "scale": [{"chunks": 100002, "documents": 8030, "build_seconds": 600.0, "documents_per_second": 13.4, "index_seconds": 100.0,
                   "longest_hold_seconds": 1.2, "optimize_seconds": 20.0, "longest_optimize_seconds": 3.1, "real_embeddings": False,
                   "build_peak_rss_mib": 1500.0, "warm_p50_ms": 12.0, "warm_p95_ms": 16.0, "warm_cpu_p50_ms": 11.0,
                   "cold_p50_ms": 900.0, "cold_p95_ms": 1000.0, "cold_cpu_p50_ms": 550.0, "cold_cpu_p95_ms": 640.0, "index_mib": 1200.0,
                   "serve": {"chunks": 100002, "documents": 8030, "queries": 40, "startup_seconds": 4.0,
                             "single_client": {"p50_ms": 10.0, "p95_ms": 14.0},
                             "api": {"clients": 8, "requests": 800, "failed": 0, "p50_ms": 40.0, "p95_ms": 72.0, "p99_ms": 90.0,
                                     "requests_per_second": 180.0, "server_cpu_ms_per_request": 9.0, "server_cores_used": 1.6},
                             "floor": {"embedding_cpu_ms": 3.6, "index_query_cpu_ms": 6.9, "mean_wait_ms_at_least": 42.0, "cores": 2}}}],
        "pdf500": {"pages": 500, "seconds": 30.0, "peak_rss_mib": 436.0},
    }
    base.update(stages)
    return {k: v for k, v in base.items() if v is not None}


def target_row(markdown: str, start: str) -> list[str]:
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {start}"))
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.fixture
def full(tmp_path) -> str:
    return report.render(results(), tmp_path / "benchmarks.md")


def test_target_verdicts(full):
    assert target_row(full, "embedding inside ingest")[3:] == ["55.0", "holds"]
    assert target_row(full, "ingest of the 33 sample files")[-1] == "**misses**"
    assert target_row(full, "both cores busy")[-1] == "**misses**"
    assert target_row(full, "digital archive of 10,000")[-1] == "**misses**"
    assert target_row(full, "longest optimize hold")[-1] == "holds"
    assert target_row(full, "cold `diarium search`")[-1] == "holds at p50; p95 is above"
    serve = target_row(full, "`diarium serve`")
    assert serve[3].startswith("72.0") and serve[-1] == "**misses**"
    assert "at least 8 × 10.5 / 2 = 42.0 ms" in full
    assert target_row(full, "embedding int8 vs fp32")[3:] == ["not run", "not run"]  # BENCH_QUALITY=0
    assert target_row(full, "unchanged re-run")[3:] == ["not run", "not run"]
    assert "Test CPU, 2 cores" in full and "avx512_vnni" in full and "BENCH_QUALITY=0" in full
    assert "2026-01-01 10:00" in full and "2026-01-01 11:00" in full


def test_missing_and_failed_stages(tmp_path):
    markdown = report.render(results(ingest=None, scale=[], pdf500={"error": "RuntimeError: boom"},
                                     rerun={"files": 300, "first_wall_seconds": 9.0, "first_cpu_seconds": 12.0, "documents": 300,
                                            "rerun_wall_seconds": 1.1, "rerun_cpu_seconds": 0.9, "rerun_unchanged": 300, "loaded": []},
                                     quality={"torch hybrid": 0.873, "onnx hybrid": 0.873, "onnx-int8 hybrid": 0.851,
                                              "interval hybrid vs torch": [-0.061, 0.013]}),
                             tmp_path / "benchmarks.md")
    assert target_row(markdown, "ingest of the 33 sample files")[3:] == ["not run", "not run"]
    assert target_row(markdown, "longest optimize hold")[3:] == ["not run", "not run"]
    assert target_row(markdown, "`diarium serve`")[3:] == ["not run", "not run"]
    quality = target_row(markdown, "embedding int8 vs fp32")
    assert "+0.022" in quality[3] and quality[-1] == "**misses**"
    assert "95 % interval -0.061 to +0.013" in quality[3] and "hybrid vs torch: -0.061 to +0.013" in markdown
    rerun = target_row(markdown, "unchanged re-run")
    assert "300 files" in rerun[3] and "none loaded" in rerun[3] and "not 10,000" in rerun[-1]
    assert "## Stages that failed" in markdown and "RuntimeError: boom" in markdown


def test_small_size_gets_no_verdict(tmp_path):
    small = dict(results()["scale"][0], chunks=1000)
    markdown = report.render(results(scale=[small]), tmp_path / "benchmarks.md")
    assert target_row(markdown, "longest optimize hold")[-1].startswith("no verdict")
    assert target_row(markdown, "cold `diarium search`")[-1].startswith("no verdict")


def test_cpu_without_vnni_is_flagged(tmp_path):
    plain = {**MACHINE, "simd": ["avx2", "fma"]}
    markdown = report.render(results(machine_before=plain, machine_after=plain), tmp_path / "benchmarks.md")
    assert "ran the fp32 graph" in target_row(markdown, "embedding inside ingest")[-1]


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    report.plot(results(), tmp_path / "benchmarks.png")
    report.plot(results(embedding=None, scale=[]), tmp_path / "empty.png")
    assert (tmp_path / "benchmarks.png").stat().st_size > 1000 and (tmp_path / "empty.png").exists()


def test_failed_scale_size_is_reported(tmp_path):
    failed = results(sizes=[1000, 100000], scale=[results()["scale"][0] | {"chunks": 1008}, {"error": "RuntimeError: disk full"}])
    markdown = report.render(failed, tmp_path / "benchmarks.md")
    assert "| 100,000 (asked) | failed (see below) |" in markdown
    assert "- scale, size 100000: `RuntimeError: disk full`" in markdown
    assert target_row(markdown, "longest optimize hold")[-1].startswith("no verdict: measured at 1,008 chunks")
