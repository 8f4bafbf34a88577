# Two commands matter: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint benchmark

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: install
	$(BIN)/fulfil demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check fulfil config benchmarks conftest.py
	$(BIN)/bandit -q -c pyproject.toml -r fulfil config
	$(BIN)/mypy

benchmark: install
	$(BIN)/python benchmarks/generator.py
	$(BIN)/python benchmarks/ledger.py
	$(BIN)/python benchmarks/wording.py
	$(BIN)/python benchmarks/planner.py
	$(BIN)/python benchmarks/load.py
