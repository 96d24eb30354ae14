"""Restoration of Swedish words damaged by non-Swedish OCR (`férvaltningen` →
`förvaltningen`, `&dgare` → `ägare`, `Arende` → `Ärende`). Every change is returned as
an `Edit` (offset in the returned text, before, after, confidence).

A noisy-channel decision per word: among the token itself and its candidates
(normalize/candidates.py: lexicon words and hunspell-sv compounds the token may be an OCR
reading of), pick the spelling maximizing

    log P(token | word)          the learned confusion table, scaled by the damage of
                                 the text around the word (normalize/confusions.py, damage.py)
  + log P(word | neighbours)     wordfreq frequency, shifted by genre and context rules
  + log P(capitalization)        a capital mid-sentence is a name or an OCR error

Restoration must never hurt clean text, so it acts only where the text shows damage:
the damage of clean passages is so low that no confusion is believable (normalize/
damage.py), and some words are never touched: addresses, paths, file names and codes
(normalize/spans.py), words of English phrases and words with letters foreign to Swedish
(normalize/foreign.py), and words with the case pattern of an abbreviation (`SoL`). An
unknown word that reads as a compound of known words hunspell-sv does not flag
(`lov|plikt`, lexicon `loose_compound`) is scored as one, not as damage. On the 2,000
clean g0vse texts this took the false edits from 671 (153 per 100,000 words) to 0, with
the OCR repair figures unchanged (tests/eval/clean_text_eval.py, ocr_eval.py).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from document import Edit
from lexicon import load
from normalize.candidates import COMPOUND_ZIPF, HUNSPELL_ONLY_ZIPF, Candidate, candidates, compound_zipf
from normalize.confusions import load_model
from normalize.context import load_context
from normalize.damage import FOREIGN, INTACT, NEUTRAL, RESTORABLE, local_damage
from normalize.foreign import english_runs, foreign_letters
from normalize.spans import protected_spans
from swedish.data import suspended_links_pattern
from swedish.fold import SWEDISH_ALPHABET, fold_word

RULE = "ocr-restore"
LN10 = math.log(10)
OOV_ZIPF = 0.5  # prior of a capitalized token that is no word at all (a name, or damage)
LOWER_OOV_ZIPF = -1.5  # ... of a lower-case one (rarely a name: mostly damage, or a rare compound)
MARKED_OOV_ZIPF = -3.0  # ... and of one with characters no Swedish word has (`&dgare`, `bes6k`)
LOOSE_COMPOUND_PENALTY = 0.25  # a compound hunspell-sv's flags do not make (`lov|plikt`): less sure than one they do
NUMBER_ZIPF = 5.0  # a lone `1` that is a numeral
_LONE_LETTER_MARKS = frozenset("1|")  # a lone one of these between words may be the OCR's `i`/`I`
LOG_TITLE_MID_SENTENCE = math.log(0.01)  # a capitalized common word inside running text
LOG_LOWER_AT_SENTENCE_START = math.log(0.02)
MIN_CONFIDENCE = 0.5

_TOKEN = re.compile(r"(?:[^\W_]|[&|])+")
_NON_SWEDISH_MARKS = re.compile(r"[0-9&|]")
_SWEDISH_LETTERS = frozenset("åäöÅÄÖ")
# `Kunskaps-, informations- och …`: a first compound part before a hyphen in a list
_SUSPENDED = re.compile(r"-(?:\s*,\s*[^\W\d_]+-)*\s*,?\s*(?:" + suspended_links_pattern() + r")(?!\w)")
_SENTENCE_END = frozenset(".!?:;•–—")
_NEIGHBOURS = 2


class Token(NamedTuple):
    start: int
    end: int
    text: str
    suspended: bool  # `Kunskaps-` in `Kunskaps-, informations- och …`
    sentence_start: bool  # first word of a sentence, paragraph or the text
    in_running_text: bool  # inside a sentence, before a lower-case word: a capital is a name or damage
    index: int  # among all the text's tokens
    previous: tuple[str, ...] = ()  # folded neighbours, nearest first (where context rules need them)
    following: tuple[str, ...] = ()


def _lone_mark_between_words(text: str, match: re.Match, following: str | None) -> bool:
    """`vald 1 nära`, `1 handlingsplanen`: a lone 1 or | followed by a lower-case word."""
    start, end = match.span()
    if match.group() not in _LONE_LETTER_MARKS or not following or not following[0].islower() or not following.isalpha():
        return False
    return text[end : end + 1] == " " and (start == 0 or text[start - 1] in " \n")


@lru_cache(maxsize=100_000)
def _restorable(token: str) -> bool:
    if _abbreviation_case(token):
        return False
    if token.isalpha():
        return not (len(token) <= 3 and token.isupper())  # abbreviations (SON, MBL, ÄN) cannot be told from damage
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return False
    if len(letters) <= 3 and all(c.isupper() for c in letters):
        return False  # abbreviations (SON, MBL, ÄN) cannot be told from damage
    return sum(c.isdigit() for c in token) <= len(letters)  # `4n`, `bes6k`, not `2a` in `2a kap`


def _abbreviation_case(token: str) -> bool:
    """`SoL`, `LoU`, `KomL`: a capital inside a word that the OCR does not write for a
    lower-case Swedish letter (it writes `A` for ä and å: `VAld`), so the case pattern is
    the writer's, as in abbreviations of Swedish laws, and is kept."""
    marks = load_model().case_marks
    return not token.isupper() and any(c.isupper() and c not in marks for c in token[1:])


