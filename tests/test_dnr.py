"""Diary numbers: the printed forms of real documents (Kungsbacka, Nykarleby) are found
and joined where a column's line end or Markdown's `<br>` broke them, and every form of
one number compares equal under `dnr_key`."""

from __future__ import annotations

import pytest

from swedish.dnr import DNR, DNR_BARE, dnr_in, dnr_key, dnr_keys, printed_dnr


@pytest.mark.parametrize(
    "place, expected",
    [
        ("§ 137                      Dnr BN-2023-00211", ["BN-2023-00211"]),
        ("§ 163 Dnr BN-2023-001564", ["BN-2023-001564"]),  # a six-digit serial
        ("§ 50 Dnr MH-2024-1533", ["MH-2024-1533"]),  # a four-digit serial
        ("§ 48 Dnr 2024-02875", ["2024-02875"]),  # no registry prefix
        ("| 1. | Godkännande av dagordningen | IF-2023-<br>00055 | Förslag till beslut |", ["IF-2023-00055"]),
        ("KFT-2024-\n00334", ["KFT-2024-00334"]),  # broken by the column's line end
        ("1. Godkännande av dagordningen IF-2023- 00055 Förslag till beslut", ["IF-2023-00055"]),  # <br> read as a space
        ("| 1. | Årsredovisning 2024 | 2024-00365 | Förslag |", ["2024-00365"]),  # bare, in an agenda's dnr column
        ("TE-2024-00843,<br>Föredragande:<br>Fillitsa", ["TE-2024-00843"]),
        ("NKBY/497/12.03.01/2022", ["NKBY/497/12.03.01/2022"]),
        ("KS–2024–00511", ["KS–2024–00511"]),  # en dashes, as printed
    ],
)
def test_diary_numbers_in_a_place_that_holds_them(place, expected):
    assert dnr_in(place) == expected


@pytest.mark.parametrize(
    "place, expected",
    [
        # the KS case an item's title refers to is not the item's diary number
        ("| 9. | Begäran om yttrande - nödvattenplan (KS-2024-<br>00511) | TE-2024-00837, | …", ["TE-2024-00837"]),
        # year ranges and dates are not diary numbers
        ("6. Nämndbudget 2026, plan 2027- 2028 IF-2025- 00247", ["IF-2025-00247"]),
        ("Lokalbehov 2027 - 2031 utblicksår 2032- 2036", []),
        ("Upprättad 2025-02-11, 13.00–13.20", []),
        # a capitalised word before a bare number is no registry prefix
        ("6. Erbjudande om medlemskap i kommunalförbundet Tolkförmedling Väst 2024-00694 Förslag", ["2024-00694"]),
        ("Dnr IF-2024-00002. Placeringsavtal", ["IF-2024-00002"]),  # `Dnr` is no prefix
    ],
)
def test_what_is_not_the_place_s_diary_number(place, expected):
    assert dnr_in(place) == expected


def test_printed_number_is_joined_where_it_was_broken():
    assert printed_dnr("KFT-2024-<br>00334") == "KFT-2024-00334"
    assert printed_dnr("KS-2024-\n00595") == "KS-2024-00595"
    assert printed_dnr("NKBY/497/\n12.03.01/2022") == "NKBY/497/12.03.01/2022"
    assert printed_dnr("KS 2023/553") == "KS 2023/553"


def test_running_text_needs_the_introducing_word_and_may_break_after_a_dash():
    assert [m.group("dnr") for m in DNR.finditer("Diarienummer KS-2024-\n00595 gäller")] == ["KS-2024-\n00595"]
    assert not DNR.search("Perioden 2024-01-01 till 2024-12-31")
    assert [m.group("dnr") for m in DNR_BARE.finditer("enligt KS–2023–553 och SBN 475/2022")] == ["KS–2023–553", "SBN 475/2022"]


@pytest.mark.parametrize(
    "forms",
    [
        ["SON 2021/459", "SON-2021-459", "son 2021-0459", "SON–2021–459"],
        ["BN-2023-001564", "BN-2023-1564", "BN 2023/1564"],
        ["KFT-2024-<br>00334", "KFT-2024-\n00334", "KFT-2024-00334"],
        ["ÄLN-2023-01234", "ALN-2023-1234"],
        ["475/2022", "475/22", "2022-475"],
    ],
)
def test_forms_of_one_number_have_one_key(forms):
    assert len({dnr_key(form) for form in forms}) == 1


def test_keys():
    assert dnr_key("NKBY/497/12.03.01/2022") == "NKBY-2022-497"
    assert dnr_key("MH-2024-1533") == "MH-2024-1533"
    assert dnr_key("BN-2023-00211") != dnr_key("BN-2023-00212")
    # an agenda of the body's own meeting prints the number without its prefix
    assert dnr_keys("KS 2023/553") == ["KS-2023-553", "2023-553"]
    assert dnr_keys("2023-00553") == ["2023-553"]


def test_a_register_year_and_serial_joined_by_a_colon():
    # Botkyrka's steering documents: `VON/2025:00149`, `VON 2025:00149`; never a statute's SFS number
    assert [m.group("dnr") for m in DNR.finditer("Diarienummer: VON/2025:00149")] == ["VON/2025:00149"]
    assert dnr_key("VON/2025:00149") == dnr_key("VON 2025:00149") == "VON-2025-149"
    assert not DNR.search("enligt socialtjänstlagen (2001:453), dnr 2001:453")
