# The two commands of the README, and what they need.
#   make demo   renders every example into build/examples/
#   make test   runs the whole test suite
# Both create .venv and install what is missing on their own.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := build/examples

.PHONY: demo test setup clean

demo: $(VENV)/.installed
	@scripts/setup-system.sh
	$(BIN)/blueprint check examples/
	$(BIN)/blueprint render examples/ -f json -o $(OUT)
	$(BIN)/blueprint render examples/ -f svg -o $(OUT)
	@echo "demo: outputs in $(OUT)/"

test: $(VENV)/.installed
	@scripts/setup-system.sh --browser
	$(BIN)/python -m pytest -q

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

clean:
	rm -rf build dist $(VENV) .pytest_cache
