# Quick start: `make demo` and `make test` work on a fresh clone with Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench fuzz container-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/make_demo.py build/demo-repo
	@echo
	@echo "== mcp-guard scan build/demo-repo =="
	@$(BIN)/mcp-guard scan build/demo-repo; echo "(exit code $$?: 1 means blocking findings, as expected here)"
	@echo
	@echo "== mcp-guard inventory build/demo-repo (names and credential modes, never values) =="
	@$(BIN)/mcp-guard inventory build/demo-repo

test: $(STAMP)
	$(BIN)/ruff check scanner tests bench examples
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# Parse + scan over 100,000 mutated configs (2 processes); fails on any uncaught exception or any
# input under 1 MiB slower than 2 s. FUZZ_ARGS="--count 5000" for a shorter run.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/run.py --count 100000 --jobs 2 $(FUZZ_ARGS)

container-test: $(STAMP)
	bash tests/container/smoke.sh

clean:
	rm -rf $(VENV) build
