# spinecare — the two commands: `make run` and `make test`.
# Works on a fresh Debian machine with Python 3.11: it installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# apt-get needs root; elsewhere we use sudo when it is there.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 nodejs npm

.PHONY: run test lint venv system-deps node-deps clean help

help:
	@echo "make run   - install, prepare the SQLite database with demo data, serve http://$(HOST):$(PORT)"
	@echo "make test  - install and run the whole test suite (ruff + mypy + pytest)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "spinecare needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Debian packages: chromium (browser tests), poppler (PDF checks), Pango (WeasyPrint), node+npm (lforms, axe-core).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then missing=$$(echo $$missing | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' '); fi; \
	fi; \
	if [ -n "$$(echo $$missing | tr -d ' ')" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

# The suite runs on every core (pytest-xdist); tests of one module or class stay on one
# worker, so module fixtures (a demo database, a live server) are built once.
test: venv system-deps node-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist loadscope

run: venv system-deps
	$(BIN)/spinecare db upgrade
	$(BIN)/spinecare demo load
	$(BIN)/spinecare serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
