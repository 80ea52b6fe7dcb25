# Two commands set everything up on a fresh machine (Python >= 3.11 with venv):
#   make demo   — create .venv, install microcomm, run the pipeline on the bundled example
#   make test   — create .venv, install microcomm with its test extra, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/microcomm demo
	@echo "microcomm is installed in $(VENV): run it as $(BIN)/microcomm --help (or: source $(BIN)/activate)"

test: $(BIN)/.installed
	$(BIN)/python -m pytest

test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not slow" -n auto

lint: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet ruff mypy
	$(BIN)/ruff check src tests bench examples
	$(BIN)/mypy src/microcomm

bench: $(BIN)/.installed
	$(BIN)/python bench/bench.py --sizes 100000 1000000

clean:
	rm -rf $(VENV) microcomm-data
