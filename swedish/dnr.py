"""Diary numbers (diarienummer): how documents print them, and the one key under which
they are compared (`dnr_key`), whatever the printed form.

Printed forms met in real documents (Kungsbacka, Nykarleby and the synthetic set):
`KS 2023/553`, `SON 2021-459`, `475/2022`, `0934/21`, `BN-2023-00211`, serials of four
to six digits (`MH-2024-1533`, `BN-2023-001564`), bare `2023-00250` in an agenda's
dnr column, Finland-Swedish `NKBY/497/12.03.01/2022`, en dashes for hyphens, and a
number broken after a separator by the line end of a narrow column (`KFT-2024-` /
`00334`) or by Markdown's `<br>` (`IF-2023-<br>00055`), a space left after the prefix's
dash (`VO- 2026-00017`), and after `Diarienummer` a year
and serial joined by a colon (Botkyrka: `VON/2025:00149`, `VON 2025:00149`; Lomma, also in a
§'s line: `BUN/2025:13`, `KS KF/2024:8`). `printed_dnr`
gives such a number as printed, joined; `dnr_key` compares them all.
"""

from __future__ import annotations

import re

from swedish.data import dnr_words
from swedish.fold import ocr_tolerant

# A separator inside a number: hyphen, en dash (Word's autocorrect) or another dash.
_DASH = r"\-‐‑–—"
# A column's line break after a separator: a newline or Markdown's `<br>`, or the single
# space left where a converter replaced the break; only ever followed by digits.
_BREAK = r"(?:[ \t]*(?:<br\s*/?>|\n)[ \t]*|[ \t])?"

# Diarienummer. The number is `2021-459`, `2023/553`, `475/2022`, `0934/21` or
# `2023-01234`, optionally after a registry prefix joined by a space or hyphen (`SON
# 2021-459`, `ÄLN-2023-01234`, `Sbn 475/2022`). The introducing word (`Dnr`,
# `Diarienummer`, `Ärendenummer` …, data/swedish/dnr.toml) is required in running text so
# that dates and phone numbers are never taken for a dnr.
DNR_INTRO = r"(?i:" + "|".join(ocr_tolerant(word) for word in dnr_words()["intro"]) + ")"
# A field or column label naming a diary number (`Diarienummer:`, an agenda's `Diarie`).
DNR_LABEL_WORDS = r"(?:" + "|".join(ocr_tolerant(word) for word in dnr_words()["intro"] + dnr_words()["label_only"]) + ")"
# The prefix's separator may be a dash with a space left after it (`VO- 2026-00017`).
DNR_PREFIX = rf"(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{{0,5}}(?:[{_DASH}][ \t]?|[ ]|(?=\d)))"
DNR_NUMBER = (
    rf"(?:(?:19|20)\d\d(?:[{_DASH}/]{_BREAK}|\.)\d{{1,6}}(?:[{_DASH}:/]\d{{1,4}})?"
    r"|\d{1,6}/(?:19|20)?\d\d)"
)
# Register, year and serial joined by a colon (`VON/2025:00149`, Lomma's `BUN/2025:13` and
# `KS KF/2024:8`, a register of two words): only with a register of capitals, so that a
# statute's SFS number (`(2001:453)`) is never one.
DNR_COLON = r"[A-ZÅÄÖ]{2,6}(?: [A-ZÅÄÖ]{2,6})?[ /]?(?:19|20)\d\d:\d{1,6}"
_NOT_CONTINUED = rf"(?![\d/{_DASH}]*\d)"
DNR_VALUE = rf"(?P<dnr>{DNR_COLON}|{DNR_PREFIX}?{DNR_NUMBER}){_NOT_CONTINUED}"
DNR = re.compile(rf"\b{DNR_INTRO}\.?:?[ \t]*(?:\n[ \t]*)?{DNR_VALUE}")
# A bare prefixed number (`SBN 475/2022`, `KS 2024/187`) anywhere it is printed.
DNR_BARE = re.compile(rf"\b(?P<dnr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{{0,4}}[A-ZÅÄÖ]?[ {_DASH}]{DNR_NUMBER}){_NOT_CONTINUED}")

# Finland-Swedish municipalities print diary numbers as `NKBY/497/12.03.01/2022`: the
# register, the running number, the archive class and the year.
DNR_FINNISH = re.compile(rf"\b(?P<dnr>[A-ZÅÄÖ]{{2,6}}/{_BREAK}\d{{1,6}}/{_BREAK}\d{{2}}(?:\.\d{{2}}){{0,5}}/{_BREAK}(?:19|20)\d\d)\b")

