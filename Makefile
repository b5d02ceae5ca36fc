# policyforge: `make site` builds the example site, `make test` runs the whole test suite.
# Each target creates .venv and installs what it needs by itself.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: site serve test pytest lint bench screenshots clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test,lint]'
	@touch $@

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
test: $(VENV)/.installed-test
	$(PY) -m policyforge.audit.browser
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory pytest

# Only pytest; PYTEST_ARGS narrows it, e.g. make pytest PYTEST_ARGS='-m "not e2e"' (no browser).
PYTEST_ARGS ?=
pytest: $(VENV)/.installed-test
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) -m policyforge.audit.browser
	$(PY) -m policyforge build
	$(PY) bench/run.py

screenshots: $(VENV)/.installed-test
	$(PY) -m policyforge.audit.browser
	$(PY) -m policyforge build
	$(PY) scripts/screenshots.py

clean:
	rm -rf site .cache dist build *.egg-info
