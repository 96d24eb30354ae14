"""Extraction rules taught by the two retired HOLDOUT sets of data/eval/real/ (TUNE batches 12 and
13, `"retired_holdout"` in gold.json: Kungsbacka documents drawn at random, Nykarleby and Simrishamn
protocols), each pinned on the document that taught it, through the real pipeline, and on the
general form the rule covers. Both sets were measured as HOLDOUT for the last time under extract
2026-12-04.2 (518/550 checks) before anybody looked at them. docs/eval-real.md measures all of
them (`tune 12`, `tune 13`)."""

from __future__ import annotations

from conftest import proposal_items, real

from document import Section
from extract.agenda import _item_title
from extract.body import find_body, member_body, proposal_body
from extract.diary_numbers import find_dnr, listed_dnr
from extract.doctype import find_doc_type
from extract.municipality import find_municipality
from extract.proposals import administration_statement, extract_proposals, split_items
from extract.sections import heading_label, split_sections
from extract.title import find_title, names_no_subject
from normalize.bullets import restore_bullets
from swedish.dates import TEXT_DATE
from swedish.dnr import dnr_in

# --- a party's initiative: its proposals, signers and type ---------------------------------------


def test_a_partys_lead_in_opens_the_proposals():
    for line in ("Sverigedemokraterna yrkar på:", "Sverigedemokraterna yrkar enligt ovanstående:",
                 "Moderaterna, Liberalerna, Centerpartiet och Kristdemokraterna i Nämnden för Individ och "
                 "Familjeomsorg föreslår följande:", "Vi yrkar därför:"):
        assert heading_label(line) == "proposals", line
    assert heading_label("Sverigedemokraterna yrkar på") is None  # a colon makes the lead-in
    assert heading_label("Vi har tagit del av förslaget och föreslår följande:") is None  # not a party's
    assert len(proposal_items("kungsbacka_vo_2026-07-10_initiativarende_sd_hemtjanst.txt")) == 2
    assert len(proposal_items("kungsbacka_vo_2024-10-17_initiativ_sd_trygghetsombud.txt")) == 6


def test_a_lead_in_broken_over_two_lines_at_a_hyphen():
    doc = real("kungsbacka_ifo_2025-07-28_initiativarende_ratt_kurva.txt")
    assert [item[:30] for item in proposal_items("kungsbacka_ifo_2025-07-28_initiativarende_ratt_kurva.txt")] == [
        "Att uppdra åt förvaltningen at", "Att därefter återredovisa ären"]
    assert any(s.label == "proposals" and s.heading.startswith("Moderaterna, Liberalerna") for s in doc.sections)
    text = ("Inledning\nEn text om saken.\n\nSocialdemokraterna och Vänsterpartiet i Nämnden för Kultur & Fri-\n"
            "tid föreslår följande:\n\nAtt utreda frågan.\n")
    assert [s.label for s in split_sections(text)][-1] == "proposals"


def test_a_wrapped_att_line_goes_on_the_item_above():
    # `•  att nämnden uttalar … och att nämnden ger i uppdrag till förvaltningen` / `att omedelbart vidta …`
    bullets = ("•  att nämnden uppdrar åt presidiet att informera ledamöterna.\n\n"
               "•  att nämnden ger i uppdrag till förvaltningen\natt omedelbart vidta åtgärder.\n")
    assert len(split_items(bullets)) == 2
    capital = "Att uppdra åt förvaltningen att titta på möjligheten\natt införa programmet.\n\nAtt återredovisa.\n"
    assert len(split_items(capital)) == 2
    # a list of bare `att` clauses, and an item that ends in `samt`, are items all the same
    assert len(split_items("att godkänna planen\natt uppdra åt förvaltningen att följa upp\n")) == 2
    assert len(split_items("Att godkänna planen, samt\natt uppdra åt förvaltningen att följa upp.\n")) == 2


def test_signers_with_party_and_role_after_commas():
    doc = real("kungsbacka_vo_2026-07-10_initiativarende_sd_hemtjanst.txt")
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Per Hoel, SD, ledamot")
    text = "Förslag till beslut\nNämnden godkänner planen.\n\nAnna Berg, KD, ersättare nämnden för Teknik\n"
    assert split_sections(text)[-1].label == "signatures"


