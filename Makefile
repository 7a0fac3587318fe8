# The two commands a newcomer needs: `make demo` and `make test`. Both start from a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck check browser wrk valgrind benchmark migration screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium; install it when we may (root with apt), else they skip.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# The visitor API benchmark's load generator (C, so the server gets the cores): Debian's wrk.
wrk:
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's wrk for the benchmarks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# Instruction counts (benchmarks/instructions.py), which do not move with the machine's speed.
valgrind:
	@if ! command -v valgrind >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's valgrind for the benchmarks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; \
	fi

demo: $(STAMP)
	$(BIN)/saleor-proactive demo $(if $(PORT),--port $(PORT))

# The README's pictures (docs/screenshots/), from a fresh demo on free 127.0.0.1 ports.
screenshots: $(STAMP) browser
	$(BIN)/python -m saleor_proactive.sandbox.screenshots docs/screenshots

test: $(STAMP) browser
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check saleor_proactive tests benchmarks
	$(BIN)/ruff format --check saleor_proactive tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

benchmark: $(STAMP) browser wrk valgrind
	$(BIN)/python -m benchmarks

# While no schema has been released, the initial revision is regenerated from the models.
migration: $(STAMP)
	$(BIN)/python -c "import tempfile, pathlib; from saleor_proactive.store.migrate import regenerate_initial_revision as r; r(pathlib.Path(tempfile.mkdtemp()) / 'scratch.db')"
	$(BIN)/ruff format saleor_proactive/store/migrations/versions

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
