"""Expand the hunspell-sv dictionary (`sv_SE.dic` + `.aff`, from the `hunspell-sv` PyPI
package) into word forms with their compound roles.

Hunspell-sv builds Swedish compounds from flagged parts: COMPOUNDBEGIN (`X`) may start a
compound, COMPOUNDMIDDLE (`U`) stand inside one, COMPOUNDEND (`Y`) end one, and
ONLYINCOMPOUND (`Z`) forms such as the linking `omsorgs-` exist only inside compounds.
Suffix rules carry those flags on to the forms they make (`omsorg` + `s`/WXZ is a
begin form). This module reads the two files directly (one level of suffixes, which is
all hunspell-sv uses) so that the lexicon can be compiled once into fast tries, instead
of asking a hunspell implementation per word at run time (spylls takes 25–75 ms a compound).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

BEGIN, MIDDLE, END, ONLY_IN_COMPOUND, NEEDS_AFFIX, FORBIDDEN = "X", "U", "Y", "Z", "¤", "%"


@dataclass(frozen=True)
class Suffix:
    strip: str
    add: str
    flags: str  # continuation flags of the form it makes
    condition: re.Pattern


@dataclass(frozen=True)
class Form:
    word: str
    stem: str
    standalone: bool  # a word on its own (not only inside compounds)
    begin: bool
    middle: bool
    end: bool


def dictionary_path() -> Path:
    """`share/hunspell/sv_SE` of the running Python environment (without extension)."""
    for prefix in (sys.prefix, sys.base_prefix, "/usr/local", "/usr"):
        path = Path(prefix) / "share" / "hunspell" / "sv_SE"
        if path.with_suffix(".dic").exists() and path.with_suffix(".aff").exists():
            return path
    raise FileNotFoundError("hunspell-sv is not installed (pip install hunspell-sv)")


def read_suffixes(aff: Path) -> dict[str, list[Suffix]]:
    suffixes: dict[str, list[Suffix]] = {}
    for line in aff.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, condition = parts[1], parts[2], parts[3], parts[4]
        add, _, flags = add.partition("/")
        suffixes.setdefault(flag, []).append(
            Suffix(
                strip="" if strip == "0" else strip,
                add="" if add == "0" else add,
                flags=flags,
                condition=re.compile(f"(?:{condition})$"),
            )
        )
    return suffixes


def read_entries(dic: Path) -> list[tuple[str, str]]:
    """(word, flags) per dictionary line; multi-word entries are skipped."""
    entries = []
    lines = dic.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        line = line.strip()
        if not line or " " in line or "\t" in line:
            continue
        word, _, flags = line.partition("/")
        if word:
            entries.append((word, flags))
    return entries


def expand(path: Path | None = None) -> list[Form]:
    """Every form of every entry of sv_SE.dic and sv_SE_expanded.dic."""
    path = path or dictionary_path()
    suffixes = read_suffixes(path.with_suffix(".aff"))
    entries = set(read_entries(path.with_suffix(".dic")))
    expanded = path.with_name(path.name + "_expanded").with_suffix(".dic")
    if expanded.exists():
        entries |= set(read_entries(expanded))
    forms: list[Form] = []
    for stem, flags in sorted(entries):
        if FORBIDDEN in flags:
            continue
        compound_only = ONLY_IN_COMPOUND in flags
        forms.append(
            Form(
                word=stem,
                stem=stem,
                standalone=not compound_only and NEEDS_AFFIX not in flags,
                begin=BEGIN in flags,
                middle=MIDDLE in flags,
                end=END in flags,
            )
        )
        for flag in flags:
            for suffix in suffixes.get(flag, ()):
                if not stem.endswith(suffix.strip) or not suffix.condition.search(stem):
                    continue
                word = stem[: len(stem) - len(suffix.strip)] + suffix.add
                if not word:
                    continue
                linking = ONLY_IN_COMPOUND in suffix.flags
                forms.append(
                    Form(
                        word=word,
                        stem=stem,
                        standalone=not linking and not compound_only,
                        begin=BEGIN in suffix.flags,
                        middle=MIDDLE in suffix.flags,
                        # an inflected form may end a compound whose last part's stem may
                        end=(END in flags and not linking) or END in suffix.flags,
                    )
                )
    return forms
