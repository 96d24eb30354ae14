"""Extraction rules taught by the sixth HOLDOUT set after its retirement to TUNE (batch 25,
`"retired_holdout": 6` in data/eval/real/gold.json: 34 Kungsbacka documents and 4 protocols of
Lomma kommun, a municipality new to the set, drawn at random; 370/401 checks right, matter dnr
64/128, at its one HOLDOUT measurement under extract 2026-12-05.4), each pinned on the document
that taught it, through the real pipeline, and on the general form the rule covers.
docs/eval-real.md measures them as `tune 25`."""

from __future__ import annotations

from conftest import real

from extract.diary_numbers import find_dnr
from extract.document_date import find_date
from extract.matter_lines import only_dnr, paragraph_opening
from extract.proposals import without_lead_in
from extract.title import find_title
from swedish.dnr import dnr_in, dnr_key


def test_lommas_diary_numbers_register_year_and_serial_joined_by_a_colon():
    assert dnr_in("BUN § 23                            BUN/2025:13") == ["BUN/2025:13"]
    assert dnr_in("KS § 66                             KS KF/2025:73") == ["KS KF/2025:73"]
    assert dnr_key("KS KF/2024:8") == "KSKF-2024-8" and dnr_key("BUN/2025:13") == "BUN-2025-13"
    assert dnr_key("SON 2021/459") == "SON-2021-459"  # a one-word register as before
    assert dnr_in("enligt förordningen (2001:453)") == []  # an SFS number has no register
    assert only_dnr("TE/2018:210 8.2") == ["TE/2018:210"]  # an archive class after the number


def test_a_section_sign_after_the_bodys_abbreviation_opens_a_paragraph():
    assert paragraph_opening("BUN § 23                            BUN/2025:13") == (23, "BUN/2025:13")
    assert paragraph_opening("KS KF § 53 KS KF/2024:8") == (53, "KS KF/2024:8")
    assert paragraph_opening("Enligt § 23 i lagen") is None


def test_lomma_protocols_are_read_paragraph_by_paragraph():
    doc = real("lomma_bun_protokoll_2025-05-06.txt")
    assert doc.doc_type == "protokoll" and doc.municipality == "Lomma" and doc.date == "2025-05-06"
    assert [m.paragraph for m in doc.matters] == [f"§ {n}" for n in range(23, 31)]
    assert doc.matters[0].dnr == ["BUN/2025:13"]
    assert doc.matters[0].title == "Information om programutbud vid Lomma Strands Gymnasium"
    # the decision begins at its first item, not at the line that only introduces the list
    assert doc.matters[0].decision.startswith("- Barn- och utbildningsnämnden har tagit del av informationen")
    ks = real("lomma_ks_protokoll_2025-05-21.txt")
    delarsrapport = next(m for m in ks.matters if m.paragraph == "§ 66")
    # `Beslut:` / `Kommunstyrelsen föreslår kommunfullmäktige besluta:` / `- att godkänna …`
    assert delarsrapport.decision.startswith("- att godkänna föreliggande delårsrapport 1")
    assert "Kommunstyrelsen beslutar:" in delarsrapport.decision
    assert any(s.label == "yrkanden" and s.heading == "Överläggning" for s in ks.sections)


def test_a_lead_in_is_dropped_only_when_it_says_no_more_than_that_a_list_follows():
    assert without_lead_in("Kommunstyrelsen beslutar:\n\n- att anta planen.") == "- att anta planen."
    kept = "Valnämnden beslutar följande sammanträdesdagar för 2025:\n\n- 3 mars"
    assert without_lead_in(kept) == kept
    assert without_lead_in("Kommunstyrelsen beslutar:\nPlanen antas.") == "Kommunstyrelsen beslutar:\nPlanen antas."


def test_a_diary_number_under_the_title_after_a_blank_line_is_the_paragraphs():
    doc = real("kungsbacka_teknik_protokollsutdrag_2018-05-16_p57.txt")
    assert doc.matters[0].dnr == ["TE/2018:210"] and doc.dnr == ["TE/2018:210"]


def test_a_proposal_of_the_namnd_to_the_fullmaktige_under_its_genitive_heading_is_the_decision():
    doc = real("kungsbacka_vo_protokollsutdrag_2025-12-11_p179.md")
    assert doc.matters[0].decision.startswith("Kommunfullmäktige avslår motionen mot bakgrund")


def test_a_report_named_by_its_kind_is_titled_by_it_and_a_labels_value_is_no_title():
    doc = real("kungsbacka_vo_2024-01-30_patientsakerhetsberattelse_2023.txt")
    assert doc.title == "Patientsäkerhetsberättelse" and doc.doc_type == "rapport"
    assert find_title("Plan för vinterväghållning\n\nKälla:\n\nTrafikverkets handbok om vinterväghållning\n\n", "") == "Plan för vinterväghållning"


def test_a_forms_heading_in_capitals_over_its_fields_is_its_title():
    doc = real("kungsbacka_vo_2024-08-15_behovsbeskrivning_digital_hemtjanst.txt")
    assert doc.title.startswith("BEHOVSBESKRIVNING VERKSAMHETSLOKAL FÖR DIGITAL HEMTJÄNST OCH HEMSJUKVÅRD")


def test_dates_after_a_label_are_revisions_and_the_latest_dates_the_document():
    doc = real("kungsbacka_ga_2025-05-02_programrad_verksamhetsrad_2024.txt")
    assert doc.title == "Programråd och verksamhetsråd, 2024" and doc.date == "2025-05-02"
    assert find_date("Uppdaterad: 2024-08-28, 2025-05-02\n") == "2025-05-02"
    assert find_date("Datum: 2024-05-02 och sedan 2024-06-01\n") == "2024-05-02"  # words between: no list of revisions
    assert find_date("Datum\n2024-05-02\n\nGäller 2023-01-01\n") == "2024-05-02"


def test_a_weekday_and_date_heading_minutes_is_no_title():
    doc = real("kungsbacka_ga_2025-04-28_verksamhetsrad_anpassad_gymnasieskola.txt")
    assert doc.title == "Verksamhetsråd för anpassad gymnasieskola" and doc.date == "2025-04-28"


def test_a_forms_body_label_and_a_statements_sender_name_the_body():
    assert real("kungsbacka_bygg_ombudget_resultatfond_2023_blankett.txt").body == "Byggnadsnämnden"
    doc = real("kungsbacka_miljo_2026-08-20_yttrande_namndbudget_2027.txt")
    assert doc.body == "Nämnden för Miljö & Hälsoskydd"  # the sender, not `Till` / `Byggnadsnämnden`
    # the recipient's number under a row of labels (`Ert diarienummer   Diarienummer`) is theirs
    assert doc.dnr == ["MH-2026-04033"]
    header = "YTTRANDE\nTill\nByggnadsnämnden\nErt diarienummer      Diarienummer\nBN 2026–00158\nMH-2026-04033\n"
    assert find_dnr(header) == ["MH-2026-04033"]
