# The two commands a newcomer types: `make run` and `make test`. Everything else bootstraps itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What CI tested, pinned with hashes: made from pyproject.toml by `make lock` (scripts/lock.py).
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# The lock tool (only `make lock` needs it; not a project dependency).
UV_VERSION := 0.13.9

# Headless Linux (CI, this machine kind): Qt draws offscreen, and QtWebEngine refuses root without this.
export QT_QPA_PLATFORM ?= $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,offscreen)
export QTWEBENGINE_DISABLE_SANDBOX ?= $(if $(filter 0,$(shell id -u)),1,)

.PHONY: venv run test test-all lint bench package lock lock-upgrade clean

# A fresh .venv whenever the lock or pyproject.toml changes, so it holds exactly the lock's packages
# (pip never removes what an older lock installed). kpadmin itself goes in editable, --no-deps, built
# with the locked setuptools; then the lock is checked against pyproject.toml.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "kpadmin needs Python 3.11+"'
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) scripts/lock.py --check
	rm -f $(VENV)/.installed-* && touch $(STAMP)

## Create or refresh .venv from the lock file.
venv: $(STAMP)

## Start the app in sandbox mode (the default on a first run).
run: $(STAMP)
	$(PY) -m kpadmin

## Run the whole test suite (first installing the system packages it needs when missing: PostgreSQL).
test: $(STAMP)
	bash scripts/ensure_system_packages.sh
	$(PY) -m pytest

## The test suite plus the long proofs (crash loop with many kills).
test-all: $(STAMP)
	bash scripts/ensure_system_packages.sh
	$(PY) -m pytest -m "slow or not slow" --run-slow

lint: $(STAMP)
	$(PY) -m ruff check kpadmin tests bench scripts
	$(PY) -m mypy

bench: $(STAMP)
	for b in bench/*.py; do $(PY) $$b || exit 1; done

package: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean build.spec

## Regenerate requirements/*.txt after changing dependencies in pyproject.toml (keeps other pins).
lock: $(VENV)/bin/uv
	$(PY) scripts/lock.py --uv $(VENV)/bin/uv

## The same, moving every pin to the newest version pyproject.toml allows.
lock-upgrade: $(VENV)/bin/uv
	$(PY) scripts/lock.py --uv $(VENV)/bin/uv --upgrade

# Not through $(STAMP): the lock may be stale, which is why one runs `make lock`.
$(VENV)/bin/uv:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
