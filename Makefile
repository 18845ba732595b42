# The README's commands. Each target creates .venv and installs what it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test test-all lint bench install clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make demo: install, then the guided tour on the embedded default model (writes out/demo/)
demo: $(STAMP)
	$(BIN)/hemesim demo --out out/demo

## make test: install, then lint (ruff, mypy) and the test suite (slow validation runs excluded)
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow" --timeout=600

## make test-all: everything, including slow validation and scale tests
test-all: $(STAMP)
	$(BIN)/python -m pytest -q --timeout=1800

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q tests/test_architecture.py

## make docs: install, then build the documentation site into site/ (MkDocs Material, offline;
## the API reference from the docstrings, the two tutorial notebooks executed)
docs: $(STAMP)
	rm -rf .cache/mkdocs-jupyter  # run the tutorials against the code of today
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out site .cache .pytest_cache .mypy_cache .ruff_cache
