# The two commands of the README. Each creates or refreshes .venv and installs the project into it,
# so that on a fresh machine either one alone does all the set-up. A plain `make` (the default
# target, `install`) does only the set-up: the project with its api, cli and dev extras.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench eval clean

.DEFAULT_GOAL := install

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,api,cli]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m pii_mapper.cli demo

lint: $(STAMP)
	$(VENV)/bin/ruff check $(wildcard pii_mapper tests benchmarks examples)
	$(VENV)/bin/ruff format --check $(wildcard pii_mapper tests benchmarks examples)
	$(VENV)/bin/mypy --strict pii_mapper

test: lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m benchmarks.speed

eval: $(STAMP)
	$(PY) -m benchmarks.accuracy

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
