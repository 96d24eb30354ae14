"""The ONNX embedding backend (index/embed/onnx_encoder.py) gives the vectors of the
sentence-transformers model it was exported from: int8 within cosine 0.99 of torch fp32,
fp32 ONNX all but identical, the same tokens, and queries encoded without torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from config import DEFAULT_MODEL
from conftest import swedish_paragraphs
from index.embed.embedder import Embedder, resolve_model_path
from index.embed.onnx_encoder import OnnxEncoder, export_dir, is_exported

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return swedish_paragraphs()


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(DEFAULT_MODEL, backend="torch")


@pytest.fixture(scope="module")
def torch_passages(torch_embedder, texts) -> np.ndarray:
    return torch_embedder.embed_passages(texts)


@pytest.mark.parametrize(("backend", "least"), [("onnx-int8", 0.99), ("onnx", 0.9999)])
def test_onnx_passages_agree_with_torch_fp32(backend, least, texts, torch_passages):
    vectors = Embedder(DEFAULT_MODEL, backend=backend).embed_passages(texts)
    assert vectors.shape == torch_passages.shape
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * torch_passages).sum(axis=1)
    assert cosines.min() >= least, f"lowest cosine {cosines.min():.4f} (text {int(cosines.argmin())})"


def test_int8_queries_agree_and_rank_like_torch(texts, torch_embedder, torch_passages):
    fast = Embedder(DEFAULT_MODEL, backend="onnx-int8")
    queries = [" ".join(text.split()[:8]) for text in texts[::10]]
    fast_passages = fast.embed_passages(texts)
    for query in queries:
        reference, vector = torch_embedder.embed_query(query), fast.embed_query(query)
        assert float(reference @ vector) >= 0.99
        # the same passage comes first, whichever backend encodes both sides
        assert int(np.argmax(torch_passages @ reference)) == int(np.argmax(fast_passages @ vector))


def test_tokens_are_those_of_sentence_transformers(texts, torch_embedder):
    encoder = OnnxEncoder(resolve_model_path(DEFAULT_MODEL))
    long_text = " ".join(texts)  # far beyond 512 tokens: both truncate alike
    samples = ["query: Vad kostar skolskjutsen?", *("passage: " + text for text in texts[:20]), long_text]
    expected = torch_embedder._model.tokenizer(samples, truncation=True, max_length=512)["input_ids"]
    assert [encoding.ids for encoding in encoder.tokenizer.encode_batch(samples)] == expected
    assert len(expected[-1]) == 512


def test_export_is_cached_beside_the_model():
    model_dir = Path(resolve_model_path(DEFAULT_MODEL))
    assert is_exported(model_dir)
    assert export_dir(model_dir) == model_dir.resolve() / "onnx"


def test_query_encoding_never_imports_torch():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from index.embed.embedder import Embedder;"
        "vector = Embedder(backend='onnx-int8').embed_query('hur upptäcker man våld i hemmet');"
        "print(vector.shape[0], 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["384", "False", "False"]
