"""ONNX files of any other local sentence-transformers model, exported once with torch.

The bundled model's graph is written from its weights (index/embed/bert_graph.py); a
model a user names (`--model PATH`, a Transformer + Pooling (+ Normalize) directory)
goes through torch's ONNX exporter instead, with the model's pooling inside the graph,
is fused by ONNX Runtime's transformer optimizer (attention, skip-LayerNorm, GELU) and,
for the int8 variant, quantized dynamically: signed int8 weights, one scale per output
channel, the kernels VNNI and AMX run (unsigned weights take ONNX Runtime's u8×u8
kernel, which measured no faster than fp32). This needs the `torch` extra
(`pip install 'diarium[torch]'`); without torch the model is left to
sentence-transformers, which says what to install. The exporters' warnings about
tracing are expected and silenced.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

from index.embed.onnx_encoder import UnsupportedModelError

OPSET = 17
_SUPPORTED_MODULES = (
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
)


def pooling_mode(model_dir: Path) -> str:
    """`mean` or `cls`: the pooling the model's sentence-transformers config asks for;
    UnsupportedModelError for a model this module cannot export, or without torch."""
    if importlib.util.find_spec("torch") is None:
        raise UnsupportedModelError(f"{model_dir}: exporting it to ONNX needs torch")
    modules = _read_json(model_dir / "modules.json")
    if not modules or any(module["type"] not in _SUPPORTED_MODULES for module in modules):
        raise UnsupportedModelError(f"{model_dir}: only Transformer + Pooling (+ Normalize) models export to ONNX")
    pooling = next(module for module in modules if module["type"].endswith(".Pooling"))
    config = _read_json(model_dir / pooling["path"] / "config.json") or {}
    if config.get("pooling_mode_mean_tokens"):
        return "mean"
    if config.get("pooling_mode_cls_token"):
        return "cls"
    raise UnsupportedModelError(f"{model_dir}: pooling {config} has no ONNX export here")


def source_marker(model_dir: Path) -> dict:
    """What an export is made from: the model's weight files, by name, size and time."""
    weights = sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("*.bin"))
    return {"weights": [[path.name, path.stat().st_size, int(path.stat().st_mtime)] for path in weights]}


def export(model_dir: Path, variant: str, target: Path) -> None:
    """Write `variant` (`fp32` or `int8`) of the model to `target`."""
    mode = pooling_mode(model_dir)
    with tempfile.TemporaryDirectory(prefix=".export.", dir=target.parent) as folder, _quiet():
        raw, fused = Path(folder) / "raw.onnx", Path(folder) / "fused.onnx"
        config = _export_graph(model_dir, mode, raw)
        _optimize(raw, fused if variant == "int8" else target, config)
        if variant == "int8":
            _quantize(fused, target)


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
        weight_type=QuantType.QInt8,
        per_channel=True,
        # the fused ops (Attention, SkipLayerNormalization) are outside ONNX's type inference
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


@contextmanager
def _quiet():
    """No tracer, exporter or quantizer warnings and no loading bars: they describe the
    export, not a fault."""
    from transformers.utils import logging as transformers_logging

    loggers = [logging.getLogger(name) for name in ("transformers", "onnxruntime", "root", "torch.onnx")]
    levels = [logger.level for logger in loggers]
    bars = transformers_logging.is_progress_bar_enabled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        transformers_logging.disable_progress_bar()
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)
            if bars:
                transformers_logging.enable_progress_bar()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
