"""The query tokenizer (index/embed/tokenizer.py) gives exactly the ids of the model's full
`tokenizers` tokenizer, so a query embedded through it is the query embedded before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import DEFAULT_MODEL
from conftest import swedish_paragraphs
from index.embed import tokenizer as unigram
from index.embed.embedder import resolve_model_path
from index.embed.onnx_encoder import OnnxEncoder, export_dir

pytestmark = pytest.mark.slow

HARD_CASES = [
    "query: Vad kostar skolskjutsen?",
    "query: vald 1 néra relation &dgare 6kad",  # OCR damage: digits and stray accents inside words
    "query:   många   mellanslag\toch\nrader ",
    "query: ＦＵＬＬＷＩＤＴＨ ﬁ ligatur ½",  # NFKC-mapped by the normalizer
    "query: 漢字 ⸻ 𓀀 emoji 🙂 och okända tecken ꙮꙮꙮ",  # pieces missing: <unk>, neighbours fused
    "",
    "query: KS 2023/553, SON 2021-459, 0934/21, lag (1976:580)",
]


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder(resolve_model_path(DEFAULT_MODEL))


@pytest.fixture(scope="module")
def quick(encoder) -> unigram.UnigramTokenizer:
    onnx_dir = export_dir(Path(resolve_model_path(DEFAULT_MODEL)))
    tokenizer = unigram.UnigramTokenizer.load(onnx_dir, 512)
    assert tokenizer is not None, "the ONNX export should carry the compiled query tokenizer"
    return tokenizer


def full_ids(encoder: OnnxEncoder, texts: list[str]) -> list[list[int]]:
    return [encoding.ids for encoding in encoder.tokenizer.encode_batch(texts)]


def test_ids_equal_the_full_tokenizer_on_swedish_paragraphs(encoder, quick):
    texts = ["passage: " + text for text in swedish_paragraphs(300)]
    assert [quick.encode(text) for text in texts] == full_ids(encoder, texts)


def test_ids_equal_the_full_tokenizer_on_hard_cases(encoder, quick):
    assert [quick.encode(text) for text in HARD_CASES] == full_ids(encoder, HARD_CASES)


def test_truncation_matches(encoder, quick):
    long_text = " ".join(swedish_paragraphs(40))
    ids = quick.encode(long_text)
    assert len(ids) == 512
    assert ids == full_ids(encoder, [long_text])[0]


def test_added_tokens_are_left_to_the_full_tokenizer(encoder, quick):
    assert quick.encode("query: en <mask> här") is None
    # the encoder falls back to the full tokenizer for such a text
    assert encoder._token_ids(["query: en <mask> här"]) == full_ids(encoder, ["query: en <mask> här"])


def test_queries_do_not_load_the_full_tokenizer(encoder):
    fresh = OnnxEncoder(resolve_model_path(DEFAULT_MODEL))
    fresh.encode(["query: hur upptäcker man våld i hemmet"])
    assert "tokenizer" not in fresh.__dict__  # the cached_property was never filled
    fresh.encode(["passage: a"] * (5))
    assert "tokenizer" in fresh.__dict__


def test_other_tokenizers_are_refused(tmp_path):
    config = json.loads((Path(resolve_model_path(DEFAULT_MODEL)) / "tokenizer.json").read_text(encoding="utf-8"))
    config["model"] = {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}
    (tmp_path / "tokenizer.json").write_text(json.dumps(config), encoding="utf-8")
    assert unigram.build(tmp_path / "tokenizer.json", tmp_path / "out") is False
    assert not (tmp_path / "out").exists()
