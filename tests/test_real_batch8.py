"""Extraction rules taught by the eighth TUNE batch of data/eval/real/ (Kungsbacka documents
chosen for varied proposal layouts and ways of naming the deciding body: Byggnadsnämnden and
its arbetsutskott, Kommunstyrelsen and its arbetsutskott, Kommunfullmäktige, Kultur & Fritid,
Förskola & Grundskola, Service, Gymnasium & Arbetsmarknad, Vård & Omsorg; 2024–2025 bundles),
each pinned on the document that taught it, through the real pipeline, and on the general
form the rule covers. docs/eval-real.md measures all of them (`tune 8`)."""

from __future__ import annotations

from conftest import proposal_items, real
from document import Section
from extract.body import find_body
from extract.document_date import find_date, is_dateline
from extract.proposals import decision_subject, extract_proposals
from extract.sections import split_sections
from extract.title import find_title, type_and_addressee


def _signatures(name: str) -> str:
    return next((s.text for s in real(name).sections if s.label == "signatures"), "")


# --- the deciding body ---------------------------------------------------------------------


def test_a_two_part_body_name_written_in_lower_case_is_the_whole_name():
    doc = real("kungsbacka_fg_2025-03-24_namndens_arshjul.txt")  # `Nämnden för förskola och grundskola har tagit del …`
    assert doc.body == "Nämnden för förskola och grundskola"
    assert decision_subject("Nämnden för vård och omsorg godkänner rapporten.") == "Nämnden för vård och omsorg"
    assert decision_subject("Nämnden för Förskola & Grundskola antar policyn.") == "Nämnden för Förskola & Grundskola"
    # a name cut off after `för` is no name: the document's body decides
    assert decision_subject("Nämnden för teknik godkänner rapporten.") == ""
    assert decision_subject("Kommunstyrelsen för sin del godkänner avtalet.") == "Kommunstyrelsen"


# --- titles --------------------------------------------------------------------------------


def test_a_line_of_type_and_addressee_is_no_title():
    doc = real("kungsbacka_motion_2025-08-25_vardagshjaltar.txt")  # `2025-08-25  Kungsbacka` / `Motion till Kommunfullmäktige` / title
    assert doc.title == "Hedra pandemins vardagshjältar"
    assert doc.doc_type == "motion" and doc.body == "Kommunfullmäktige"
    header = "2024-03-01            Göteborg\n\nMedborgarförslag till Kommunfullmäktige\n\nFler parkbänkar i centrum\n\n" \
             "Vi som bor i centrum saknar platser att vila på när vi går till affären och därför föreslår vi fler bänkar.\n"
    assert find_title(header, "", "Medborgarförslag till Kommunfullmäktige") == "Fler parkbänkar i centrum"
    assert is_dateline("2025-08-25          Kungsbacka") and not is_dateline("Budget 2025-01-01 för Kungsbacka kommun")


# --- signatures ----------------------------------------------------------------------------


def test_a_signers_role_a_blank_line_below_the_name():
    # `Per Gunnarsson` / `` / `Ledamot Kommunfullmäktige` / `(Idégivare …)`: no heading, and the name signs
    assert _signatures("kungsbacka_motion_2025-08-25_vardagshjaltar.txt").startswith("Per Gunnarsson")
    assert proposal_items("kungsbacka_motion_2025-08-25_vardagshjaltar.txt") == [
        "Att ett minnesmärke, till exempel i form av ett konstverk, uppförs för att hedra pandemins vardagshjältar"]
    text = ("Förslag till beslut\n\nNämnden godkänner rapporten.\n\nAnna Andersson\n\nLedamot Kulturnämnden\n"
            "(Ersättare Karin Berg, Ledamot i nämnden för Kultur & Fritid)\n")
    sections = split_sections(text)
    assert [s.label for s in sections] == ["header", "proposals", "signatures"] or [s.label for s in sections] == ["proposals", "signatures"]
    assert sections[-1].text.startswith("Anna Andersson")


