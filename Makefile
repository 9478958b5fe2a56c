# The two commands a newcomer types: `make run` and `make test`. Everything else bootstraps itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Headless Linux (CI, this machine kind): Qt draws offscreen, and QtWebEngine refuses root without this.
export QT_QPA_PLATFORM ?= $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,offscreen)
export QTWEBENGINE_DISABLE_SANDBOX ?= $(if $(filter 0,$(shell id -u)),1,)

.PHONY: run test test-all lint bench package clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "kpadmin needs Python 3.11+"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

## Start the app in sandbox mode (the default on a first run).
run: $(STAMP)
	$(PY) -m kpadmin

## Run the whole test suite.
test: $(STAMP)
	$(PY) -m pytest

## The test suite plus the long proofs (crash loop with many kills).
test-all: $(STAMP)
	$(PY) -m pytest -m "slow or not slow" --run-slow

lint: $(STAMP)
	$(PY) -m ruff check kpadmin tests bench
	$(PY) -m mypy

bench: $(STAMP)
	for b in bench/*.py; do $(PY) $$b || exit 1; done

package: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,package]'
	$(PY) -m PyInstaller --noconfirm --clean build.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
