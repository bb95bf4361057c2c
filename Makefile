# What a newcomer types: `make` builds the built-in edition, `make test` tests.
# Both set everything up on a fresh Debian machine (apt packages, .venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils qpdf ghostscript chromium zbar-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build test lint format deps venv clean benchmark docs catalogs catalogs-update

all: build

# Debian packages: Pango for WeasyPrint, hb-subset for small reproducible
# fonts, poppler-utils and qpdf to check PDFs, python3-venv (Debian ships
# Python without venv's pip), Chromium to test the phone guide in a real
# browser (headless), zbar-tools to decode the printed QR codes in the
# tests. Installed only when missing; apt's output goes to a log that is
# shown only if it fails.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  log=$$(mktemp); \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; } >$$log 2>&1 \
	    || { tail -n 30 $$log; echo "apt-get failed (whole log: $$log)"; exit 1; }; \
	  rm -f $$log; \
	fi

# The virtual environment with the package installed in it (editable); pip's
# output goes to .venv/install.log, shown only if it fails.
$(STAMP): pyproject.toml setup.py | deps
	@echo "Setting up $(VENV) (Python packages: a few minutes the first time)"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install --upgrade pip && $(BIN)/pip install -e '.[dev]'; } >$(VENV)/install.log 2>&1 \
	  || { tail -n 30 $(VENV)/install.log; echo "pip failed (whole log: $(VENV)/install.log)"; exit 1; }
	@touch $@

venv: deps $(STAMP)

# Compile the gettext catalogs (.po -> .mo, beside them; .mo files are not in git).
catalogs: venv
	@$(BIN)/python -m calais_guide.catalogs compile >/dev/null

# After adding or changing a msgid in code or templates: refresh messages.pot and
# merge it into every .po, then translate what is new (docs/translating.md).
catalogs-update: venv
	$(BIN)/python -m calais_guide.catalogs update

# One line per step; the last line says where the PDFs are.
build: venv catalogs
	@echo "Checking the data: calais-guide validate"
	@$(BIN)/calais-guide validate
	@echo "Printing every booklet and card: calais-guide build"
	@$(BIN)/calais-guide build

test: venv catalogs
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check calais_guide tests benchmarks
	$(BIN)/ruff format --check calais_guide tests benchmarks
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format calais_guide tests benchmarks
	$(BIN)/ruff check --fix calais_guide tests benchmarks

benchmark: venv
	@status=0; for b in benchmarks/*.py; do \
	  [ "$$b" = benchmarks/baseline.py ] && continue; \
	  echo "== $$b"; $(BIN)/python $$b || status=1; \
	done; exit $$status

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

docs: venv
	$(BIN)/python -m calais_guide.schema
	$(BIN)/python -m calais_guide.hsds