def _sentence_start(text: str, start: int) -> bool:
    """Is the word at `start` the first of a sentence, paragraph or the text?"""
    i = start - 1
    newlines = 0
    while i >= 0 and text[i].isspace():
        newlines += text[i] == "\n"
        i -= 1
    return i < 0 or newlines > 1 or text[i] in _SENTENCE_END


def _in_running_text(text: str, previous: re.Match | None, match: re.Match, following: re.Match | None) -> bool:
    """Is the word inside a sentence: a word before it on its line and a lower-case word
    after it, with no sentence end between? (Header and title lines capitalize freely;
    running text capitalizes names only.)"""
    if previous is None or following is None or not following.group()[0].islower():
        return False
    between = text[previous.end() : following.start()]
    return "\n" not in between and not any(c in _SENTENCE_END for c in between)


def _tokens(text: str) -> tuple[list[Token], list[str]]:
    """The restorable tokens of the text, and the folded words of all its tokens (for
    context; a token's `previous`/`following` are filled in only where a rule needs them)."""
    matches = list(_TOKEN.finditer(text))
    skips = protected_spans(text)  # addresses, paths and codes are not words
    if skips:
        matches = _outside(matches, skips)
    folded = fold_word(text)
    if len(folded) == len(text):
        words = [folded[m.start() : m.end()] for m in matches]
    else:  # a character whose lower case is longer (rare): fold word by word
        words = [fold_word(m.group()) for m in matches]
    last = len(matches) - 1
    out = []
    for index, match in enumerate(matches):
        token = match.group()
        following = matches[index + 1] if index < last else None
        if not _restorable(token) and not _lone_mark_between_words(text, match, following.group() if following else None):
            continue
        start, end = match.span()
        capitalized = not token[0].islower()
        out.append(
            Token(
                start,
                end,
                token,
                text[end : end + 1] == "-" and bool(_SUSPENDED.match(text, end)),
                capitalized and _sentence_start(text, start),
                capitalized and _in_running_text(text, matches[index - 1] if index else None, match, following),
                index,
            )
        )
    return out, words


def _outside(matches: list[re.Match], spans: list[tuple[int, int]]) -> list[re.Match]:
    """The matches that start outside every span (both lists in text order)."""
    kept, i = [], 0
    for match in matches:
        while i < len(spans) and spans[i][1] <= match.start():
            i += 1
        if i == len(spans) or match.start() < spans[i][0]:
            kept.append(match)
    return kept


def _with_neighbours(token: Token, words: list[str]) -> Token:
    index = token.index
    return token._replace(
        previous=tuple(reversed(words[max(0, index - _NEIGHBOURS) : index])),
        following=tuple(words[index + 1 : index + 1 + _NEIGHBOURS]),
    )


