"""Helpers shared by the extraction tests: the seed documents processed through the real
pipeline (once per test session) and their hand-written gold from data/eval/extraction/."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "data" / "eval" / "extraction"
SEED_NAMES = ["000_e471bd5f586b4bcc", "001_d53aa83d5c3b45b6", "002_95c716d96d135b8b", "003_db53f24a16d4a028", "004_61e8cf0e9fc550b1"]


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def seed_variants() -> list[tuple[str, str]]:
    """(seed name, variant) for every seed PDF: `digital`, and `ocr` where there is one."""
    return [(name, variant) for name in SEED_NAMES for variant, path in gold(name)["files"].items() if path]


@lru_cache(maxsize=None)
def processed(name: str, variant: str, reocr: str = "never"):
    from pipeline.process import process_file

    return process_file(ROOT / gold(name)["files"][variant], reocr=reocr)


def _load_extraction_eval():
    """tests/eval/extraction_eval.py as a module (tests/eval is not a package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "tests" / "eval" / "extraction_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = module
    spec.loader.exec_module(module)
    return module


extraction_eval = _load_extraction_eval()
