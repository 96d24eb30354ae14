"""Restoration of OCR-damaged Swedish (normalize/restore.py): the hard cases of issue 3,
recorded edits, and no damage to clean text: real clean passages (g0vse, Kungsbacka),
addresses, English phrases, abbreviations, compounds hunspell-sv does not make."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, sample
from ingest.reader import read_document
from lexicon import load
from normalize import normalize_text
from normalize.damage import FOREIGN, INTACT, MIN_DAMAGE, NEUTRAL, RESTORABLE, local_damage
from normalize.foreign import english_runs
from normalize.restore import restore_swedish
from normalize.spans import protected_spans

REAL = ROOT.parent / "shared" / "real"

# A real damaged text layer (the start of sample 002's OCR'd PDF, English tesseract), so
# that the damage estimated around a line after it is that of an OCR'd document.
DAMAGED_CONTEXT = """Vald i nara relationer och hedersrelaterat fértryck,
redovisning av utredningsuppdrag

Forslag till beslut
1. Omsorgskontorets forslag tillstyrks.

Forslag till kommunstyrelsens beslut
1. Uppdrag ges till kommunledningsforvaltningen att sakerstalla att vald i
nara relationer och hedersrelaterat fértryck beaktas och féljs upp i
relevanta kommunévergripande handlingsplaner och policydokument.
"""


def restored_line(line: str) -> str:
    """Restore `line` as part of a damaged document; return its restored form."""
    text, _ = restore_swedish(DAMAGED_CONTEXT + "\n" + line + "\n")
    return text.rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Social- och omsorgsférvaltningen föreslår.", "Social- och omsorgsförvaltningen föreslår."),
        ("Det gäller vald 1 néra relationer.", "Det gäller våld i nära relationer."),
        ("Uppdraget ges till Stdngéstaden.", "Uppdraget ges till Stångåstaden."),
        ("Kommunen som &dgare ger uppdraget.", "Kommunen som ägare ger uppdraget."),
        ("Det ger en 6kad risk.", "Det ger en ökad risk."),
        ("Linképings kommun", "Linköpings kommun"),
        ("Handläggare Anna Séderstr6m", "Handläggare Anna Söderström"),
        ("Ett bes6k i hemmet.", "Ett besök i hemmet."),
        ("Buller som stér sémnen.", "Buller som stör sömnen."),
        ("Kommunen vill dka tryggheten.", "Kommunen vill öka tryggheten."),
        ("Nämnden far information.", "Nämnden får information."),
        ("Det ar viktigt.", "Det är viktigt."),
        ("Uppföljning sker varje ar.", "Uppföljning sker varje år."),
        ("Arende", "Ärende"),
    ],
)
def test_every_example_of_the_issue_is_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Det gäller omsorgsforvaltningens budget.", "Det gäller omsorgsförvaltningens budget."),
        ("Se samradsredogorelse och verksamhetsuppdraget.", "Se samrådsredogörelse och verksamhetsuppdraget."),
        ("De jamstalldhetspolitiska malen.", "De jämställdhetspolitiska målen."),
        ("En kommunovergripande plan.", "En kommunövergripande plan."),
        ("Ett stadsmiljéférvaltningen yttrande.", "Ett stadsmiljöförvaltningen yttrande."),
    ],
)
def test_long_compounds_are_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Arendebeskrivning", "Ärendebeskrivning"),
        ("FORSLAG TILL BESLUT", "FÖRSLAG TILL BESLUT"),
        ("VAld i hemmet", "Våld i hemmet"),
        ("Samrad har skett med polis, Aklagare och bostadsbolag.", "Samråd har skett med polis, åklagare och bostadsbolag."),
    ],
)
def test_capitals_are_restored(damaged, restored):
    assert restored_line(damaged) == restored


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Arbetet mot vald i nara relationer.", "Arbetet mot våld i nära relationer."),
        ("Beslut for nämnden.", "Beslut för nämnden."),
        ("Hur man som enskild kan agera.", "Hur man som enskild kan agera."),
        ("Det gäller kvinnor och man.", "Det gäller kvinnor och män."),
        ("Kommunens mal för 2024.", "Kommunens mål för 2024."),
        ("Hon bor i Linköping.", "Hon bor i Linköping."),
        ("Arbetet bor bedrivas framat.", "Arbetet bör bedrivas framåt."),
        ("Det ska vara värd att besöka.", "Det ska vara värd att besöka."),
        ("Hemtjänst och vard av äldre.", "Hemtjänst och vård av äldre."),
        ("Kostnaden är 3 miljoner kronor per ar.", "Kostnaden är 3 miljoner kronor per år."),
        ("Personer som ar 80 ar och äldre.", "Personer som är 80 år och äldre."),
        ("Det fortsatta arbetet.", "Det fortsatta arbetet."),
        ("Enligt bilaga 1 och 2.", "Enligt bilaga 1 och 2."),
    ],
)
def test_context_decides_between_readings(damaged, restored):
    assert restored_line(damaged) == restored


def test_names_and_unknown_words_are_left_alone():
    line = "Avtal med Leanlink och Maria Moraes (MP), se https://www.linkoping.se/kommunovergripande_mal.pdf"
    assert restored_line(line) == line


def test_every_change_is_recorded_where_it_is():
    text, edits = restore_swedish(DAMAGED_CONTEXT)
    assert edits
    for edit in edits:
        assert text[edit.start : edit.start + len(edit.after)] == edit.after
        assert edit.before != edit.after
        assert 0.5 <= edit.confidence <= 1.0
        assert edit.rule == "ocr-restore"
    assert {("fértryck", "förtryck"), ("Forslag", "Förslag"), ("kommunévergripande", "kommunövergripande")} <= {
        (e.before, e.after) for e in edits
    }


CLEAN = """Hon blev vald till ordförande för nämnden. Man kan inte säga att arbetet är klart,
men det har gått framåt under året. Kommunen har en far och en mor som kontaktperson,
och målet är att alla ska få stöd. Regeringen och Bostadsbolaget Leanlink står bakom.
"""


def test_clean_text_is_left_alone():
    text, edits = restore_swedish(CLEAN)
    assert text == CLEAN
    assert edits == []


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_digital_text_layers_keep_their_correct_words(prefix):
    """On the digital seed PDFs restoration changes at most 1 word in 1 000."""
    text, _ = normalize_text(read_document(sample(prefix), reocr="never").text, restore=False)
    restored, edits = restore_swedish(text)
    words = len(re.findall(r"\w+", text))
    assert len(edits) <= words / 1000, edits


# Real clean text, as written: passages of g0vse TUNE files (/work/shared/real/g0vse, files
# 0000–0999; the file number is given), each of which the per-document damage estimate
# used to change (`hogre` → `högre` in a link, `Sager` → `Säger`, `4en` → `äen` …).
CLEAN_REAL = {
    "markdown link (0021)": """Regeringen föreslår ändringar i reglerna om revisorer och revision. Huvudsyftet med förslagen är att stärka revisionskvaliteten och revisorns oberoende. Därmed stärks även allmänhetens förtroende för revisionen.
