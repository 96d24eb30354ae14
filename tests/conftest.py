"""Shared fixtures: the sample PDFs, the real embedding model, and an archive with the
samples ingested once per test session."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from config import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
TEXT_DIRS = (ROOT / "data" / "eval" / "corpus", ROOT / "data" / "eval" / "ocr")
REAL_DIRS = (ROOT.parent / "shared" / "real" / "documents", ROOT / "data" / "eval" / "real" / "documents")


def sample(prefix: str, kind: str = "pdf") -> Path:
    """The sample PDF of a seed: kind `pdf` (text layer), `ocr` or `scan`."""
    suffix = {"pdf": "", "ocr": ".ocr", "scan": ".scan"}[kind]
    (path,) = [p for p in SAMPLES.glob(f"{prefix}_*.pdf") if p.name.endswith(f"{suffix}.pdf") and p.name.count(".") == 1 + bool(suffix)]
    return path


@lru_cache(maxsize=None)
def real(name: str):
    """A real document (../shared/real/ or data/eval/real/) through the whole pipeline, once per run."""
    from pipeline.process import process_file

    path = next((folder / name for folder in REAL_DIRS if (folder / name).exists()), None)
    if path is None:
        pytest.skip(f"{name} is not here")
    return process_file(path)


def proposal_items(name: str) -> list[str]:
    """The att-satser of a real document's proposals, in order."""
    return [item for proposal in real(name).proposals for item in proposal.items]


def seed_opening(prefix: str, lines: int = 30) -> str:
    """The first `lines` lines (paragraphs) of a seed document: a real but shorter document,
    for tests about the archive's bookkeeping rather than its text (the model's time grows
    with the text)."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[:lines]) + "\n"


def swedish_paragraphs(count: int = 100) -> list[str]:
    """Paragraphs of the Swedish documents, evenly spread over all of them."""
    unique: dict[str, None] = {}  # in order, without repeats
    for folder in TEXT_DIRS:
        for path in sorted(folder.glob("*.txt")):
            unique |= dict.fromkeys(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 6)
    paragraphs = list(unique)
    assert len(paragraphs) >= count
    step = len(paragraphs) / count
    return [paragraphs[int(n * step)] for n in range(count)]


@pytest.fixture(scope="session")
def embedder():
    from index.embed.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def sample_archive_dir(tmp_path_factory, embedder):
    """A data dir with data/samples/ ingested as their text layers are (read-only for tests).

    Re-OCR is off here to keep the suite quick (it has its own tests), so the image-only
    scan is the one file that fails."""
    from pipeline.writer import ArchiveWriter

    data_dir = tmp_path_factory.mktemp("archive")
    with ArchiveWriter(Settings(data_dir=data_dir, reocr="never"), embedder=embedder) as archive:
        report = archive.ingest([SAMPLES])
    assert [Path(result.path).name for result in report.failed] == [sample("003", "scan").name]
    return data_dir


@pytest.fixture()
def sample_archive(sample_archive_dir, embedder):
    from pipeline.writer import ArchiveWriter

    with ArchiveWriter(Settings(data_dir=sample_archive_dir, reocr="never"), embedder=embedder) as archive:
        yield archive
