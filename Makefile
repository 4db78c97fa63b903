# The two commands of the README. Each creates or refreshes .venv and installs the project into it,
# so that on a fresh machine either one alone does all the set-up. A plain `make` (the default
# target, `install`) does only the set-up: the project with its api, cli and dev extras.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench eval model clean

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
	$(PY) -m benchmarks.adversarial
	$(PY) -m benchmarks.batch

eval: $(STAMP)
	$(PY) -m benchmarks.accuracy

# Retrain the NER model shipped in models/pii-ner (seeded, CPU, under 25 minutes; see
# models/README.md). `make test` never trains: the trained model is committed.
model: $(STAMP)
	nice -n 5 $(PY) -m models.training.train

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