[Pressmeddelande: Högre krav på revisionen](/pressmeddelanden/2016/03/hogre-krav-pa-revisionen/)
""",
    "paths in JSON (0243)": """    {
        "title": "Förordningsmotiv för förordning om ändring i högskoleförordningen (1993:100), Fm 2024:1",
        "url": "/rattsliga-dokument/forordningsmotiv/2024/07/fm-20241/",
                "url": "/contentassets/a363789d5b3247f680452bd30cf13919/forordningsmotiv-for-forordning-om-andring-i-hogskoleforordningen-1993100-fm-20241.pdf"
    }
""",
    "e-mail addresses (0053)": """Remissvaren ska ha kommit in till Näringsdepartementet senast den 31 mars 2016. Remissvaren önskas i elektronisk form via e-post till [Näringsdepartementets registrator](mailto:n.registrator@regeringskansliet.se "E-post till Näringsdepartementets registrator")med kopia till [Maria Edlund](mailto:maria.edlund@regeringskansliet.se "E-post till Maria Edlund") i både Word- och pdf-format.
Frågor under remisstiden kan ställas till [Ivar Frostenson](mailto:ivar.frostenson@regeringskansliet.se "E-post till Ivar Frostenson "), telefonnummer 08-405 35 32.
""",
    "surname (0058)": """* **Morten Sager**, docent och universitetslektor vid Göteborgs universitet. Han är huvudansvarig för masterutbildningen i evidensbasering och har bland annat sammanställt forskning om insatser för att förebygga rekrytering till våldsbejakande extremism.
""",
    "name with a particle (0593)": """FN:s klimatkonferens COP30 äger rum i Belém i Brasilien den 10–21 november. Inför förhandlingarna hålls ett högnivåmöte där Brasiliens president Luiz Inácio Lula da Silva står som värd.
