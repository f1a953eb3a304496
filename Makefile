# The two commands of the README, and what they need.
#   make demo   renders every example into build/examples/
#   make test   runs the whole test suite
#   make docs   regenerates docs/rules.md from the rules' docstrings
#   make parser regenerates blueprint_dsl/_lark_standalone.py from the grammar
#   make glyphs remeasures blueprint_dsl/render/_glyph_widths.py in Chromium
# Both create .venv and install what is missing on their own.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := build/examples

.PHONY: demo test setup clean bench bench-tools fuzz docs parser glyphs

demo: $(VENV)/.installed
	@scripts/setup-system.sh
	$(BIN)/blueprint check examples/
	$(BIN)/blueprint render examples/ -f json -o $(OUT)
	$(BIN)/blueprint render examples/ -f html -o $(OUT)
	$(BIN)/blueprint render examples/ -f svg -o $(OUT)
	@echo "demo: outputs in $(OUT)/"

test: $(VENV)/.installed
	@scripts/setup-system.sh --browser
	$(BIN)/python -m pytest -q

docs: $(VENV)/.installed
	$(BIN)/blueprint rules --markdown > docs/rules.md

# The parser generated from grammar/blueprint.lark; a test says when it is out of date.
parser: $(VENV)/.installed
	PYTHONHASHSEED=0 $(BIN)/python scripts/generate-parser.py

# The widths of the drawing's fonts' glyphs; tests/test_metrics.py says when a font draws wider.
glyphs: $(VENV)/.installed
	@scripts/setup-system.sh --browser
	$(BIN)/python scripts/measure-glyphs.py

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# The benchmark (bench/results.md); installs mermaid-cli and PlantUML to compare with.
# The tool is measured as users install it: from a wheel, runtime dependencies only.
bench: $(VENV)/.installed bench-tools
	@scripts/setup-system.sh --browser
	@test -x build/bench-venv/bin/python || $(PYTHON) -m venv build/bench-venv
	build/bench-venv/bin/python -m pip install -q --force-reinstall --no-deps . && \
	  build/bench-venv/bin/python -m pip install -q .
	$(BIN)/python -m bench --blueprint build/bench-venv/bin/blueprint

bench-tools:
	@test -x bench/.tools/node_modules/.bin/mmdc || \
	  (mkdir -p bench/.tools && cd bench/.tools && \
	   PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund @mermaid-js/mermaid-cli) || \
	  echo "bench: mermaid-cli not installed; it will be left out"
	@command -v plantuml >/dev/null || scripts/setup-system.sh --plantuml || \
	  echo "bench: PlantUML not installed; it will be left out"

# At least 100,000 fuzzed inputs through the whole pipeline.
fuzz: $(VENV)/.installed
	$(BIN)/python -m bench.fuzz --count 100000

clean:
	rm -rf build dist $(VENV) .pytest_cache
