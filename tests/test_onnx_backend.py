"""The ONNX embedding backends (index/embed/onnx_encoder.py) give the vectors of the
sentence-transformers model on torch: the int8 graph within cosine 0.997 of torch fp32
(the old unsigned, unsplit quantization reached only 0.991), the fp32 graph all but
identical, the same tokens, the variant the CPU calls for, and queries without torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from config import DEFAULT_MODEL
from conftest import swedish_paragraphs
from index.embed.embedder import Embedder, resolve_model_path
from index.embed.onnx_encoder import OnnxEncoder, _length_batches, export_dir, int8_pays, is_exported, model_file, variant_for

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


@pytest.mark.parametrize(("variant", "least"), [("int8", 0.997), ("fp32", 0.9999)])
def test_onnx_passages_agree_with_torch_fp32(variant, least, texts, torch_passages):
    encoder = OnnxEncoder(resolve_model_path(DEFAULT_MODEL), variant)
    vectors = encoder.encode(["passage: " + text for text in texts])
    assert vectors.shape == torch_passages.shape
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * torch_passages).sum(axis=1)
    assert cosines.min() >= least, f"lowest cosine {cosines.min():.4f} (text {int(cosines.argmin())})"


def test_default_backend_queries_agree_and_rank_like_torch(texts, torch_embedder, torch_passages):
    fast = Embedder(DEFAULT_MODEL, backend="onnx-int8")
    queries = [" ".join(text.split()[:8]) for text in texts[::10]]
    fast_passages = fast.embed_passages(texts)
    for query in queries:
        reference, vector = torch_embedder.embed_query(query), fast.embed_query(query)
        assert float(reference @ vector) >= 0.997
        # the same passage comes first, whichever backend encodes both sides
        assert int(np.argmax(torch_passages @ reference)) == int(np.argmax(fast_passages @ vector))


def test_one_call_for_many_documents_gives_each_text_its_own_vector(texts):
    """A call holding many texts of every length is sorted and batched inside; each vector
    is the one the text gets alone (up to the int8 activation scale, which is per batch)."""
    embedder = Embedder(DEFAULT_MODEL, backend="onnx")
    mixed = [texts[0][:40], *texts[:30], " ".join(texts[:8])]
    together = embedder.embed_passages(mixed)
    alone = np.stack([embedder.embed_passages([text])[0] for text in mixed])
    assert np.allclose(together, alone, atol=1e-5)


def test_batches_are_sorted_by_length_across_the_whole_call():
    lengths = [300, 12, 512, 40, 41, 12, 300, 90]
    batches = _length_batches(lengths, most_texts=3, most_tokens=512)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    flat = [lengths[i] for batch in batches for i in batch]
    assert flat == sorted(lengths)
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 512


def test_tokens_are_those_of_sentence_transformers(texts, torch_embedder):
    encoder = OnnxEncoder(resolve_model_path(DEFAULT_MODEL))
    long_text = " ".join(texts)  # far beyond 512 tokens: both truncate alike
    samples = ["query: Vad kostar skolskjutsen?", *("passage: " + text for text in texts[:20]), long_text]
    expected = torch_embedder._model.tokenizer(samples, truncation=True, max_length=512)["input_ids"]
    assert [encoding.ids for encoding in encoder.tokenizer.encode_batch(samples)] == expected
    assert len(expected[-1]) == 512


def test_the_cpu_decides_what_onnx_int8_runs():
    flags = set(Path("/proc/cpuinfo").read_text().split()) if Path("/proc/cpuinfo").exists() else set()
    vnni = bool(flags & {"avx512_vnni", "avx_vnni", "amx_int8", "asimddp"})
    assert int8_pays() == vnni
    assert variant_for("onnx-int8") == ("int8" if vnni else "fp32")
    assert variant_for("onnx") == "fp32"
    with pytest.raises(ValueError):
        variant_for("torch")


def test_export_is_cached_beside_the_model():
    model_dir = Path(resolve_model_path(DEFAULT_MODEL))
    OnnxEncoder(model_dir)
    variant = variant_for("onnx-int8")
    assert is_exported(model_dir, variant)
    assert export_dir(model_dir) == model_dir.resolve() / "onnx"
    assert model_file(model_dir, variant).parent == export_dir(model_dir)


def test_query_encoding_never_imports_torch():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from index.embed.embedder import Embedder;"
        "vector = Embedder(backend='onnx-int8').embed_query('hur upptäcker man våld i hemmet');"
        "print(vector.shape[0], *(name in sys.modules for name in ('torch', 'sentence_transformers', 'onnx', 'transformers')))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["384", "False", "False", "False", "False"]


def test_concurrent_batches_give_the_same_vectors_in_order(texts):
    """`threads` batches run at once (one thread each) and land in their texts' places."""
    model_dir = resolve_model_path(DEFAULT_MODEL)
    one, two = OnnxEncoder(model_dir, threads=1), OnnxEncoder(model_dir, threads=2)
    passages = ["passage: " + text for text in texts]
    alone = one.encode(passages, batch_size=4)
    together = two.encode(passages, batch_size=4)
    assert len(_length_batches([len(ids) for ids in two._token_ids(passages)], 4, 512)) > 2  # really several batches
    assert np.array_equal(alone, together)


def test_an_int8_vector_does_not_depend_on_the_texts_embedded_with_it(texts):
    """The int8 graph scales each call's activations as a whole; one text a call keeps a
    text's vector the same whatever else is embedded with it (ingest and reindex agree)."""
    encoder = OnnxEncoder(resolve_model_path(DEFAULT_MODEL), "int8")
    passages = ["passage: " + text for text in texts]
    together = encoder.encode(passages)
    alone = np.stack([encoder.encode([passage])[0] for passage in passages[:6]])
    assert np.array_equal(together[:6], alone)
