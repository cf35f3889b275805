# The two commands of the README:
#   make run    set up, print who owns/leads each relationship of the example organisation, and serve
#               it over HTTP on 127.0.0.1:8000 (docs at /docs) from the embedded Oxigraph store
#   make test   set up and run the whole test suite (lint, types, tests)
# Both bootstrap .venv from a bare python3 with the pinned dependencies of requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-deps-stamp

ASSETS := src/crmkg/web/static/vendor/.stamp

.PHONY: run test lint typecheck pytest serve lock wheel clean assets screenshots test-suites

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[all,dev]'
	touch $(STAMP)

$(SYSTEM_STAMP): scripts/system-deps.sh | $(STAMP)
	./scripts/system-deps.sh
	touch $(SYSTEM_STAMP)

# The web app's third-party browser assets (Swagger UI, ReDoc, CodeMirror; axe-core for the browser
# tests), installed from assets/package-lock.json with npm and copied into the package (git-ignored).
assets: $(ASSETS)

$(ASSETS): assets/package.json assets/package-lock.json src/crmkg/web/vendor.py | $(STAMP)
	cd assets && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(BIN)/python src/crmkg/web/vendor.py >/dev/null
	touch $(ASSETS)

# The W3C SPARQL 1.1 and SHACL test suites, from rdflib's and pyshacl's source distributions on PyPI
# (the installed versions), fetched once into .cache/test-suites so that no test downloads anything.
test-suites: $(STAMP)
	$(BIN)/python scripts/fetch_test_suites.py >/dev/null

# Prints who owns and who leads every relationship today, then serves the same data on 127.0.0.1.
run: $(STAMP) $(ASSETS)
	$(BIN)/crmkg lookup ownership --data examples/esimerkki
	$(BIN)/crmkg serve --data examples/esimerkki --host 127.0.0.1 --port $${CRMKG_PORT:-8000}

test: $(STAMP) $(SYSTEM_STAMP) $(ASSETS) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Two worker processes (pytest-xdist): the tests are independent; tests/conftest.py sends each test
# file whole to one worker (longest first), and tests/store_remote (the real SPARQL servers) whole to one
# worker; --durations lists the slowest tests in every log.
PYTEST_WORKERS ?= 2

pytest: $(STAMP) $(SYSTEM_STAMP) $(ASSETS) test-suites
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --durations=25

# Re-pin every dependency to what the current .venv has (run after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^crmkg' > requirements.lock

wheel: $(STAMP) $(ASSETS)
	$(BIN)/python -m build --wheel --outdir dist .

# Screenshots of the main pages (README) from a server on a free port, in headless Chromium.
screenshots: $(STAMP) $(SYSTEM_STAMP) $(ASSETS)
	$(BIN)/python scripts/screenshots.py --out docs/screenshots

clean:
	rm -rf $(VENV) dist build .pytest_cache .cache/test-suites .mypy_cache .ruff_cache assets/node_modules src/crmkg/web/static/vendor
