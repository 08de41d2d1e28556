# Quick start: `make demo` and `make test` work on a fresh clone with Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench container-test clean org-screenshot

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

container-test: $(STAMP)
	bash tests/container/smoke.sh

# The org report of a demo organisation, rendered by headless Chromium into docs/org-report.png.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
org-screenshot: $(STAMP)
	$(BIN)/python examples/make_org_demo.py build/org-demo
	$(BIN)/mcp-guard org report build/org-demo/results --format html -o build/org-demo/report.html
	@if [ -z "$(CHROMIUM)" ]; then echo "chromium not found: skipping the screenshot (apt-get install chromium)"; \
	else $(CHROMIUM) --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1500 \
	  --screenshot=$(CURDIR)/docs/org-report.png file://$(CURDIR)/build/org-demo/report.html 2>/dev/null \
	  && echo "wrote docs/org-report.png"; fi

clean:
	rm -rf $(VENV) build
