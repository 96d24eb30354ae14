"""What the default path asks of a machine: from a fresh cache and an empty home, the
bundled model is made and embeds without torch, ONNX Runtime writes nothing under the
home (no telemetry device id in ~/.cache/Microsoft), and the cache holds only what the
default backend reads. A hub model that cannot be had fails at once, in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

FRESH_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
from index.embed.embedder import Embedder
embedder = Embedder()
query = embedder.embed_query("hur upptäcker man våld i hemmet")
passages = embedder.embed_passages(["Socialnämnden beslutar att anta planen."] * 6)
imported = sorted(name for name in ("torch", "transformers", "sentence_transformers") if name in sys.modules)
print(json.dumps({"dimension": int(query.shape[0]), "passages": len(passages), "variant": embedder._model.variant,
                  "imported": imported}))
"""

HUB_RUN = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from errors import ModelUnavailableError
from index.embed.embedder import Embedder
import sentence_transformers  # imported before the clock: on a loaded machine torch's import alone took 10 s
results = []
for allow_download in (True, False):
    started = time.perf_counter()
    try:
        Embedder("intfloat/multilingual-e5-small", backend="onnx-int8", allow_download=allow_download).dimension
        results.append({"error": None})
    except ModelUnavailableError as error:
        results.append({"error": str(error), "seconds": time.perf_counter() - started})
print(json.dumps(results))
"""


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("XDG_", "HF_", "DIARIUM_", "ORT_"))}
    return {**keep, "HOME": str(home), "DIARIUM_CACHE_DIR": str(tmp_path / "cache"), **extra}


def test_fresh_default_install_embeds_without_torch_and_writes_only_its_cache(tmp_path):
    env = _environment(tmp_path)
    result = subprocess.run([sys.executable, "-c", FRESH_RUN, str(ROOT)], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""  # no warnings on the way
    run = json.loads(result.stdout)
    assert (run["dimension"], run["passages"], run["imported"]) == (384, 6, [])

    assert list((tmp_path / "home").iterdir()) == []  # nothing under ~/.cache/Microsoft or anywhere else
    cache = tmp_path / "cache"
    files = {str(path.relative_to(cache)): path.stat().st_size for path in cache.rglob("*") if path.is_file()}
    model = "models/multilingual-e5-small/"
    assert [name for name in files if name.endswith((".onnx", ".safetensors"))] == [f"{model}onnx/model.{run['variant']}.onnx"]
    assert sum(files.values()) < 300 * 2**20, f"{sum(files.values()) / 2**20:.0f} MB"


def test_a_hub_model_that_cannot_be_had_fails_at_once_in_one_line(tmp_path):
    pytest.importorskip("sentence_transformers")
    # an empty Hugging Face cache, and a hub that refuses connections (nothing listens on port 9)
    env = _environment(tmp_path, HF_HOME=str(tmp_path / "hf"), HF_ENDPOINT="http://127.0.0.1:9")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", HUB_RUN, str(ROOT)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    unreachable, not_asked = json.loads(result.stdout)
    for outcome in (unreachable, not_asked):
        assert outcome["error"] and "\n" not in outcome["error"] and "intfloat/multilingual-e5-small" in outcome["error"]
        assert outcome["seconds"] < 10
    assert "cannot be reached" in unreachable["error"]
    assert "never downloaded" in not_asked["error"] and "--model" in not_asked["error"]
    assert time.perf_counter() - started < 120  # imports included; the hub client alone used to retry for 85 s