""",
    "English names (0419, 0358)": """* Micael Dahlén, professor i företagsekonomi vid Handelshögskolan i Stockholm där han leder Center for Wellbeing, Welfare and Happiness
* 2002-2004: Generaldirektör för International Fund for Ireland
""",
    "English title and link (0523)": """Det bilaterala 6G-uttalandet med USA kompletterar det uttalande som Sverige tillsammans med USA och åtta andra länder ställde sig bakom tidigare i år om principer för forskning och utveckling av 6G: [Joint statement on principles for development of future 6G policies](https://www.government.se/press-releases/2024/03/joint-statement-on-principles-for-development-of-future-6g-policies/)
""",
    "compounds (0043, 0918)": """Ministrarna fick ta del av en lägesuppdatering från EU-kommissionen om arbetet med förslagen om en stark och hållbar algindustri i EU och om energiomställningen i EU:s fiskeflotta och vattenbruk.
Reglerna om lovfria komplementbyggnader, komplementbostadshus och tillbyggnader blir mer flexibla, och fler och större åtgärder ska kunna vidtas utan krav på bygglov, särskilt i områden som inte omfattas av en detaljplan.
""",
    "a word with another reading (0114)": """Jag vill tacka alla som orkar och vågar berätta – vi ser er, vi agerar, vi står bakom er och här kommer vi att stå kvar.
""",
    "chemical names (0100)": """* ADB-4en-5Br-PINACA (ADMB-4en-5Br-PINACA) – hallucinogen substans tillhörande gruppen cannabinoider.
""",
    "North Sami (0530)": """Ovttaskas olmmoš, joavku dahje searvvuš Norggas, Ruoŧas, Suomas ja Ruoššas sáhttá dahkat evttohusa jagi 2020 bálkkašumi vuoitin. Evttohus bálkkašumi vuoitin oktan čálalaš ákkastallamiin, man guhkkodat oažžu leat eanemustá 1-2 siiddu, galgá ollet 16.8.2020 beaivvi rádjai dán čujuhussii:

FI-99870 Anár
""",
}


@pytest.mark.parametrize("name", sorted(CLEAN_REAL))
def test_real_clean_passages_are_left_alone(name):
    text = CLEAN_REAL[name]
    restored, edits = restore_swedish(text)
    assert [(e.before, e.after) for e in edits] == []
    assert restored == text


def test_real_clean_passages_together_are_left_alone():
    text = "\n".join(CLEAN_REAL.values())
    assert restore_swedish(text) == (text, [])


def test_a_real_building_permit_document_keeps_lovplikt():
    """Kungsbacka's tjänsteskrivelse on simpler building permits (pdfplumber text): `lovplikt`
    and `lovbefrielse` are Swedish (bygglov), not `lövplikt`; nothing in it is damaged."""
    path = REAL / "documents" / "kungsbacka_bn_tjansteskrivelse_initiativ_forenkling_bygglov.txt"
    text, _ = normalize_text(path.read_text(encoding="utf-8"), restore=False)
    assert text.count("lovplikt") >= 10 and "lovbefrielse" in text
    restored, edits = restore_swedish(text)
    assert [(e.before, e.after) for e in edits] == []
    assert restored == text


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        (
            "Atgarden kraver bygglov men inte lovplikt, och lovbefrielse galler for komplementbyggnader.",
            "Åtgärden kräver bygglov men inte lovplikt, och lovbefrielse gäller för komplementbyggnader.",
        ),
        ("Insatser enligt SoL och LSS ska ges nar behovet finns.", "Insatser enligt SoL och LSS ska ges när behovet finns."),
        ("Samarbete med SiS och FoU-enheten har inletts for att starka arbetet.", "Samarbete med SiS och FoU-enheten har inletts för att stärka arbetet."),
        ("Han leder Center for Wellbeing, Welfare and Happiness vid Handelshogskolan.", "Han leder Center for Wellbeing, Welfare and Happiness vid Handelshögskolan."),
        ("Hon ar ansvarig for International Fund for Ireland.", "Hon är ansvarig för International Fund for Ireland."),
        (
            "Se /rattsliga-dokument/forordningsmotiv/2024/07/ och regeringen.se/forslag for mer.",
            "Se /rattsliga-dokument/forordningsmotiv/2024/07/ och regeringen.se/forslag för mer.",
        ),
        ("Fragor stalls till goran.forsberg@linkoping.se senast i maj.", "Frågor ställs till goran.forsberg@linkoping.se senast i maj."),
        ("Bilaga: forslag_till_beslut.pdf och C:\\arenden\\forslag.docx", "Bilaga: forslag_till_beslut.pdf och C:\\arenden\\forslag.docx"),
        ("* ADB-4en-5Br-PINACA – en substans som ar narkotika.", "* ADB-4en-5Br-PINACA – en substans som är narkotika."),
    ],
)
def test_damaged_text_is_repaired_around_what_must_be_kept(damaged, restored):
    """In a damaged document, too: compounds hunspell-sv does not make, abbreviations,
    English phrases, addresses, file names and codes are kept, their neighbours repaired."""
    assert restored_line(damaged) == restored


def test_a_clean_passage_beside_a_damaged_one_is_left_alone():
    """A digital page and a scanned one in one document: each passage is judged by its own words."""
    clean = CLEAN_REAL["markdown link (0021)"] + CLEAN_REAL["compounds (0043, 0918)"]
    text, edits = restore_swedish(clean + "\n" + DAMAGED_CONTEXT)
    assert text.startswith(clean)
    assert edits and all(edit.start >= len(clean) for edit in edits)
    assert "Förslag till beslut" in text and "våld i\nnära relationer" in text


def test_protected_spans_are_addresses_paths_and_codes():
    text = (
        "Se [beslutet](/rattsliga-dokument/forordningsmotiv/2024/07/) och https://www.linkoping.se/mal, "
        "mejla anna.forsberg@kommun.se eller läs kommun.se/forslag, bilaga forslag.pdf, "
        "ADB-4en-5Br-PINACA, och/eller 2023/24:12 t.ex. COVID-19."
    )
    found = [text[start:end] for start, end in protected_spans(text)]
    assert found == [
        "/rattsliga-dokument/forordningsmotiv/2024/07/",
        "https://www.linkoping.se/mal,",
        "anna.forsberg@kommun.se",
        "kommun.se/forslag,",
        "forslag.pdf",
        "ADB-4en-5Br-PINACA",
    ]


def test_english_runs_need_an_english_word_that_is_nothing_else():
    words = "policyn for arbetet och Center for Wellbeing and Happiness samt for over".split()
    titled = [word[0].isupper() for word in words]
    assert english_runs(words, titled=titled) == {5, 6, 7, 8}  # `for over` may be `för över`


def test_compounds_hunspell_does_not_flag_are_known_loosely():
    lexicon = load()
    assert not lexicon.is_word("lovplikt")
    assert lexicon.loose_compound("lovplikt") == pytest.approx((4.6, 4.0), abs=0.3)
    assert lexicon.loose_compound("lovbefrielsen") is not None
    # not where the first part is itself a likely reading of another word, or a function word
    assert lexicon.loose_compound("forstudien") is None  # för|studien
    assert lexicon.loose_compound("forslag") is None


def _passage(name: str, kinds: list[int], repeats: int = 10) -> list[tuple[str, int]]:
    """Distinct words (`clean0`, `clean1`, …) of these kinds, in turn."""
    return [(f"{name}{i}", kinds[i % len(kinds)]) for i in range(repeats * len(kinds))]


def test_damage_is_judged_by_the_words_around():
    """Shares of the kinds roughly as in real text (normalize/damage.py)."""
    clean = _passage("clean", [INTACT, NEUTRAL, NEUTRAL])
    damaged = _passage("damaged", [RESTORABLE, NEUTRAL, NEUTRAL, NEUTRAL])
    foreign = _passage("foreign", [FOREIGN, FOREIGN, NEUTRAL, RESTORABLE])

    def levels(words):
        return local_damage([w for w, _ in words], [k for _, k in words])

    assert set(levels(clean)) == {MIN_DAMAGE}
    assert min(levels(damaged)) > 0.8  # (10 + 0.1) / (10 + 2.1): ten damaged words, none intact
    assert set(levels(foreign)) == {MIN_DAMAGE}
    mixed = levels(clean + damaged + foreign)
    assert mixed[0] == MIN_DAMAGE and mixed[len(clean) + len(damaged) // 2] > 0.5 and mixed[-1] == MIN_DAMAGE
    # one word that looks damaged does not make a clean passage damaged
    one = clean[:45] + [("forvaltningen", RESTORABLE)] + clean[45:]
    assert max(levels(one)) < 1e-4
