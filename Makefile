# Quick start: `make run` and `make test`. Both set up .venv on first use.
# Set-up is idempotent: it re-installs only when pyproject.toml or requirements.lock change.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck layers unit bench lock clean help eval-form sweep-form sweep-handheld vendor-htmx fuzz-coach

help:
	@echo "make run    set up (first time) and start the coach with demo data"
	@echo "make test   set up (first time) and run every test and check"
	@echo "make bench  print the benchmark numbers"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml requirements.lock requirements-nodeps.lock
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet --compile-bytecode requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps --require-hashes -r requirements-nodeps.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

# The live page's pose runtime (npm @mediapipe/tasks-vision) and .task models, into
# src/hingecoach/web/static/vendor/ (git-ignored): pinned, checked, idempotent.
LIVE_VENDOR := src/hingecoach/web/static/vendor/manifest.json
$(LIVE_VENDOR): $(STAMP) scripts/vendor_live.py
	$(BIN)/python scripts/vendor_live.py

setup: $(STAMP) $(LIVE_VENDOR)

# The web app on the embedded SQLite database, with demo accounts (printed at start).
# `hingecoach demo` still shows the terminal demo.
run: $(STAMP) $(LIVE_VENDOR)
	$(BIN)/hingecoach serve --demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# PostgreSQL for the store tests: the project's machines run one here; any server will do.
export HINGECOACH_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

unit: $(STAMP) $(LIVE_VENDOR)
	$(BIN)/pytest -q

test: lint typecheck layers unit

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The coach's invariants (issue 15) at nightly size: many more Hypothesis examples.
fuzz-coach: $(STAMP)
	HINGECOACH_FUZZ_EXAMPLES=5000 $(BIN)/pytest -q tests/unit/coach/test_invariants.py tests/unit/coach/test_properties.py

# Form analysis against the labelled clips in ../shared/data (pose tracks cached in .cache/poses).
LABELS ?= ../shared/data/labels.csv
eval-form: $(STAMP)
	$(BIN)/python scripts/eval_form.py $(LABELS)

sweep-form: $(STAMP)
	$(BIN)/python scripts/form_sweep.py $(LABELS)

SEEDS ?= 1
sweep-handheld: $(STAMP)
	$(BIN)/python scripts/handheld_clips.py $(LABELS) --seeds $(SEEDS) $(HANDHELD)

# Refresh the vendored htmx (served from the package, never from a CDN).
HTMX_VERSION := 2.0.11
vendor-htmx:
	cd $$(mktemp -d) && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar xzf htmx.org-$(HTMX_VERSION).tgz \
	  && cp package/dist/htmx.min.js $(CURDIR)/src/hingecoach/web/static/htmx.min.js

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock: $(UV)
	$(UV) pip compile pyproject.toml --all-extras --python-version 3.11 --generate-hashes -q -o requirements.lock
	$(UV) pip compile requirements-nodeps.in --no-deps --python-version 3.11 --generate-hashes -q -o requirements-nodeps.lock

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache .hypothesis
