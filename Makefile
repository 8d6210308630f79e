# The handbook's commands. `make site` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
# Reproducible builds: dates in the output come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check build lint bench bench-pdf bench-ingest clean

site: $(STAMP)  ## check the sources, build handbook/, the website and the PDFs into site/
	$(BIN)/python build.py site

test: $(STAMP) node_modules/.installed  ## run every test (builds the site it checks)
	$(BIN)/python -m pytest

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/, rebuilt when a source changes
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

check: $(STAMP)  ## check the sources only
	$(BIN)/python build.py check --coverage

build: $(STAMP)  ## regenerate handbook/ only
	$(BIN)/python build.py build

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check policyhandbook tests hooks build.py

bench: $(STAMP)  ## print the scale table: check, render, mkdocs, memory, page and search sizes at 5, 100 and 400 councils
	$(BIN)/python benchmarks/bench.py

bench-pdf: $(STAMP)  ## time the PDFs: all of them, and one members' pack (cold and warm cache)
	$(BIN)/python benchmarks/pdf_bench.py

bench-ingest: $(STAMP)  ## measure build.py ingest's clauses and topic suggestions, leaving each council out
	$(BIN)/python benchmarks/ingest_bench.py

clean:
	rm -rf site .site.* .handbook.* .cache/pdf

# axe-core and the Nu HTML Checker, pinned in package-lock.json, for the site checks.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@
