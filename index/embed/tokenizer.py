"""Short texts (search queries) tokenized without loading the model's full tokenizer.

XLM-R's tokenizer (multilingual E5 and many other multilingual models) is a SentencePiece
Unigram model of 250,000 pieces. `tokenizers` needs 0.8 s to build it from
tokenizer.json, most of what a cold `diarium search` may take, while a query has a dozen
tokens. So the pieces are compiled once into a memory-mapped trie (with their ids and
scores) beside the ONNX files, and the rest of the tokenizer (normalizer, pre-tokenizer,
special tokens) into a small `tokenizers` file without the vocabulary. `UnigramTokenizer`
then finds the best segmentation itself, exactly as `tokenizers`' Unigram model does
(Viterbi over the pieces; a character no piece covers is `<unk>`, scored the lowest
piece score minus 10; neighbouring unknowns fuse into one `<unk>`).
tests/test_unigram.py holds it to the full tokenizer's ids on the evaluation texts.

Only plain Unigram tokenizers qualify (no byte fallback, a template of special tokens
around the text); for any other `build` returns False and callers use `tokenizers`.
"""

from __future__ import annotations

import json
from pathlib import Path

import marisa_trie

SHELL_FILE = "tokenizer.shell.json"  # the tokenizer without its vocabulary (normalizer, pre-tokenizer)
PIECES_FILE = "tokenizer.pieces.marisa"
SETTINGS_FILE = "tokenizer.unigram.json"  # unknown id and score, special tokens
FILES = (PIECES_FILE, SHELL_FILE, SETTINGS_FILE)  # in the order they are installed
UNKNOWN_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY
_RECORD = "<id"  # piece id (int32), score (float64)


def build(tokenizer_json: Path, target: Path) -> bool:
    """Compile `tokenizer_json` into the FILES in `target`; False (and nothing written) if
    it is not a tokenizer this module reproduces."""
    config = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = config.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return False
    template = _template(config)
    if template is None:
        return False
    vocab = model["vocab"]
    special = config["post_processor"]["special_tokens"]
    before, after = template
    settings = {
        "unk_id": model["unk_id"],
        "unknown_score": min(score for _, score in vocab) - UNKNOWN_PENALTY,
        "before": [i for name in before for i in special[name]["ids"]],
        "after": [i for name in after for i in special[name]["ids"]],
        "added": [token["content"] for token in config.get("added_tokens", [])],
    }
    shell = dict(config, model={**model, "vocab": [vocab[model["unk_id"]]], "unk_id": 0}, truncation=None, padding=None)
    trie = marisa_trie.RecordTrie(_RECORD, ((piece, (i, float(score))) for i, (piece, score) in enumerate(vocab)))
    target.mkdir(parents=True, exist_ok=True)
    trie.save(str(target / PIECES_FILE))
    (target / SHELL_FILE).write_text(json.dumps(shell, ensure_ascii=False), encoding="utf-8")
    (target / SETTINGS_FILE).write_text(json.dumps(settings, indent=1), encoding="utf-8")
    return True


def _template(config: dict) -> tuple[list[str], list[str]] | None:
    """The special tokens before and after the text in a single-sequence encoding."""
    processor = config.get("post_processor") or {}
    if processor.get("type") != "TemplateProcessing":
        return None
    before: list[str] = []
    after: list[str] = []
    seen_text = False
    for item in processor["single"]:
        if "Sequence" in item:
            if seen_text:
                return None
            seen_text = True
        elif "SpecialToken" in item:
            (after if seen_text else before).append(item["SpecialToken"]["id"])
        else:
            return None
    return (before, after) if seen_text else None


class UnigramTokenizer:
    def __init__(self, directory: Path, max_length: int):
        from tokenizers import Tokenizer

        shell = Tokenizer.from_file(str(directory / SHELL_FILE))
        settings = json.loads((directory / SETTINGS_FILE).read_text(encoding="utf-8"))
        self._normalizer = shell.normalizer
        self._pre_tokenizer = shell.pre_tokenizer
        self._pieces = marisa_trie.RecordTrie(_RECORD).mmap(str(directory / PIECES_FILE))
        self._unk_id = settings["unk_id"]
        self._unknown_score = settings["unknown_score"]
        self._before, self._after, self._added = settings["before"], settings["after"], settings["added"]
        self._max_length = max_length

    @classmethod
    def load(cls, directory: Path, max_length: int) -> UnigramTokenizer | None:
        if not all((directory / name).exists() for name in FILES):
            return None
        return cls(directory, max_length)

    def encode(self, text: str) -> list[int] | None:
        """Token ids with the special tokens, truncated to the model's length; None for a
        text holding an added token (`<mask>`), which only the full tokenizer splits off."""
        if any(token in text for token in self._added):
            return None
        normalized = self._normalizer.normalize_str(text) if self._normalizer else text
        words = self._pre_tokenizer.pre_tokenize_str(normalized) if self._pre_tokenizer else [(normalized, None)]
        ids = [token for word, _ in words for token in self._segment(word)]
        room = max(0, self._max_length - len(self._before) - len(self._after))
        return self._before + ids[:room] + self._after

    def _segment(self, word: str) -> list[int]:
        """The highest-scoring segmentation of `word` into pieces (ties: the earlier start)."""
        if not word:
            return []
        size = len(word)
        best = [-float("inf")] * (size + 1)
        start_of = [-1] * (size + 1)
        token_of = [0] * (size + 1)
        best[0] = 0.0
        for start in range(size):  # every position is reached: each character has a piece or <unk>
            here = best[start]
            single = False
            for piece in self._pieces.prefixes(word[start:]):
                (token, score), = self._pieces[piece]
                end = start + len(piece)
                if start_of[end] < 0 or here + score > best[end]:
                    best[end], start_of[end], token_of[end] = here + score, start, token
                single = single or len(piece) == 1
            if not single:
                end = start + 1
                if start_of[end] < 0 or here + self._unknown_score > best[end]:
                    best[end], start_of[end], token_of[end] = here + self._unknown_score, start, self._unk_id
        pieces: list[str] = []
        unknown: list[str] = []
        end = size
        while end > 0:
            start = start_of[end]
            if token_of[end] == self._unk_id:
                unknown.append(word[start:end])
            else:
                if unknown:
                    pieces.append("".join(reversed(unknown)))
                    unknown = []
                pieces.append(word[start:end])
            end = start
        if unknown:
            pieces.append("".join(reversed(unknown)))
        return [self._id(piece) for piece in reversed(pieces)]

    def _id(self, piece: str) -> int:
        found = self._pieces.get(piece)
        return found[0][0] if found else self._unk_id
