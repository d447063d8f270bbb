# Quick start: `make run` and `make test`. Both set up .venv on first use.
# Set-up is idempotent: it re-installs only when pyproject.toml or requirements.lock change.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck layers unit bench lock clean help

help:
	@echo "make run    set up (first time) and start the coach with demo data"
	@echo "make test   set up (first time) and run every test and check"
	@echo "make bench  print the benchmark numbers"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml requirements.lock
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet --compile-bytecode requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/hingecoach demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# PostgreSQL for the store tests: the project's machines run one here; any server will do.
export HINGECOACH_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck layers unit

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock: $(UV)
	$(UV) pip compile pyproject.toml --all-extras --python-version 3.11 --generate-hashes -q -o requirements.lock

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache .hypothesis
