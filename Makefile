# The handbook's commands. `make site` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
# Reproducible builds: dates in the output come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check build lint bench clean

site: $(STAMP)  ## check the sources, build handbook/, the website and the PDFs into site/
	$(BIN)/python build.py site

test: $(STAMP)  ## run every test (builds the site it checks)
	$(BIN)/python -m pytest

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/, rebuilt when a source changes
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

check: $(STAMP)  ## check the sources only
	$(BIN)/python build.py check --coverage

build: $(STAMP)  ## regenerate handbook/ only
	$(BIN)/python build.py build

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check policyhandbook tests hooks build.py

clean:
	rm -rf site .site.* .handbook.*

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@