def _spellings(candidate: Candidate, token: str) -> list[str]:
    """How the candidate may be written given the token's case."""
    word = candidate.word
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return [word, word.upper()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return [word.upper()]
    if token[0].isupper():
        return [word[:1].upper() + word[1:], word]  # the OCR may have capitalized `ä` as `A`
    return [word[:1].upper() + word[1:]] if candidate.proper else [word]


def _case_prior(spelling: str, token: Token, proper: bool) -> float:
    """log P(this capitalization | position): in running text a common word is not
    capitalized; at the start of a sentence it is."""
    if spelling[:1].isupper() and (len(spelling) == 1 or not spelling.isupper()):
        return LOG_TITLE_MID_SENTENCE if token.in_running_text and not proper else 0.0
    if spelling[:1].islower() and token.sentence_start:
        return LOG_LOWER_AT_SENTENCE_START
    return 0.0


def _channel(pairs, spelling: str, damage: float) -> float:
    """log P(token | spelling): the (OCR string, gold character) pairs the token was read
    through, with the gold characters cased as in `spelling`."""
    model = load_model()
    total = 0.0
    for i, ((ocr, _), gold) in enumerate(zip(pairs, spelling)):
        if ocr != gold or gold in model.confusable:
            total += model.log_p(ocr, gold, damage, initial=i == 0)
    return total


def _odd_case(token: str) -> bool:
    """`VAld`, `gAlla`: a capital inside a lower-case word, as no word is written."""
    return any(c.isupper() for c in token[1:]) and not token.isupper()


@lru_cache(maxsize=100_000)
def _own_prior(token: str) -> float:
    lexicon = load()
    if token.isdigit():
        return NUMBER_ZIPF
    if _NON_SWEDISH_MARKS.search(token):
        return MARKED_OOV_ZIPF
    if _odd_case(token):
        return OOV_ZIPF
    if lexicon.is_word(token):
        zipf = lexicon.zipf(token)
        if zipf:
            return zipf
        listed = any(e.word.lower() == token.lower() for e in lexicon.words(fold_word(token)))
        return HUNSPELL_ONLY_ZIPF if listed else COMPOUND_ZIPF - 0.5  # `valdsutsatta`: only as a compound
    if not SWEDISH_ALPHABET.issuperset(token.lower()):
        return MARKED_OOV_ZIPF  # `Stdngéstaden`: no word, and a letter Swedish words rarely have
    parts = lexicon.loose_compound(token)
    if parts:
        return compound_zipf(parts) - LOOSE_COMPOUND_PENALTY  # `lov|plikt`
    return OOV_ZIPF if token[0].isupper() else LOWER_OOV_ZIPF


def _decide(token: Token, damage: float) -> tuple[str, float] | None:
    """The restored spelling and its confidence, or None to keep the token."""
    options = candidates(token.text, token.suspended)
    own_word = token.text.lower()
    if all(candidate.word == own_word for candidate in options) and not (token.text[0].isupper() and token.in_running_text):
        return None  # nothing else it could be (most words)
    context = load_context()
    own = token.text
    own_prior = _own_prior(own)
    if not _NON_SWEDISH_MARKS.search(own) and not _odd_case(own):
        for candidate in options:
            if candidate.word == own.lower():
                own_prior = max(own_prior, candidate.zipf)  # scored like its rivals (compounds, rare words)
    own_proper = any(c.proper and c.word == own.lower() for c in options)
    scores = {own: own_prior * LN10 + _channel([(c, c) for c in own], own, damage) + _case_prior(own, token, own_proper)}
    own_shift = context.shift(own.lower(), token.previous, token.following)
    scores[own] += own_shift * LN10
    for candidate in options:
        shift = context.shift(candidate.word, token.previous, token.following)
        for spelling in _spellings(candidate, own):
            if spelling == own:
                continue
            score = (candidate.zipf + shift) * LN10 + _channel(candidate.pairs, spelling, damage)
            score += _case_prior(spelling, token, candidate.proper)
            if score > scores.get(spelling, -math.inf):
                scores[spelling] = score
    best = max(scores, key=scores.__getitem__)
    if best == own:
        return None
    top = scores[best]
    # confidence in the word, whichever its capitalization (`Råd` and `råd` both say råd)
    same_word = sum(math.exp(s - top) for spelling, s in scores.items() if spelling.lower() == best.lower())
    confidence = same_word / sum(math.exp(s - top) for s in scores.values())
    if confidence < MIN_CONFIDENCE:
        return None
    return best, confidence


# Decisions are shared across documents of similar damage: (token, position class,
# neighbours when a context rule may apply, damage bucket) → restored spelling or None.
_DECISIONS: dict[tuple, tuple[str, float] | None] = {}
_MAX_DECISIONS = 500_000


def _damage_bucket(damage: float) -> float:
    """λ rounded to two significant digits, so that decisions can be cached."""
    return float(f"{damage:.2g}")


def _kind(token: str, restorable: set[str]) -> int:
    """What the token says about the text around it (normalize/damage.py); tokens of
    English phrases and with foreign letters are FOREIGN whatever this says."""
    if token in restorable:
        return RESTORABLE
    lexicon = load()
    if _SWEDISH_LETTERS.intersection(token):
        return INTACT if lexicon.is_word(token) else NEUTRAL
    if token[0].islower() and token.isalpha() and not lexicon.is_word(token):
        return FOREIGN  # a lower-case word that is no word, damaged or not
    return NEUTRAL


def restore_swedish(text: str) -> tuple[str, list[Edit]]:
    lexicon = load()
    context = load_context()
    tokens, words = _tokens(text)
    texts = [t.text for t in tokens]
    foreign_spelling = {token for token in set(texts) if foreign_letters(token)}
    distinct = {(t.text, t.suspended) for t in tokens if t.text not in foreign_spelling}
    # tokens that could be read as another word; every other token is kept unless it is
    # a capitalized word in running text (which `_decide` may lower-case)
    ambiguous = {
        (token, suspended) for token, suspended in distinct if any(c.word != token.lower() for c in candidates(token, suspended))
    }
    restorable = {token for token, _ in ambiguous if not lexicon.is_word(token)}
    titled = [t.text[0].isupper() and not t.sentence_start and not t.text.isupper() for t in tokens]
    foreign = english_runs(texts, restorable, titled) | {i for i, token in enumerate(texts) if token in foreign_spelling}
    kind_of = {token: _kind(token, restorable) for token in set(texts)}
    kinds = [FOREIGN if i in foreign else kind_of[token] for i, token in enumerate(texts)]
    damage = local_damage([token.lower() for token in texts], kinds)
    if len(_DECISIONS) > _MAX_DECISIONS:
        _DECISIONS.clear()

    pieces: list[str] = []
    edits: list[Edit] = []
    position = shift = 0
    contextual = {
        (token, suspended) for token, suspended in ambiguous if any(context.depends_on_neighbours(c.word) for c in candidates(token, suspended))
    }
    for n, token in enumerate(tokens):
        if n in foreign:
            continue
        if (token.text, token.suspended) not in ambiguous and not (token.text[0].isupper() and token.in_running_text):
            continue
        # A decision depends on the token's position only through capitals and context rules.
        level = _damage_bucket(damage[n])
        key: tuple = (token.text, token.suspended, level, token.sentence_start, token.in_running_text)
        if (token.text, token.suspended) in contextual:
            token = _with_neighbours(token, words)
            key += (token.previous, token.following)
        decision = _DECISIONS.get(key, False)
        if decision is False:
            decision = _DECISIONS[key] = _decide(token, level)
        if decision is None:
            continue
        after, confidence = decision
        pieces.append(text[position : token.start])
        pieces.append(after)
        edits.append(Edit(start=token.start + shift, before=token.text, after=after, confidence=round(confidence, 3), rule=RULE))
        shift += len(after) - len(token.text)
        position = token.end
    pieces.append(text[position:])
    return "".join(pieces), edits
