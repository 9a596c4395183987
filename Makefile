# One-command entry points. `make demo` and `make test` work on a fresh clone (python3 + pip).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-analyst
LOCK := requirements.lock
# pip quietly, its output kept in a log and shown only when it fails
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input
UV_VERSION := 0.13.9
# The lock's one recipe: every extra, every platform, the oldest Python the project supports.
LOCK_COMPILE := $(BIN)/uv pip compile pyproject.toml --extra dev --extra analyst \
	--universal --python-version 3.11 --quiet -o $(LOCK)

.DEFAULT_GOAL := setup
.PHONY: setup demo test lint browser postgres bench bench-quick lab lock lock-upgrade clean

## The project and its pinned dependencies (requirements.lock) in .venv/.
$(STAMP): pyproject.toml $(LOCK)
	@echo "installing aftersales and its pinned dependencies into $(VENV)/ (about a minute)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP_INSTALL) -c $(LOCK) -e '.[dev]' >$(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; echo "make: installing failed (log: $(VENV)/install.log)"; exit 1; }
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1
	@touch $(STAMP)

setup: $(STAMP)

## Generate the demo data set, ingest it and build the review pack.
demo: setup
	$(BIN)/aftersales demo

## JupyterLab on notebooks/ over the demo warehouse (made by `aftersales demo` when missing).
$(LAB_STAMP): $(STAMP)
	@echo "installing JupyterLab (the analyst extra) into $(VENV)/"
	@$(PIP_INSTALL) -c $(LOCK) -e '.[dev,analyst]' >$(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; echo "make: installing failed (log: $(VENV)/install.log)"; exit 1; }
	@touch $(LAB_STAMP)

data/warehouse.duckdb: | $(STAMP)
	$(BIN)/aftersales demo

lab: $(LAB_STAMP) data/warehouse.duckdb
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## Headless Chromium (Debian's package) and CJK fonts, for `report --pdf` and the browser
## tests; poppler-utils (pdfinfo, pdffonts, pdftotext) for the tests reading review.pdf back.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; then \
	  echo "Installing Debian chromium, CJK fonts and poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
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

bench-quick: setup
	$(BIN)/python -m bench --quick

## requirements.lock again from pyproject.toml, keeping every pin it can (after a dependency
## was added or a range changed); `lock-upgrade` moves every pin to the newest allowed.
lock: setup
	@$(PIP_INSTALL) 'uv==$(UV_VERSION)'
	$(LOCK_COMPILE)

lock-upgrade: setup
	@$(PIP_INSTALL) 'uv==$(UV_VERSION)'
	$(LOCK_COMPILE) --upgrade

clean:
	rm -rf $(VENV) reports/20* reports/data-quality data/warehouse.duckdb*
