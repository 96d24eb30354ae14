"""docs/benchmarks.md and its plot from the results of tests/bench/run_bench.py."""

from __future__ import annotations

import math
from pathlib import Path

TARGETS = {"cold_ms": 1500, "warm_p95_ms": 50, "embedding_speedup": 2.0, "rss_mib": 2048, "mrr_drop": 0.01}


def _row(cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _slope(xs: list[float], ys: list[float]) -> float:
    """Exponent b of y ~ x^b, least squares in log-log (1 = linear, < 1 = sub-linear)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def _verdict(ok: bool) -> str:
    return "holds" if ok else "**misses**"


def render(results: dict, report: Path) -> str:
    pdf, norm, emb, scale, ingest = (results[k] for k in ("pdf", "normalize_extract", "embedding", "scale", "ingest"))
    before, after = results["machine_before"], results["machine_after"]
    torch_rate = emb["torch"]["per_second"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `{' '.join(f'{k}={v}' for k, v in results['settings'].items())} python tests/bench/run_bench.py "
        f"{report.relative_to(report.parents[1])}` (`make bench` runs it with the defaults; sizes "
        f"{', '.join(map(str, results['sizes']))} chunks, medians of {results['repeats']} runs) from {results['started']} to "
        f"{results['finished']} on {before['cpu']}, {before['cores']} cores"
        f"{' (' + ', '.join(before['simd']) + ')' if before.get('simd') else ''}, no GPU. The machine is shared: load average "
        f"{before['load'][0]:.1f} / {before['load'][1]:.1f} / {before['load'][2]:.1f} (1/5/15 min) at the start, "
        f"{after['load'][0]:.1f} / {after['load'][1]:.1f} / {after['load'][2]:.1f} at the end; anything above ~0 "
        "slows every figure below. Raw numbers: `docs/benchmarks.json`. How each is measured: the docstring of "
        "tests/bench/run_bench.py.",
        "",
        "## Stages",
        "",
        _row(["stage", "throughput", "compared", "ratio"]),
        _row(["---"] * 4),
        _row(["PDF text (pdfplumber, ingest/pdf.py)", f"{pdf['pdfplumber']:.1f} pages/s", f"pypdfium2 raw text {pdf['pypdfium2']:.0f} pages/s",
              f"pypdfium2 {pdf['pypdfium2'] / pdf['pdfplumber']:.0f}× faster"]),
        _row(["normalize + extract", f"{norm['documents_per_second']:.2f} documents/s", f"{norm['documents']} documents", ""]),
    ]
    for backend in ("onnx-int8", "onnx"):
        rate = emb[backend]
        lines.append(_row([f"embedding, ONNX {'int8' if backend.endswith('int8') else 'fp32'}", f"{rate['per_second']:.1f} chunks/s "
                           f"({rate['per_cpu_second']:.1f}/CPU-s)", f"torch fp32 {torch_rate:.1f} chunks/s ({emb['torch']['per_cpu_second']:.1f}/CPU-s)",
                           f"{rate['per_second'] / torch_rate:.2f}× (CPU time {rate['per_cpu_second'] / emb['torch']['per_cpu_second']:.2f}×)"]))
    for size in scale:
        local = size.get("edge_vs_local")
        if local:
            lines.append(_row([f"index upsert, {size['chunks']} points", f"Edge {local['edge']['upsert_points_per_second']:.0f} points/s",
                               f"qdrant-client local {local['local']['upsert_points_per_second']:.0f} points/s",
                               f"{local['edge']['upsert_points_per_second'] / local['local']['upsert_points_per_second']:.1f}×"]))
            lines.append(_row([f"hybrid query, {size['chunks']} points", f"Edge {local['edge']['search_p50_ms']:.1f} ms p50",
                               f"qdrant-client local {local['local']['search_p50_ms']:.1f} ms p50",
                               f"{local['local']['search_p50_ms'] / local['edge']['search_p50_ms']:.1f}× faster"]))
    for workers, run in sorted(ingest.items(), key=lambda item: int(item[0])):
        lines.append(_row([f"end-to-end `diarium ingest`, {workers} worker(s)", f"{run['documents_per_minute']:.1f} documents/min",
                           f"{run['documents']} PDFs, {run['pages']} pages, {run['chunks']} chunks in {run['seconds']:.0f} s",
                           f"{run['cores_used']:.2f} cores used"]))
    lines += [
        "",
        "int8 pays where the CPU has VNNI (avx512_vnni or avx_vnni): an earlier run on an AVX2-only EPYC measured ONNX "
        "int8 at 1.07× and fp32 at 1.09× torch, since without VNNI ONNX Runtime's int8 kernels are no faster than fp32 ones.",
        "",
        f"Embedding sample: {emb['chunks']} real chunks of the seed documents (mean {emb['mean_words']:.0f} words), batch 32.",
        "",
        "## Scale",
        "",
        _row(["chunks", "documents", "build s", "documents/s", "upsert points/s", "embeddings", "build peak RSS MiB", "index MiB",
              "optimize s (longest hold)", "warm p50 ms", "warm p95 ms", "cold p50 ms", "cold p95 ms"]),
        _row(["---"] * 13),
    ]
    for size in scale:
        lines.append(_row([size["chunks"], size["documents"], f"{size['build_seconds']:.0f}", f"{size['documents_per_second']:.1f}",
                           f"{size['upsert_points_per_second']:.0f}", "model" if size["real_embeddings"] else "pooled",
                           f"{size['build_peak_rss_mib']:.0f}", f"{size['index_mib']:.0f}",
                           f"{size.get('optimize_seconds', 0):.0f} ({size.get('longest_optimize_seconds', 0):.1f})", f"{size['warm_p50_ms']:.1f}",
                           f"{size['warm_p95_ms']:.1f}", f"{size['cold_p50_ms']:.0f}", f"{size['cold_p95_ms']:.0f}"]))
    lines += ["", "![build time and search latency against archive size](benchmarks.png)", ""]
    if len(scale) >= 2:
        xs = [s["chunks"] for s in scale]
        real = [s for s in scale if s["real_embeddings"]]
        per_chunk = ", ".join(f"{s['build_seconds'] / s['chunks'] * 1000:.1f}" for s in real)
        with_model = (f"build with the model b = {_slope([s['chunks'] for s in real], [s['build_seconds'] for s in real]):.2f} "
                      f"({per_chunk} ms per chunk at {', '.join(str(s['chunks']) for s in real)} chunks), " if len(real) >= 2 else "")
        writes = [s["chunks"] / s["upsert_points_per_second"] + s.get("optimize_seconds", 0) for s in scale]
        lines += [
            f"Growth (exponent b of cost ∝ chunks^b; 1 is linear): {with_model}index writes (upserts + optimize) "
            f"b = {_slope(xs, writes):.2f} between {xs[0]} and {xs[-1]} chunks, warm search p50 "
            f"b = {_slope(xs, [s['warm_p50_ms'] for s in scale]):.2f}, cold search b = {_slope(xs, [s['cold_p50_ms'] for s in scale]):.2f}. "
            "Sizes built with pooled embeddings (see the docstring of run_bench.py) leave the model out of their build time.",
            "",
        ]
    largest = scale[-1]
    quality = results.get("quality")
    speedup = emb["onnx-int8"]["per_second"] / torch_rate
    lines += ["## Targets (2 cores, no GPU)", "", _row(["target", "measured", ""]), _row(["---"] * 3)]
    lines.append(_row([f"cold `diarium search` < 1.5 s at {largest['chunks']} chunks", f"p50 {largest['cold_p50_ms']:.0f} ms, p95 {largest['cold_p95_ms']:.0f} ms",
                       _verdict(largest["cold_p95_ms"] < TARGETS["cold_ms"])]))
    lines.append(_row([f"warm query p95 < 50 ms at {largest['chunks']} chunks", f"{largest['warm_p95_ms']:.1f} ms", _verdict(largest["warm_p95_ms"] < TARGETS["warm_p95_ms"])]))
    lines.append(_row(["embedding ≥ 2× torch fp32 chunks/s", f"{speedup:.2f}× (CPU time {emb['onnx-int8']['per_cpu_second'] / emb['torch']['per_cpu_second']:.2f}×)",
                       _verdict(speedup >= TARGETS["embedding_speedup"])]))
    if quality:
        drops = {mode: quality[f"torch {mode}"] - quality[f"onnx-int8 {mode}"] for mode in ("hybrid", "dense")}
        lines.append(_row(["… at MRR@10 within 0.01 of torch", ", ".join(
            f"{mode} {quality[f'torch {mode}']:.3f} → {quality[f'onnx-int8 {mode}']:.3f}" for mode in drops),
            _verdict(all(abs(d) <= TARGETS["mrr_drop"] or d < 0 for d in drops.values()))]))
    two = ingest.get(2) or ingest.get("2")
    if two:
        lines.append(_row(["ingest uses both cores", f"{two['cores_used']:.2f} cores, {two['documents_per_minute']:.1f} documents/min", _verdict(two["cores_used"] > 1.3)]))
    pdf500 = results["pdf500"]
    lines.append(_row(["500-page PDF < 2 GiB RSS", f"{pdf500['peak_rss_mib']:.0f} MiB ({pdf500['pages']} pages in {pdf500['seconds']:.0f} s)",
                       _verdict(pdf500["peak_rss_mib"] < TARGETS["rss_mib"])]))
    biggest = max(scale, key=lambda s: s["documents"])
    lines.append(_row([f"{biggest['documents']} documents < 2 GiB RSS", f"{biggest['build_peak_rss_mib']:.0f} MiB", _verdict(biggest["build_peak_rss_mib"] < TARGETS["rss_mib"])]))
    if quality:
        lines += ["", "Retrieval quality per backend (tests/bench/backend_quality.py: the retrieval evaluation's queries and judging, "
                  "passage MRR@10, same processed documents):", "", _row(["backend", "hybrid", "dense"]), _row(["---"] * 3)]
        for backend in ("torch", "onnx", "onnx-int8"):
            lines.append(_row([backend, f"{quality[f'{backend} hybrid']:.3f}", f"{quality[f'{backend} dense']:.3f}"]))
    return "\n".join(lines) + "\n"


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = results["scale"]
    xs = [s["chunks"] for s in scale]
    figure, (build, search) = plt.subplots(1, 2, figsize=(10, 4))
    real = [s for s in scale if s["real_embeddings"]]
    pooled = [s for s in scale if not s["real_embeddings"]]
    rate = results["embedding"]["onnx-int8"]["per_second"]
    build.loglog([s["chunks"] for s in real], [s["build_seconds"] for s in real], "o-", label="build with the model (s)")
    if pooled:
        build.loglog([s["chunks"] for s in pooled], [s["build_seconds"] for s in pooled], "o", label="build with pooled vectors (s)")
        build.loglog([s["chunks"] for s in pooled], [s["build_seconds"] + s["chunks"] / rate for s in pooled], "x",
                     label="… plus the model at its chunks/s (s)")
    build.loglog(xs, [s["chunks"] / s["upsert_points_per_second"] + s.get("optimize_seconds", 0) for s in scale], "s-",
                 label="of which upserts + optimize (s)")
    build.loglog(xs, [xs[0] and scale[0]["build_seconds"] * x / xs[0] for x in xs], ":", color="grey", label="linear")
    build.set_xlabel("chunks")
    build.set_title("ingest cost")
    build.legend()
    for key, label in (("warm_p50_ms", "warm p50"), ("warm_p95_ms", "warm p95"), ("cold_p50_ms", "cold p50 (new process)")):
        search.loglog(xs, [s[key] for s in scale], "o-", label=label)
    search.set_xlabel("chunks")
    search.set_ylabel("ms")
    search.set_title("search latency")
    search.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