# Where the place says that a diary number stands there (the dnr column of an agenda,
# the line of a protocol's §), the number may also be printed without registry and
# without introducing word: `2023-00250`. A serial of three digits or more is what
# tells it from a date (`2023-05`), unless its label says what it is (Simrishamn's `§ 66
# Dnr 2024/1`).
# The registry prefix is capitals (`KS 2023/553`, `KFT-2024-00334`), or a word joined
# by a hyphen (`Sbn-2023-12`); a capitalised word before a number (`Tolkförmedling
# Väst 2024-00694` in an agenda row read as one line) is no prefix. A range of years
# (`2027-2028`, `2032- 2036`) is no number.
_PLACE_PREFIX = rf"(?:[A-ZÅÄÖ]{{1,6}}(?:[{_DASH}][ \t]?|[ ])?|[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{{1,5}}[{_DASH}])"
_NOT_A_YEAR = r"(?!(?:19|20)\d\d\b)"
_DNR_IN_PLACE = re.compile(
    rf"{DNR_FINNISH.pattern}"
    rf"|\b(?P<colon>{DNR_COLON})\b"
    rf"|\b(?!{DNR_INTRO}\b)(?P<prefixed>{_PLACE_PREFIX}(?:19|20)\d\d[{_DASH}/]{_BREAK}\d{{1,6}}){_NOT_CONTINUED}"
    rf"|(?<![\w{_DASH}/.])(?P<bare>(?:19|20)\d\d[{_DASH}/]{_BREAK}{_NOT_A_YEAR}\d{{3,6}}){_NOT_CONTINUED}"
    rf"|\b{DNR_INTRO}\.?:?[ \t]*(?P<labelled>(?:19|20)\d\d[{_DASH}/]\d{{1,6}}){_NOT_CONTINUED}"
)
_BREAK_IN_NUMBER = re.compile(rf"(?<=[{_DASH}/.])[ \t]*(?:<br\s*/?>|\n)?[ \t]*(?=\d)")

_KEY_PREFIX = re.compile(rf"^(?P<prefix>[^\W\d_]{{1,8}}(?: [^\W\d_]{{1,8}})?)[\s./{_DASH}]*(?=\d)")
_YEAR_FIRST = re.compile(rf"^(?P<year>(?:19|20)\d\d)[{_DASH}/.:]+(?P<number>\d{{1,7}})(?:[{_DASH}:/.]+(?P<part>\d{{1,4}}))?$")
_NUMBER_FIRST = re.compile(r"^(?P<number>\d{1,7})/(?P<year>(?:19|20)?\d\d)$")
_FINNISH = re.compile(r"^(?P<number>\d{1,6})/\d{2}(?:\.\d{2}){0,5}/(?P<year>(?:19|20)\d\d)$")
_FOLD_PREFIX = str.maketrans("ÅÄÖ", "AAO")
_MARKUP_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def printed_dnr(matched: str) -> str:
    """A diary number as printed, joined where a line end or `<br>` broke it after a
    separator: `KFT-2024-<br>00334` → `KFT-2024-00334`, `NKBY/497/` + `12.03.01/2022`
    → `NKBY/497/12.03.01/2022`. Spaces between prefix and number are kept (`KS 2023/553`)."""
    return " ".join(_BREAK_IN_NUMBER.sub("", matched).split())


def dnr_in(text: str) -> list[str]:
    """Every diary number in `text`, a place that holds diary numbers (an agenda's dnr
    column, a § line), as printed and joined, in order: prefixed, bare or Finnish; a
    number in parentheses is a reference to another case (`(KS-2024-00511)`) and left out."""
    found: list[str] = []
    for match in _DNR_IN_PLACE.finditer(text):
        before = text[: match.start()].rstrip()
        if before.endswith("(") or (before.count("(") > before.count(")")):
            continue
        found.append(printed_dnr(match.group("labelled") or match.group()))
    return list(dict.fromkeys(found))


def dnr_key(dnr: str) -> str:
    """The form under which a diary number is compared, whatever way it was printed:
    `SON 2021/459`, `SON-2021-459`, `SON–2021–459` and `son 2021-0459` all give
    `SON-2021-459`; `475/2022` gives `2022-475`; `NKBY/497/12.03.01/2022` gives
    `NKBY-2022-497`; a broken `KFT-2024-<br>00334` gives `KFT-2024-334`. The registry
    prefix is folded (`ÄLN` and its OCR reading `ALN` are one key)."""
    text = " ".join(_MARKUP_BREAK.sub(" ", dnr).split()).upper().translate(_FOLD_PREFIX)
    prefix = ""
    match = _KEY_PREFIX.match(text)
    if match:
        prefix, text = match.group("prefix").replace(" ", ""), text[match.end():]
    text = text.replace(" ", "")
    for pattern in (_FINNISH, _YEAR_FIRST, _NUMBER_FIRST):
        parsed = pattern.match(text)
        if parsed:
            year = parsed.group("year")
            year = year if len(year) == 4 else "20" + year
            parts = [year, str(int(parsed.group("number")))]
            if parsed.groupdict().get("part"):
                parts.append(str(int(parsed.group("part"))))
            return "-".join(([prefix] if prefix else []) + parts)
    return "-".join(([prefix] if prefix else []) + [text])


def dnr_keys(dnr: str) -> list[str]:
    """`dnr_key` and, for a prefixed number, the key without its prefix: an agenda of the
    body's own meeting prints `2023-00553` for `KS 2023/553`."""
    key = dnr_key(dnr)
    bare = key.split("-", 1)[1] if key[:1].isalpha() and "-" in key else None
    return [key, bare] if bare and bare[:1].isdigit() else [key]
