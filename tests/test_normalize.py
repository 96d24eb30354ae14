"""normalize/: Unicode repair, de-hyphenation that keeps suspended compounds, whitespace."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_language_of_short_and_long_texts():
    from normalize.language import language_of

    assert language_of("This is an English line for testing") == "en"
    assert language_of("The annual report of the committee was approved by an overwhelming majority") == "en"
    assert language_of("Kommunstyrelsen beslutar att anta planen") != "en"
    assert language_of("Förslag till beslut om bygglov för Särö") != "en"
    swedish = "Nämnden föreslås besluta att det är så att vi inte kan och ska ta detta efter samrådet med förvaltningen. " * 3
    assert language_of(swedish) == "sv"


def test_a_text_in_neither_swedish_nor_english_is_not_called_english():
    # a government press release in Northern Sami: its few `as`, `at`, `it` are parts of Sami words
    sami = Path(__file__).resolve().parents[2] / "shared/real/g0vse/0530_artiklar_2020_06_gollegiella---nordsamiska.txt"
    if not sami.exists():
        pytest.skip("../shared/real is not beside the project")
    assert language_of(sami.read_text(encoding="utf-8")) == "other"
    assert language_of("The committee decided that the plan is to be adopted and that it will be reviewed by the board " * 3) == "en"


def test_a_compound_with_an_abbreviation_keeps_its_hyphen_across_a_line_break():
    # Kungsbacka (tune 3): `…i VA-\nutbyggnadsområde` is written `VA-utbyggnadsområde`
    assert dehyphenate("i VA-\nutbyggnadsområde och IT-\nstöd, heders-\nrelaterat") == "i VA-utbyggnadsområde och IT-stöd, hedersrelaterat"


def test_suspended_compounds_keep_their_hyphen_across_a_line_break():
    from normalize.hyphenation import dehyphenate

    assert dehyphenate("social-\noch omsorgsnämnden") == "social- och omsorgsnämnden"
    assert dehyphenate("heders-\nrelaterat våld") == "hedersrelaterat våld"
    assert dehyphenate("Kunskaps-\nresp. informationsfrågor") == "Kunskaps- resp. informationsfrågor"
