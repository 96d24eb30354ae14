"""Is a text Swedish? A cheap check, robust to OCR damage.

A text with enough function words is judged by them: the share of Swedish against
English function words (data/swedish/function_words.toml). A short text (a title, one
line) has too few; it is judged by its words: English when most of them are words the
lexicon marks English (far more common in English than in Swedish) and none is a Swedish
word that English lacks. Before, a one-line English text was taken for Swedish and its
`an` restored to `än`. A text whose few function words are English ones but far too few
for English prose (Northern Sami, Finnish: `as`, `at`, `it` as parts of other words) is
`other`, so that its refusal does not call it English.
"""

from __future__ import annotations

import re

from lexicon import load
from swedish.data import function_words

_WORD = re.compile(r"[a-zåäöé]+", re.IGNORECASE)
MIN_FUNCTION_WORDS = 10
MIN_WORDS_SHORT = 3
ENGLISH_SHARE_SHORT = 0.6
# English prose has about a quarter of its words among the function words; a Northern
# Sami press release (g0vse 0530) had 4 %.
ENGLISH_FUNCTION_SHARE = 0.10


def language_of(text: str) -> str:
    """`sv`, `en`, `other` (neither), or `unknown` when there is too little text to tell."""
    words = [word.lower() for word in _WORD.findall(text[:20000])]
    lists = function_words()
    swedish = sum(1 for word in words if word in lists["swedish"])
    english = sum(1 for word in words if word in lists["english"])
    if swedish + english >= MIN_FUNCTION_WORDS:
        if swedish >= english:
            return "sv"
        return "en" if english >= ENGLISH_FUNCTION_SHARE * len(words) else "other"
    return _short_text_language(words)


def _short_text_language(words: list[str]) -> str:
    if len(words) < MIN_WORDS_SHORT:
        return "unknown"
    lexicon = load()
    english = sum(1 for word in words if lexicon.is_english(word))
    swedish_only = sum(1 for word in words if lexicon.is_word(word) and not lexicon.is_english(word) and any(c in "åäö" for c in word))
    if english / len(words) >= ENGLISH_SHARE_SHORT and not swedish_only:
        return "en"
    return "unknown"