def test_a_partys_proposals_on_the_tjansteskrivelse_template_make_a_skrivelse():
    assert real("kungsbacka_vo_2026-07-10_initiativarende_sd_hemtjanst.txt").doc_type == "skrivelse"
    header = "TJÄNSTESKRIVELSE\n\nDatum\n2026-07-10\n"
    party = [Section("proposals", "Sverigedemokraterna yrkar på:", "•  att nämnden utreder.", 0)]
    office = [Section("proposals", "Förslag till beslut", "Nämnden godkänner.", 0)]
    assert find_doc_type(header, "Initiativärende från Per Hoel (SD)", party, "") == "skrivelse"
    # the administration's report on a party's initiative keeps its type
    assert find_doc_type(header, "Initiativärende (SD). Hot och våld", office + party, "") == "tjänsteskrivelse"


# --- an administration's statement under the proposals --------------------------------------------


def test_an_administrations_statement_is_no_decision():
    assert len(proposal_items("kungsbacka_ks_2025-05-05_arsredovisning_tjoloholm.txt")) == 1  # `Förvaltningen överlämnar …`
    assert len(proposal_items("kungsbacka_teknik_2026-04-16_atgardsplan_lekplatser.txt")) == 1  # `Förvaltningen för teknik föreslår …`
    assert administration_statement("Förvaltningen överlämnar frågan om ansvarsfrihet till kommunfullmäktige.")
    assert administration_statement("Förvaltningen för Vård & Omsorg bedömer att planen räcker.")
    assert not administration_statement("Förvaltningen får i uppdrag att återkomma i frågan.")
    assert not administration_statement("Miljöförvaltningen ges i uppdrag att utreda.")
    assert not administration_statement("Nämnden för Teknik godkänner planen.")
    sections = [Section("proposals", "Förslag till beslut", "Nämnden godkänner planen.\nFörvaltningen överlämnar frågan.\n", 0)]
    assert [p.items for p in extract_proposals(sections, "Nämnden")] == [["Nämnden godkänner planen."]]
    # alone under the heading, the administration's proposal is what the document proposes
    alone = [Section("proposals", "Förslag till beslut", "Förvaltningen föreslår att nämnden godkänner planen.\n", 0)]
    assert len(extract_proposals(alone, "Nämnden")[0].items) == 1


# --- a scanned protocol: short diary numbers on the § line, OCR's bullets ------------------------


def test_a_labelled_diary_number_with_a_short_serial_on_a_paragraph_line():
    doc = real("simrishamn_spn_protokoll_2024-04-25.pdf")
    first = next(m for m in doc.matters if m.paragraph == "§ 66")
    assert first.dnr == ["2024/1"] and first.title == "Upprop och val av justeringsperson"
    assert dnr_in("§ 66 Dnr 2024/1") == ["2024/1"]
    assert dnr_in("§ 72 Dnr. 2024/46") == ["2024/46"]
    assert dnr_in("Sammanträde 2024-05") == []  # a month, no number


def test_ocr_readings_of_a_bullet_get_their_bullet_back():
    doc = real("simrishamn_spn_protokoll_2024-04-25.pdf")
    assert next(m for m in doc.matters if m.paragraph == "§ 66").decision.startswith("• Inga-Lill Bjartén")
    assert restore_bullets("e Inga-Lill Bjartén (S) väljs.\n« Godkänna planen.\n") == "• Inga-Lill Bjartén (S) väljs.\n• Godkänna planen.\n"
    for kept in ("© Visma\n", "e-post: a@b.se\n", "e.Kr. räknas\n", "en Plan\n"):
        assert restore_bullets(kept) == kept


# --- a distribution list's last entry above the signers ------------------------------------------


def test_a_unit_with_its_field_is_the_lists_last_entry_not_the_signers():
    doc = real("kungsbacka_vo_2024-06-25_delegeringsforteckning_revidering.txt")
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Arian Faily")
    text = ("Förslag till beslut\nNämnden godkänner planen.\n\nBeslutet skickas till\nKommunikatör, Teknik\n\n"
            "Myndighetsenheten, Teknik\n\nAnna Berg                   Clara Engstrand\nFörvaltningschef            Enhetschef\n")
    sections = split_sections(text)
    assert sections[-1].label == "signatures" and sections[-1].text.startswith("Anna Berg")
    assert "Myndighetsenheten" in next(s.text for s in sections if s.label == "distribution")


# --- a party's motion without letterhead ------------------------------------------------------------


