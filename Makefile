# One-command entry points. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint browser postgres bench bench-quick clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP)

## Generate the demo data set, ingest it and build the review pack.
demo: setup
	$(BIN)/aftersales demo

## Headless Chromium (Debian's package) and CJK fonts for the pack's browser test.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian chromium and CJK fonts for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

## Debian's PostgreSQL server binaries: the lake tests start their own server with them.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian postgresql for the lake tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

lint: setup
	$(BIN)/ruff check pipelines tests bench

## Lint and the whole test suite (real DuckDB, GX, papermill, nbconvert, Chromium).
test: setup browser postgres lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) reports/20* reports/data-quality data/warehouse.duckdb*

bench-quick: setup
	$(BIN)/python -m bench --quick