def test_signers_with_role_and_party_in_parentheses_side_by_side():
    # `Marianne Wallengren (Ledamot M) Thure Sandén (Ordförande M)` over two more such lines
    assert _signatures("kungsbacka_bygg_skrivelse_2023-12-14_initiativ_forenkling.txt").startswith("Marianne Wallengren (Ledamot M)")
    items = proposal_items("kungsbacka_bygg_skrivelse_2023-12-14_initiativ_forenkling.txt")
    assert len(items) == 3 and items[-1].endswith("vilka kriterier var inte uppfyllda.")
    text = ("Förslag till beslut\n\nNämnden godkänner rapporten.\n\n"
            "Anna Andersson (Ledamot S)     Erik Johansson (Vice ordförande KD)\n")
    assert split_sections(text)[-1].label == "signatures"


def test_politicians_signing_one_under_the_other():
    # `Anders Petersson (S)` / `` / `Renée Sylvan (S)` / `` / `Mikael Delin (S)`: all three sign
    assert _signatures("kungsbacka_miljo_skrivelse_2025-10-26_initiativ_deponier.txt").startswith("Anders Petersson (S)")
    text = "Bakgrund\n\nVi vill att kommunen utreder frågan om fler cykelbanor i centrum.\n\nAnna Andersson (M)\n\nErik Johansson (KD)\n"
    assert split_sections(text)[-1].text.startswith("Anna Andersson (M)")
    # a list of recipients above one signer stays the list's
    listed = "Beslutet skickas till\nEva Holmberg\nSofia Jonsson\n\nKatarina Öryd   Veronica Löfqvist\nFörvaltningschef   Registrator\n"
    assert split_sections(listed)[-1].text.startswith("Katarina Öryd")


# --- letters without a letterhead: an application, an initiative ---------------------------


def test_an_application_addressed_to_a_body_in_a_municipality():
    doc = real("kungsbacka_ga_skrivelse_2025-10-28_ansokan_praktikinsatser.txt")  # `Till: Kommunstyrelsen i Kungsbacka`, `Datum: 20251028`
    assert (doc.doc_type, doc.body, doc.date) == ("skrivelse", "Kommunstyrelsen", "2025-10-28")
    assert find_body("Ansökan om medel\n\nTill: Kommunfullmäktige i Göteborgs Stad\n") == "Kommunfullmäktige"
    assert find_body("Till: Nämnden för Vård & Omsorg\n") == "Nämnden för Vård & Omsorg"
    assert find_date("Ansökan\n\nDatum: 20240131\n") == "2024-01-31"
    assert find_date("Ansökan\n\nDok.nr 20240131\n") == ""  # eight digits without a date label are a number
    assert find_date("Datum: 20241399\n") == ""


def test_a_bare_proposal_heading_describes_when_the_decision_has_its_own():
    # `Förslag` / `Förvaltningen … föreslår att kommunstyrelsen beviljar …` / `Medlen ska användas till:` …
    # then `Beslutsförslag` / `Kommunstyrelsen beslutar att bevilja 500 000 kronor …`
    assert proposal_items("kungsbacka_ga_skrivelse_2025-10-28_ansokan_praktikinsatser.txt") == [
        "Kommunstyrelsen beslutar att bevilja 500 000 kronor till förvaltningen för Gymnasium och Arbetsmarknad för att "
        "möjliggöra fler och bättre praktikinsatser för elever inom anpassad gymnasieskola under 2026."]
    assert len(proposal_items("kungsbacka_ga_skrivelse_2025_ansokan_socialt_stod_gymnasiet.txt")) == 1
    idea = Section(label="proposals", heading="Förslag", text="Vi vill anställa en socialpedagog.\n\nDet ger eleverna stöd.", start=0)
    decision = Section(label="proposals", heading="Beslutsförslag", text="Kommunstyrelsen beslutar att bevilja medlen.", start=0)
    assert [p.items for p in extract_proposals([idea, decision], "")] == [["Kommunstyrelsen beslutar att bevilja medlen."]]
    # alone, a bare `Förslag:` is the proposal (a Finland-Swedish protocol's)
    assert [len(p.items) for p in extract_proposals([idea], "")] == [2]


def test_a_line_of_type_and_sending_party_is_no_title():
    doc = real("kungsbacka_miljo_skrivelse_2025-10-26_initiativ_deponier.txt")  # `Initiativ från Socialdemokraterna      Kungsbacka`
    assert doc.title.startswith("Utredning av Gamla Deponier")
    assert doc.doc_type == "skrivelse" and doc.date == "2025-10-26"
    assert type_and_addressee("Initiativ från Moderaterna") and not type_and_addressee("Initiativ från Alliansen")