def test_a_partys_proposals_to_the_fullmaktige_make_a_motion():
    doc = real("kungsbacka_motion_2024-10-07_avgiftsfri_skolfrukost.txt")
    assert doc.doc_type == "motion"
    signatures = [s for s in doc.sections if s.label == "signatures"]
    assert signatures and signatures[0].text.startswith("Shabnam Zamani (S)")  # over `Ledamot Kommunfullmäktige`
    to_council = [Section("proposals", "Därför yrkar Socialdemokraterna:", "Att Kommunfullmäktige ger nämnderna i uppdrag.", 0)]
    to_board = [Section("proposals", "Därför yrkar Socialdemokraterna:", "Att nämnden utreder frågan.", 0)]
    assert find_doc_type("Avgiftsfri skolfrukost\n", "Avgiftsfri skolfrukost", to_council, "") == "motion"
    assert find_doc_type("Skötselytor\n", "Skötselytor", to_board, "") == "skrivelse"


# --- an agenda row whose title names another case's number ---------------------------------------


def test_an_agenda_rows_number_is_its_dnr_columns_not_the_titles():
    doc = real("kungsbacka_teknik_kallelse_2026-08-19.md")
    item = next(m for m in doc.matters if m.number == "8")
    assert item.dnr == ["TE-2026-00445"]
    assert item.title.startswith("Begäran om yttrande - Uppdaterad regional") and item.title.endswith("KS-2026-00379")
    assert "KS-2026-00379" not in doc.dnr


def test_a_time_slot_ends_a_one_word_agenda_title_and_a_broken_case_number_is_joined():
    assert "Resursfördelningsmodell" in [m.title for m in real("kungsbacka_fg_kallelse_2025-10-15.md").matters]
    titles = [m.title for m in real("kungsbacka_ga_kallelse_2025-02-20.md").matters]
    assert any(title.startswith("Beredning av motion") and title.endswith("(KS-2024-00583)") for title in titles)
    assert _item_title(["Budget", "Kl 16:25-16:40"]) == "Budget"
    assert _item_title(["PAUS 15 min"]) == "PAUS 15 min"  # a count after one word is the title
    assert _item_title(["Motion om skolfrukost (KS-", "2024-00583)"]) == "Motion om skolfrukost (KS-2024-00583)"


# --- letterhead fields: the recipient's number and municipality, marks around a date -----------


def test_the_recipients_number_and_municipality_are_not_the_documents():
    doc = real("kungsbacka_ks_2026-03-02_yttrande_fop_varobacka.txt")
    assert doc.dnr == ["KS-2026-00149"]  # not `Dnr: KS 2019/0299` under `Ert diarienummer`
    assert doc.municipality == "Kungsbacka"  # `Till` / `Varbergs kommun`, `Yttrande över Varbergs kommun remiss`
    assert doc.title.startswith("Yttrande över Varbergs kommun remiss: Granskning av fördjupad")
    assert real("kungsbacka_miljo_2026-09-22_yttrande_internkontrollplan_2027.txt").dnr == ["MH-2026-04470"]
    stacked = "YTTRANDE\nDiarienummer\nErt diarienummer\nMH-2026-04470\nBN 2026-00198\n\nYttrande över planen\n"
    assert find_dnr(stacked) == ["MH-2026-04470"]
    assert find_dnr("Diarienummer: KS-2026-00010\nErt diarienummer: BN-2026-00020\n") == ["KS-2026-00010"]
    assert find_dnr("Diarienummer\nKS-2026-00010\n") == ["KS-2026-00010"]
    header = "YTTRANDE\nKommunstyrelsen\nTill Datum\nVarbergs kommun 2026-03-02\n"
    text = header + "Kungsbacka kommun är positiv.\nKungsbacka kommun\nwww.kungsbacka.se\n"
    assert find_municipality(header, text) == "Kungsbacka"
    assert find_municipality("KUNGSBACKA KOMMUN\nTill Datum\nVarbergs kommun 2026-03-02\n", "") == "Kungsbacka"


