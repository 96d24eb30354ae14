"""Compile the Swedish lexicon into one marisa trie, cached beside the other derived
artefacts (`config.cache_dir()/lexicon-<key>/forms.marisa`).

Sources: every form of hunspell-sv with its compound roles (lexicon/hunspell.py),
wordfreq's large Swedish list for frequencies (zipf), and its large English list, which
marks the words that are English rather than Swedish (ENGLISH: restoration must leave
English phrases alone, `Fit for 55` is not `för`). The trie is keyed by the folded
spelling (see `swedish.fold.fold_word`), so that one look-up finds every diacritic variant of a
word; each value packs role bits, the zipf frequency and the real spelling. Building
takes about half a minute once; loading the cached trie is a memory map (milliseconds).
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import marisa_trie

from config import cache_dir
from lexicon import hunspell
from lexicon.entries import (
    BEGIN,
    END,
    ENGLISH,
    ENGLISH_MARGIN,
    ENGLISH_ZIPF,
    FREQUENT,
    FREQUENT_ZIPF,
    HUNSPELL_WORD,
    LISTED,
    MIDDLE,
    pack,
)
from swedish.fold import fold_word

BUILD_VERSION = "2"  # bump when the packing or the sources' treatment changes
_ALPHABETIC = re.compile(r"^[^\W\d_]+$")


def _source_files() -> list[Path]:
    """The data the trie is compiled from (found without importing wordfreq, which is slow)."""
    wordfreq = Path(importlib.util.find_spec("wordfreq").origin).parent / "data"
    dictionary = hunspell.dictionary_path()
    lists = [wordfreq / "large_sv.msgpack.gz", wordfreq / "large_en.msgpack.gz"]
    return [dictionary.with_suffix(".dic"), dictionary.with_suffix(".aff"), *lists]


def cache_key() -> str:
    """Changes whenever the sources or this builder change."""
    files = [*_source_files(), Path(marisa_trie.__file__)]
    parts = [BUILD_VERSION] + [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def trie_path() -> Path:
    return cache_dir() / f"lexicon-{cache_key()}" / "forms.marisa"


def _wordfreq_zipfs(language: str = "sv") -> dict[str, float]:
    from wordfreq import get_frequency_dict, zipf_frequency

    return {word: zipf_frequency(word, language) for word in get_frequency_dict(language, "large") if _ALPHABETIC.match(word)}


def _english_words(swedish: dict[str, float]) -> list[str]:
    from wordfreq import get_frequency_dict

    words = []
    for word, frequency in get_frequency_dict("en", "large").items():
        zipf = math.log10(frequency) + 9 if frequency > 0 else 0.0
        if zipf < ENGLISH_ZIPF:
            break  # the list is ordered by frequency
        if _ALPHABETIC.match(word) and zipf >= swedish.get(word, 0.0) + ENGLISH_MARGIN:
            words.append(word)
    return words


def build(path: Path) -> None:
    zipfs = _wordfreq_zipfs()
    roles: dict[tuple[str, str], int] = {}  # (folded, word) -> role bits
    zipf: dict[tuple[str, str], float] = {}
    by_lower: dict[str, tuple[str, str]] = {}

    for form in hunspell.expand():
        key = (fold_word(form.word), form.word)
        bits = (HUNSPELL_WORD if form.standalone else 0) | (BEGIN if form.begin else 0)
        bits |= (MIDDLE if form.middle else 0) | (END if form.end else 0)
        roles[key] = roles.get(key, 0) | bits
        # a linking form (`omsorgs`) is as common as its stem (`omsorg`)
        zipf[key] = max(zipf.get(key, 0.0), zipfs.get(form.word.lower(), 0.0), zipfs.get(form.stem.lower(), 0.0) if not form.standalone else 0.0)
        if key[1].islower() or key[1].lower() not in by_lower:
            by_lower[key[1].lower()] = key
    for word, frequency in zipfs.items():
        key = by_lower.get(word, (fold_word(word), word))
        roles[key] = roles.get(key, 0) | LISTED | (FREQUENT if frequency >= FREQUENT_ZIPF else 0)
        zipf[key] = max(zipf.get(key, 0.0), frequency)
    for word in _english_words(zipfs):
        key = by_lower.get(word, (fold_word(word), word))
        roles[key] = roles.get(key, 0) | ENGLISH
        zipf.setdefault(key, 0.0)

    trie = marisa_trie.BytesTrie((folded, pack(word, bits, zipf[folded, word])) for (folded, word), bits in roles.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        trie.save(tmp.name)
    os.replace(tmp.name, path)  # atomic: a concurrent reader never sees half a file


def ensure_built() -> Path:
    path = trie_path()
    if not path.exists():
        build(path)
        for stale in path.parent.parent.glob("lexicon-*"):
            if stale != path.parent:
                shutil.rmtree(stale, ignore_errors=True)
    return path

