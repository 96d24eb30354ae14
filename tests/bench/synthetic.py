"""A synthetic archive of any size, grown from the real documents, for benchmarks.

The seed documents (data/eval/corpus, data/eval/ocr and /work/shared/seeds texts) are
run once through the real pipeline (`process_file` on the .txt files), which gives
Documents with real sections. Each synthetic document then takes one of them as its
skeleton and varies it: every section's paragraphs are shuffled with paragraphs of the
same section label from other documents (a `proposals` section gets other proposals,
an `economy` section other economy text), and the dnr, date, municipality and body
are drawn anew. Text, section offsets and doc id are rebuilt, so the result is an
ordinary `Document` that `Archive.write_points` chunks and indexes like any other.

`documents_for_chunks(n)` yields documents until about `n` chunks are made.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from document import Document, Section
from swedish.data import municipalities
from index.chunking import chunk_document

ROOT = Path(__file__).resolve().parents[2]
SEED_DIRS = (ROOT / "data" / "eval" / "corpus", ROOT / "data" / "eval" / "ocr", Path("/work/shared/seeds"))
BODIES = (
    "Kommunstyrelsen", "Socialnämnden", "Barn- och utbildningsnämnden", "Tekniska nämnden", "Kultur- och fritidsnämnden",
    "Miljö- och hälsoskyddsnämnden", "Stadsbyggnadsnämnden", "Äldrenämnden", "Kommunfullmäktige", "Servicenämnden",
)
DNR_PREFIXES = ("KS", "SN", "BUN", "TN", "KFN", "MHN", "SBN", "ÄN", "KF", "SEN")


def seed_texts() -> list[Path]:
    """One .txt per seed document (the same text found twice is taken once)."""
    seen: set[str] = set()
    paths = []
    for folder in SEED_DIRS:
        for path in sorted(folder.glob("*.txt")) if folder.exists() else []:
            key = path.name.split(".")[0]
            if key not in seen and ".gold" not in path.name:
                seen.add(key)
                paths.append(path)
    return paths


@lru_cache(maxsize=1)
def seed_documents() -> tuple[Document, ...]:
    from pipeline.process import process_file

    return tuple(process_file(path, reocr="never") for path in seed_texts())


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


class SyntheticCorpus:
    """Documents varied from the seeds, reproducible from `seed`."""

    def __init__(self, seed: int = 7, seeds: tuple[Document, ...] | None = None):
        self.random = random.Random(seed)
        self.seeds = seeds if seeds is not None else seed_documents()
        self.pool: dict[str, list[str]] = {}
        for doc in self.seeds:
            for section in doc.sections:
                self.pool.setdefault(section.label, []).extend(_paragraphs(section.text))
        self.places = [m.name for m in municipalities()]
        self.count = 0

    def _section_text(self, section: Section) -> str:
        own = _paragraphs(section.text)
        if section.label == "header" or not own:
            return section.text
        pool = self.pool[section.label]
        mixed = [p if self.random.random() < 0.4 else self.random.choice(pool) for p in own]
        self.random.shuffle(mixed)
        return "\n\n".join(mixed)

    def document(self) -> Document:
        """The next synthetic document."""
        number = self.count
        self.count += 1
        base = self.seeds[number % len(self.seeds)]
        rng = self.random
        year = rng.randint(2012, 2025)
        prefix = rng.choice(DNR_PREFIXES)
        dnr = f"{prefix} {year}-{rng.randint(1, 1999):04d}"
        parts, sections, offset = [], [], 0
        for section in base.sections:
            heading = section.heading
            body = self._section_text(section)
            block = f"{heading}\n{body}" if heading else body
            sections.append(Section(section.label, heading, body, offset))
            parts.append(block)
            offset += len(block) + 2
        text = "\n\n".join(parts)
        doc_id = hashlib.sha256(f"synthetic:{number}:{dnr}".encode()).hexdigest()
        return replace(
            base,
            doc_id=doc_id,
            source=f"synthetic/{number:07d}_{base.source.rsplit('/', 1)[-1]}",
            text=text,
            municipality=rng.choice(self.places),
            body=rng.choice(BODIES),
            date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            dnr=[dnr],
            sections=sections,
            entities=[],
            edits=[],
            notes=[],
            sources=[],
        )

    def documents_for_chunks(self, chunks: int) -> Iterator[tuple[Document, int]]:
        """(document, its chunk count) until at least `chunks` chunks are made."""
        made = 0
        while made < chunks:
            doc = self.document()
            count = len(chunk_document(doc))
            made += count
            yield doc, count
