"""normalize/: Unicode repair, de-hyphenation that keeps suspended compounds, whitespace."""

from __future__ import annotations

from normalize import normalize_text
from normalize.hyphenation import dehyphenate
from normalize.language import language_of


def test_line_break_hyphens_are_joined_but_suspended_compounds_kept():
    text = "mot våld i nära relationer, heders-\nrelaterat våld och social- och\nomsorgsnämnden, barn- \noch ungdomsnämnden"
    result = dehyphenate(text)
    assert "hedersrelaterat" in result
    assert "social- och\nomsorgsnämnden" in result
    assert "barn- och ungdomsnämnden" in result


def test_mojibake_and_decomposed_letters_are_repaired():
    text, _ = normalize_text("FÃ¶rslag till beslut\nA\u0308rende  och   samra\u030ad", restore=False)
    assert text == "Förslag till beslut\nÄrende och samråd\n"


def test_blank_lines_are_kept_once():
    text, _ = normalize_text("Ärende\n\n\n\nText här.  \n", restore=False)
    assert text == "Ärende\n\nText här.\n"


def test_language_detection():
    assert language_of("Socialnämnden föreslås besluta att det ska finnas stöd för de som är utsatta och att man ska kunna " * 3) == "sv"
    assert language_of("The committee decided that the plan is to be adopted and that it will be reviewed by the board " * 3) == "en"
