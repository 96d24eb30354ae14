"""A fast embedding backend: the sentence-transformers model run by ONNX Runtime, int8.

`ensure_exported(model_dir)` exports a local sentence-transformers model once (torch's
ONNX exporter, with the model's pooling inside the graph), fuses it with ONNX Runtime's
transformer optimizer (attention, skip-LayerNorm, GELU) and quantizes its weights to
8 bits (dynamic quantization: per output channel, unsigned, activations quantized per
call). Both files are cached beside the model (`<model dir>/onnx/`, or under the cache
directory for models that live elsewhere) with a marker saying what they were made from,
so the export runs once; `python -m index.embed.onnx_encoder MODEL_DIR` does it ahead of time.

`OnnxEncoder` then encodes with nothing but onnxruntime, `tokenizers` and numpy — no
torch import, which alone costs more than a cold `diarium search` may take. It offers
the part of `SentenceTransformer`'s interface that `index.embed.embedder.Embedder` uses
(`encode`, `prompts`, `get_embedding_dimension`) and tokenizes exactly as the model's
sentence-transformers pipeline does (its own tokenizer.json, truncated at its
max_seq_length). Texts are encoded in batches of similar length so little is padded.
A query (a few texts) is tokenized by index/embed/tokenizer.py when the model's tokenizer is a
SentencePiece Unigram one: the full tokenizer loads only when passages are embedded.

Unsigned 8-bit weights are used because on CPUs without VNNI (AVX2) ONNX Runtime's
signed-weight kernel can saturate its 16-bit intermediate sums, which costs accuracy;
tests/test_onnx_backend.py holds the int8 vectors to cosine ≥ 0.99 of torch fp32's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from functools import cached_property
from pathlib import Path

import numpy as np

from config import available_cores, cache_dir

EXPORT_REVISION = 1  # bump when the exported graph changes, to re-export caches
MARKER_FILE = "export.json"
FP32_FILE = "model.onnx"
INT8_FILE = "model.quint8.onnx"
FILES = {"onnx": FP32_FILE, "onnx-int8": INT8_FILE}
OPSET = 17
# Up to this many texts (a query) are tokenized by index/embed/tokenizer.py, which loads in 0.02 s
# where the full XLM-R tokenizer takes 0.8 s; longer lists load the full tokenizer.
QUICK_TOKENIZER_TEXTS = 4
NOT_UNIGRAM_MARK = "tokenizer.not-unigram"
_SUPPORTED_MODULES = (
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
)


class UnsupportedModelError(ValueError):
    """The model is not a local Transformer + Pooling (+ Normalize) sentence-transformers directory."""


# ----------------------------------------------------------------------------- the model directory


def _read_json(path: Path, default=None):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def pooling_mode(model_dir: Path) -> str:
    """`mean` or `cls`: the pooling the model's sentence-transformers config asks for."""
    modules = _read_json(model_dir / "modules.json")
    if not modules or any(module["type"] not in _SUPPORTED_MODULES for module in modules):
        raise UnsupportedModelError(f"{model_dir}: only Transformer + Pooling (+ Normalize) models export to ONNX")
    pooling = next(module for module in modules if module["type"].endswith(".Pooling"))
    config = _read_json(model_dir / pooling["path"] / "config.json", {})
    if config.get("pooling_mode_mean_tokens"):
        return "mean"
    if config.get("pooling_mode_cls_token"):
        return "cls"
    raise UnsupportedModelError(f"{model_dir}: pooling {config} has no ONNX export here")


def export_dir(model_dir: Path) -> Path:
    """Where the ONNX files of a model live: beside it when it is in diarium's cache."""
    model_dir = Path(model_dir).resolve()
    if model_dir.is_relative_to(cache_dir().resolve()):
        return model_dir / "onnx"
    digest = hashlib.sha1(str(model_dir).encode()).hexdigest()[:12]
    return cache_dir() / "onnx" / f"{model_dir.name}-{digest}"


def _marker(model_dir: Path) -> dict:
    import onnxruntime

    weights = sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("*.bin"))
    return {
        "revision": EXPORT_REVISION,
        "onnxruntime": onnxruntime.__version__,
        "weights": [[path.name, path.stat().st_size, int(path.stat().st_mtime)] for path in weights],
    }


def is_exported(model_dir: Path) -> bool:
    target = export_dir(model_dir)
    return _read_json(target / MARKER_FILE) == _marker(Path(model_dir).resolve()) and all(
        (target / name).exists() for name in FILES.values()
    )


# ----------------------------------------------------------------------------- exporting


def ensure_exported(model_dir: str | Path) -> Path:
    """Export, optimize and quantize the model unless done already; return the ONNX directory.

    Written into a temporary sibling and renamed into place, so the directory is either
    absent, a complete earlier export, or this one."""
    model_dir = Path(model_dir).resolve()
    target = export_dir(model_dir)
    if is_exported(model_dir):
        return target
    mode = pooling_mode(model_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        raw = staging / "raw.onnx"
        config = _export_graph(model_dir, mode, raw)
        _optimize(raw, staging / FP32_FILE, config)
        raw.unlink()
        _quantize(staging / FP32_FILE, staging / INT8_FILE)
        (staging / MARKER_FILE).write_text(json.dumps(_marker(model_dir), indent=2) + "\n", encoding="utf-8")
        staging.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _export_graph(model_dir: Path, mode: str, path: Path) -> dict:
    """The transformer plus pooling as one ONNX graph: (input_ids, attention_mask) → sentence vector."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            tokens = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            if mode == "cls":
                return tokens[:, 0]
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            return (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    example = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            Pooled(),
            (example, example),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    return model.config.to_dict()


def _optimize(source: Path, target: Path, config: dict) -> None:
    from onnxruntime.transformers.optimizer import optimize_model

    optimized = optimize_model(
        str(source), model_type="bert", num_heads=config["num_attention_heads"], hidden_size=config["hidden_size"]
    )
    optimized.save_model_to_file(str(target))


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QUInt8,
        per_channel=True,
        # the fused ops (Attention, SkipLayerNormalization) are outside ONNX's type inference
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


# ----------------------------------------------------------------------------- encoding


class OnnxEncoder:
    """Sentence vectors from an exported model with onnxruntime and `tokenizers` only."""

    def __init__(self, model_dir: str | Path, backend: str = "onnx-int8", threads: int | None = None):
        import onnxruntime as ort

        if backend not in FILES:
            raise ValueError(f"unknown ONNX backend {backend!r}; use one of {', '.join(FILES)}")
        model_dir = Path(model_dir)
        onnx_dir = ensure_exported(model_dir)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        # the graph is fused offline; without spinning, idle threads leave the cores to the PDF parsers
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_dir / FILES[backend]), options, providers=["CPUExecutionProvider"])
        self._model_dir = model_dir
        self._max_length = (_read_json(model_dir / "sentence_bert_config.json", {}) or {}).get("max_seq_length", 512)
        self._quick = _quick_tokenizer(model_dir, onnx_dir, self._max_length)
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
        """Vectors for `texts` in their order; batches are formed from texts of similar token length."""
        token_ids = self._token_ids(list(texts))
        order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
        vectors = np.zeros((len(token_ids), self._dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            vectors[batch] = self._run([token_ids[i] for i in batch])
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
    if len(argv) != 1:
        print("usage: python -m index.embed.onnx_encoder MODEL_DIR", file=sys.stderr)
        return 2
    model_dir = Path(argv[0]).resolve()
    onnx_dir = ensure_exported(model_dir)
    _quick_tokenizer(model_dir, onnx_dir, 512)
    print(onnx_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
