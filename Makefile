# One-command entry points. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint browser bench bench-quick clean

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

## Headless Chromium (Debian's package) and CJK fonts, for `report --pdf` and the browser
## tests; poppler-utils (pdfinfo, pdffonts, pdftotext) for the tests reading review.pdf back.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; then \
	  echo "Installing Debian chromium, CJK fonts and poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	fi

lint: setup
	$(BIN)/ruff check pipelines tests bench

## Lint and the whole test suite (real DuckDB, GX, papermill, nbconvert, Chromium).
test: setup browser lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) reports/20* reports/data-quality data/warehouse.duckdb*

bench-quick: setup
	$(BIN)/python -m bench --quick
