# 基层治理案例库 — the two commands of the README are `make site` and `make test`.
# Everything they need is installed here: Python packages into .venv,
# system packages (Chromium for the browser tests) with apt-get.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES ?= ../shared/sources
SOURCES_FLAG := $(if $(wildcard $(SOURCES)),--sources $(SOURCES),)
APT_PACKAGES := chromium fonts-wqy-microhei libreoffice-writer-nogui poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all site test validate dist serve sysdeps bench bench-search clean

all: site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

venv: $(STAMP)

validate: $(STAMP)
	$(BIN)/casebook validate --strict $(SOURCES_FLAG)
	$(BIN)/casebook course check

site: validate
	$(BIN)/casebook build
	$(BIN)/casebook index

# System packages for the tests; installed only when missing.
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包：$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: validate sysdeps
	$(BIN)/python -m pytest -q

dist: site
	$(BIN)/casebook dist

bench: $(STAMP) sysdeps
	$(BIN)/python benchmarks/scale.py

bench-search: $(STAMP) sysdeps
	$(BIN)/python benchmarks/search_quality.py

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --no-strict

clean:
	rm -rf site dist search_index tests/artifacts .pytest_cache
