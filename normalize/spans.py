"""Stretches of a text that are not words of prose, which restoration must not touch.

Web addresses, e-mail addresses, file paths and file names are often written without
Swedish letters on purpose (`/rattsliga-dokument/forordningsmotiv/`, `kommunen.se`,
`forslag-till-beslut.pdf`): restoring them breaks a link. Codes such as the chemical
names of drug schedules (`ADB-4en-5Br-PINACA`) mix digits and capitals in parts joined
by hyphens; a digit there is no OCR mark (`4en` is not `äen`).

On the g0vse texts (clean government Swedish, tests/eval/clean_text_eval.py) addresses
were 432 of the 450 false edits of TUNE and 145 of the 221 of HOLDOUT before these spans
were skipped (most in one JSON listing of links, the rest in Markdown link targets
`](/pressmeddelanden/…)`), codes 2 more.
"""

from __future__ import annotations

import re

_TLDS = "se|nu|com|org|net|eu|int|fi|dk|no|de|uk|io|info|gov|edu"
_FILE_TYPES = "pdf|docx?|xlsx?|pptx?|odt|rtf|txt|csv|json|xml|html?|aspx?|php|png|jpe?g|gif|svg|tiff?|zip"
_ADDRESS = re.compile(
    "|".join(
        [
            r"(?:https?|ftp)://\S+",
            r"\bwww\.\S+",
            r"\bmailto:\S+",
            r"\S+@\S+",  # e-mail
            r"(?<=\]\()[^)\s]+",  # a Markdown link target, whatever it is
            r"(?<![\w/])/[\w.%~+-]+/\S*",  # an absolute path or a site-relative link: /a/b…
            r"(?<![\w/])/[\w%~+-]+\.\w+",  # /file.ext
            r"\b[A-Za-z]:\\\S+|\\\\\S+",  # Windows paths
            rf"\b[\w-]+(?:\.[\w-]+)*\.(?-i:{_TLDS})\b(?!\.\w)(?:/\S*)?",  # domain names (regeringen.se/…)
            rf"\S+\.(?:{_FILE_TYPES})\b",  # file names
        ]
    ),
    re.IGNORECASE,
)
# A code: two or more parts joined by hyphens, one with a digit and one (other) in capitals.
_CODE = re.compile(r"(?<![\w-])[^\W_]+(?:-[^\W_]+)+(?![\w-])")
_HAS_DIGIT = re.compile(r"\d")
_CAPITALS = re.compile(r"^[A-ZÅÄÖ]{2,}\d*$|^\d*[A-ZÅÄÖ]{2,}$")


def _is_code(run: str) -> bool:
    parts = run.split("-")
    digits = [i for i, part in enumerate(parts) if _HAS_DIGIT.search(part) and not part.isdigit()]
    capitals = [i for i, part in enumerate(parts) if _CAPITALS.match(part)]
    return bool(digits) and any(c not in digits or len(digits) > 1 for c in capitals)


# Only runs of non-space with a slash, an @, a backslash, or a full stop before a letter
# (a domain or file name) may hold an address; looking only there is 6 times faster.
_MAYBE_ADDRESS = re.compile(r"(?<!\S)\S*?(?:[/@\\]|\.[^\W\d_])\S*")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every address, path, file name and code in `text`, in order."""
    spans = []
    for run in _MAYBE_ADDRESS.finditer(text):
        spans += [match.span() for match in _ADDRESS.finditer(text, run.start(), run.end())]
    spans += [match.span() for match in _CODE.finditer(text) if _is_code(match.group())]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
