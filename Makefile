# 基层治理案例库 — the two commands of the README are `make site` and `make test`.
# Everything they need is installed here: Python packages into .venv,
# system packages (Chromium for the browser tests) with apt-get.

SHELL  := /bin/bash
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV_VERSION := 0.13.9
SOURCES ?= ../shared/sources
SOURCES_FLAG := $(if $(wildcard $(SOURCES)),--sources $(SOURCES),)
APT_PACKAGES := chromium fonts-wqy-microhei graphviz libreoffice-writer-nogui poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all site test validate dist serve sysdeps graphviz bench bench-search bench-intake profile clean lock

all: site

# The environment is exactly the lock: a new lock makes a new .venv, so no
# package from an earlier install lingers. The project itself goes in last,
# without dependencies and with the locked setuptools.
$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock on purpose (new upstream releases, or a dependency added to
# pyproject.toml / requirements.in), then review what changed before committing.
lock:
	@[ -x .venv-lock/bin/uv ] || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install -q uv==$(UV_VERSION); }
	@cp $(LOCK) $(LOCK).old 2>/dev/null || touch $(LOCK).old
	.venv-lock/bin/uv pip compile pyproject.toml requirements.in --extra test --generate-hashes \
	  --python-version 3.11.7 --upgrade --quiet -o $(LOCK)
	@echo "requirements.lock 的变化（旧 → 新）："
	@diff <(grep -oE '^[A-Za-z0-9._-]+==[^ ]+' $(LOCK).old) <(grep -oE '^[A-Za-z0-9._-]+==[^ ]+' $(LOCK)) \
	  | sed -n 's/^< /  移除或旧版本：/p; s/^> /  新增或新版本：/p' | grep . || echo "  没有变化"
	@rm -f $(LOCK).old

venv: $(STAMP)

validate: $(STAMP)
	$(BIN)/casebook validate --strict $(SOURCES_FLAG)
	$(BIN)/casebook course check

# One process, each stage once: the records are loaded and validated (strictly,
# against the sources when they are there), the courses checked, then the site
# and the command-line index (search_index/) built from that one corpus.
site: $(STAMP) graphviz
	$(BIN)/casebook build

# Graphviz's dot draws each record's 组织架构 at build time (offline); installed only when missing.
graphviz:
	@command -v dot >/dev/null || { echo "安装系统软件包：graphviz"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq graphviz >/dev/null; }

# System packages for the tests; installed only when missing.
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包：$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# No bytecode and no pytest cache: the suite leaves the checkout as it found it.
test: validate sysdeps
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python -m pytest -q

dist: site
	$(BIN)/casebook dist

bench: $(STAMP) sysdeps
	$(BIN)/python -m benchmarks.scale

# Per-stage cProfile of a synthetic project (N=1000 or N=10000), for benchmarks/README.md.
N ?= 1000
profile: $(STAMP) graphviz
	$(BIN)/python benchmarks/profile_stages.py --n $(N)

bench-search: $(STAMP) sysdeps
	$(BIN)/python benchmarks/search_quality.py

# What `casebook source check` finds in the five articles (three tuned on, two not), against hand-written lists.
bench-intake: $(STAMP)
	$(BIN)/python benchmarks/intake_quality.py

serve: $(STAMP) graphviz
	$(BIN)/mkdocs serve --dirty --no-strict

clean:
	rm -rf site dist search_index tests/artifacts .pytest_cache
