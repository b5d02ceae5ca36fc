# policyforge: `make site` builds the example site, `make test` runs the whole test suite.
# Each target creates .venv and installs what it needs by itself.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: site serve test pytest lint bench screenshots clean widget

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test,lint]'
	@touch $@

# The banner's build tools (esbuild, terser; pinned in consent_widget/package-lock.json). Only
# `make widget` and `make test` need Node: the built banner in consent_widget/dist/ is committed.
WIDGET_DEPS := consent_widget/node_modules/.package-lock.json

$(WIDGET_DEPS): consent_widget/package-lock.json
	cd consent_widget && npm ci --no-audit --no-fund --loglevel=error

# Rebuild consent_widget/dist/ after editing consent_widget/src/ (commit the result).
widget: $(WIDGET_DEPS)
	cd consent_widget && node build.mjs

site: $(VENV)/.installed
	$(PY) -m policyforge build
	@echo
	@echo "The site is in $(CURDIR)/site/ (open it through a web server, not as files)."
	@echo "Serve it with live reload: make serve  ->  http://127.0.0.1:8000/"

serve: $(VENV)/.installed
	$(VENV)/bin/policyforge serve

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check policyforge tests bench scripts build.py
	$(VENV)/bin/mypy policyforge

# The whole suite. pytest's own exit code is the verdict: 5 ("no tests collected") fails too.
# The banner's pure logic runs under Node's test runner first (consent_widget/test/).
test: $(VENV)/.installed-test $(WIDGET_DEPS)
	$(PY) -m policyforge.audit.browser
	$(MAKE) --no-print-directory lint
	cd consent_widget && node --test test/
	$(MAKE) --no-print-directory pytest

# Only pytest; PYTEST_ARGS narrows it, e.g. make pytest PYTEST_ARGS='-m "not e2e"' (no browser).
PYTEST_ARGS ?=
pytest: $(VENV)/.installed-test
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) -m policyforge.audit.browser
	$(PY) -m policyforge build
	$(PY) bench/run.py $(if $(STRICT),--strict)

screenshots: $(VENV)/.installed-test
	$(PY) -m policyforge.audit.browser
	$(PY) -m policyforge build
	$(PY) scripts/screenshots.py

clean:
	rm -rf site .cache dist build *.egg-info
