"""Words of other languages, which restoration must leave alone.

Two signs, each cheap:

- Letters that are neither Swedish nor a mark English OCR leaves of a Swedish letter
  (the confusion table's readings: `é`, `6`, `&` …): `Anár`, `dán` (North Sami),
  `Müller`, `Inácio`. Folding (swedish.fold.fold_word) maps `á` to `a`, so without this `dán`
  became `dan`.
- English phrases: runs of words the lexicon marks English (`the`, `of`, `development`:
  far more common in English than in Swedish, lexicon/entries.py), with nothing Swedish
  between them (names, numbers and unknown words may stand in a run). A run counts when
  it has two English words of which at least one is PURE: neither a damaged reading of a
  Swedish word (`for` may be `för`, `over` `över`, `on` `ön`) nor in hunspell-sv
  (`policy`, `team`: loans), as `of`, `the` and `policies` are. Damaged Swedish rarely
  has such a run, as it rarely has a pure English word (`en policy for arbetet` was the
  only run in the train documents' OCR'd layers before loans were excluded, none since);
  `Center for Wellbeing, Welfare and Happiness` and `Joint statement on principles for
  development` are runs.

Whole texts in another language are recognized by normalize/damage.py from the share of
their words that are no Swedish word. Before, English phrases held 4 of the 450 false
edits on the clean g0vse TUNE texts and 48 of the 221 on HOLDOUT, the North Sami text 2;
with the damage model alone 4 remained on HOLDOUT, none with these rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lexicon import HUNSPELL_WORD, load
from normalize.confusions import load_model
from swedish.fold import SWEDISH_ALPHABET, fold_word

MIN_RUN_ENGLISH, MIN_RUN_PURE = 2, 1

ENGLISH, PURE_ENGLISH, SWEDISH, OTHER = 1, 2, 3, 0


@lru_cache(maxsize=1)
def _ocr_marks() -> frozenset[str]:
    """Characters the confusion model reads as Swedish letters (`é`, `6`, `&`, `4`)."""
    return frozenset(c for ocr in load_model().readings for c in ocr.lower())


@lru_cache(maxsize=100_000)
def foreign_letters(token: str) -> bool:
    """Does the token have a letter no Swedish word, damaged or not, is written with?"""
    marks = _ocr_marks()
    return any(c.isalpha() and c not in SWEDISH_ALPHABET and c not in marks for c in token.lower())


@lru_cache(maxsize=100_000)
def word_language(token: str) -> int:
    """ENGLISH or PURE_ENGLISH (an English word that is no damaged reading of a Swedish
    one), SWEDISH (a Swedish word, or no word but a reading of one), or OTHER (names,
    numbers, unknown words)."""
    lexicon = load()
    letters = sum(c.isalpha() for c in token)
    if letters >= 2 and lexicon.is_english(token):
        lower = token.lower()
        entries = lexicon.words(fold_word(lower))
        swedish = any(e.word.lower() != lower or e.roles & HUNSPELL_WORD for e in entries)
        return ENGLISH if swedish else PURE_ENGLISH
    if lexicon.is_word(token) or (token[:1].islower() and lexicon.words(fold_word(token))):
        return SWEDISH
    return OTHER


def english_runs(tokens: Sequence[str], swedish: set[str] = frozenset(), titled: Sequence[bool] = ()) -> set[int]:
    """Indices of the tokens (all the words of a text, in order) that stand in an English
    phrase. `swedish`: tokens that are no word but read as a Swedish one (restorable:
    `forvaltningen`), Swedish unless they are English words (`principles`). `titled`:
    per token, is it capitalized inside a sentence (a word of a name)? A run's first or
    last word that may be Swedish (`for`) belongs to it only next to such a word outside
    it (`Center for Wellbeing`), not after a Swedish word or at the start of a sentence
    (`Generaldirektör for International Fund` is `för`)."""
    languages = [word_language(token) for token in tokens]
    languages = [SWEDISH if language == OTHER and token in swedish else language for token, language in zip(tokens, languages)]
    titled = list(titled) or [False] * len(tokens)
    found: set[int] = set()
    start = 0
    for end in range(len(tokens) + 1):
        if end < len(tokens) and languages[end] != SWEDISH:
            continue
        first, last = start, end - 1
        while first <= last and languages[first] == ENGLISH and not (first > 0 and titled[first - 1]):
            first += 1
        while last >= first and languages[last] == ENGLISH and not (last + 1 < len(tokens) and titled[last + 1]):
            last -= 1
        run = languages[first : last + 1]
        english = sum(1 for language in run if language in (ENGLISH, PURE_ENGLISH))
        if english >= MIN_RUN_ENGLISH and run.count(PURE_ENGLISH) >= MIN_RUN_PURE:
            found.update(range(first, last + 1))
        start = end + 1
    return found