def test_lines_of_marks_around_a_date_are_no_title():
    assert real("kungsbacka_vo_2024-10-17_initiativ_sd_trygghetsombud.txt").title == "Trygghetsombud inom äldreomsorgen - En värdig ålderdom"
    assert real("kungsbacka_motion_2024-10-07_avgiftsfri_skolfrukost.txt").title == "Avgiftsfri skolfrukost"
    for line in ("Initiativärende NVO 17 oktober 2024", "S Socialdemokraterna 2024-10-07", "Varbergs kommun 2026-03-02",
                 "Motion till Kommunfullmäktige"):
        assert names_no_subject(line), line
    for line in ("Initiativärende om trygghetsombud 17 oktober 2024", "Budget 2027", "Årsredovisning 2024-12-31 för Kungsbacka kommun"):
        assert not names_no_subject(line), line
    motion = ("Kr ;\nS Socialdemokraterna 2024-10-07\n\nAvgiftsfri skolfrukost\n\nDaglig, regelbunden skolfrukost gör "
              "skolbarn friskare och smartare, och forskningen visar att\nbarn som äter frukost lär sig bättre.\n")
    assert find_title(motion, "") == "Avgiftsfri skolfrukost"


# --- the deciding body: signers' membership, an arbetsutskott beside its nämnd, a protocol's heading --


def test_a_partys_initiative_is_of_the_body_its_signers_sit_in():
    assert real("kungsbacka_vo_2026-07-10_initiativarende_sd_hemtjanst.txt").body == "Nämnden för Vård och Omsorg"
    assert real("kungsbacka_vo_2024-10-17_initiativ_sd_trygghetsombud.txt").body == "Nämnden för Vård och Omsorg"
    signed = [Section("signatures", "", "Anna Berg, M, ersättare Byggnadsnämnden\n", 0)]
    assert member_body(signed) == "Byggnadsnämnden"
    assert member_body([Section("signatures", "", "Anna Berg (M)\nLedamot Kommunfullmäktige\n", 0)]) == "Kommunfullmäktige"
    assert member_body([Section("signatures", "", "Anna Berg\nEnhetschef\n", 0)]) == ""


def test_the_nämnd_decides_beside_its_arbetsutskott():
    assert real("kungsbacka_bygg_2025-06-12_sammantradesdagar_2026.txt").body == "Byggnadsnämnden"
    sections = [Section("proposals", "Förslag till beslut i byggnadsnämndens arbetsutskott", "Arbetsutskottet sammanträder i maj.\n", 0),
                Section("proposals", "Förslag till beslut i byggnadsnämnden", "Byggnadsnämnden sammanträder i juni.\n", 50)]
    assert proposal_body(sections) == "Byggnadsnämnden"
    # a title's lower-case rest (`… och byggnadsnämndens` / `arbetsutskott`) is no body line
    assert find_body("TJÄNSTESKRIVELSE\nSammanträdesdagar för byggnadsnämnden och byggnadsnämndens\narbetsutskott\n") == ""


def test_a_protocols_type_after_the_bodys_name_is_no_part_of_it():
    assert real("simrishamn_spn_protokoll_2024-04-25.pdf").body == "Samhällsplaneringsnämnden"
    assert find_body("Kultur- och fritidsnämnden Sammanträdesprotokoll\n2024-04-25\n") == "Kultur- och fritidsnämnden"


# --- dates and listed numbers ------------------------------------------------------------------------


def test_a_date_written_out_is_not_read_across_a_blank_line():
    assert real("kungsbacka_vo_protokoll_2025-02-20.md").date == "2025-02-20"
    assert TEXT_DATE.search("Sammanträde den 18 februari\n2025")
    assert not TEXT_DATE.search("sammanträdesdagen 10 december\n\n2025 ........ 21")


def test_the_numbers_under_a_text_tables_diary_number_column():
    doc = real("kungsbacka_service_2026-05-20_sammanstallning_delegeringsbeslut_juni.txt")
    assert {"AVTAL-2026-00161", "SE-2023-00070", "SE-2026-00112"} <= set(doc.dnr) and len(doc.dnr) == 13
    table = ("Diarienr. Beslut enligt delegeringsförteckningen\nAVTAL-2026-00161 2.1.10 Avtal\nAnna Berg\n"
             "SE-2023-00070 2.1.13 Incident\n")
    assert listed_dnr(table) == ["AVTAL-2026-00161", "SE-2023-00070"]
    assert listed_dnr("Ett stycke.\nSE-2023-00070 2.1.13 Incident\nAVTAL-2026-00161 2.1.10 Avtal\n") == []  # no column heading
    assert listed_dnr("Dnr KS 2024/12 gäller.\nSE-2023-00070 2.1.13 Incident\nAVTAL-2026-00161 2.1.10 Avtal\n") == []  # a number, no heading
