"""The Swedish names the interface gives diarium's internal labels (sections, entity
kinds, facets, search modes, the parts of a matter), read once from web/labels.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LABELS_FILE = Path(__file__).with_name("labels.toml")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return tomllib.loads(LABELS_FILE.read_text(encoding="utf-8"))


def swedish_name(kind: str, label: str) -> str:
    """The name shown for `label` of `kind` (`sections`, `entities`, `facets`, `modes`,
    `matter_fields`); the label itself when it has none."""
    return _labels()[kind].get(label, label)


def names(kind: str) -> dict[str, str]:
    return dict(_labels()[kind])
