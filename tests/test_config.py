"""Settings resolve as the README's configuration table says: an option beats the
environment, which beats the config file, which beats the default; bad values fail at
once with the accepted ones named."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Limits, Settings
from errors import UsageError

# setting → (environment variable, a value for the environment, another for the option, the default)
TABLE = {
    "data_dir": ("DIARIUM_DATA_DIR", "/tmp/from-env", "/tmp/from-option", None),
    "model": ("DIARIUM_MODEL", "env/model", "option/model", None),
    "qdrant_url": ("DIARIUM_QDRANT_URL", "http://env:6333", "http://option:6333", None),
    "reocr": ("DIARIUM_REOCR", "never", "always", "auto"),
    "embedding_backend": ("DIARIUM_EMBEDDING_BACKEND", "onnx", "torch", "onnx-int8"),
    "collection": ("DIARIUM_COLLECTION", "from-env", "from-option", "diarium"),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for variable, *_ in TABLE.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DIARIUM_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def _value(settings: Settings, name: str):
    value = getattr(settings, name)
    return str(value) if isinstance(value, Path) else value


@pytest.mark.parametrize("name", TABLE)
def test_option_beats_environment_beats_file_beats_default(name, monkeypatch, tmp_path):
    variable, from_env, from_option, default = TABLE[name]
    resolved_default = _value(Settings.resolve(), name)
    if default is not None:
        assert resolved_default == default
    config = tmp_path / "config.toml"
    from_file = {"reocr": "always", "embedding_backend": "torch", "data_dir": "/tmp/from-file"}.get(name, "from-file")
    config.write_text(f'{name} = "{from_file}"\n', encoding="utf-8")
    monkeypatch.setenv("DIARIUM_CONFIG", str(config))
    assert _value(Settings.resolve(), name) == from_file
    monkeypatch.setenv(variable, from_env)
    assert _value(Settings.resolve(), name) == from_env
    assert _value(Settings.resolve(**{name: from_option}), name) == from_option


def test_default_data_dir_follows_xdg(tmp_path):
    assert Settings.resolve().data_dir == tmp_path / "xdg" / "diarium"


@pytest.mark.parametrize(("name", "value", "accepted"), [("reocr", "sometimes", "auto, always, never"), ("embedding_backend", "gpu", "onnx-int8, onnx, torch")])
def test_bad_choices_fail_at_once_naming_the_accepted_values(name, value, accepted, monkeypatch):
    with pytest.raises(UsageError, match=accepted):
        Settings.resolve(**{name: value})
    monkeypatch.setenv(TABLE[name][0], value)
    with pytest.raises(UsageError, match=accepted):
        Settings.resolve()


def test_config_file_limits_and_unknown_keys(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("DIARIUM_CONFIG", str(config))
    config.write_text("[limits]\nmax_pages = 10\n", encoding="utf-8")
    assert Settings.resolve().limits == Limits(max_pages=10)
    config.write_text('reocr_policy = "never"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown settings reocr_policy"):
        Settings.resolve()
    config.write_text("reocr = \n", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read config file"):
        Settings.resolve()


def test_boolean_settings_accept_words_and_refuse_others(monkeypatch):
    monkeypatch.setenv("DIARIUM_FOLLOW_SYMLINKS", "yes")
    assert Settings.resolve().follow_symlinks is True
    monkeypatch.setenv("DIARIUM_FOLLOW_SYMLINKS", "perhaps")
    with pytest.raises(UsageError, match="true or false"):
        Settings.resolve()
