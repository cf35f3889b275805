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

.PHONY: run test lint typecheck pytest serve lock wheel clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[all,dev]'
	touch $(STAMP)

$(SYSTEM_STAMP): scripts/system-deps.sh | $(STAMP)
	./scripts/system-deps.sh
	touch $(SYSTEM_STAMP)

# Prints who owns and who leads every relationship today, then serves the same data on 127.0.0.1.
run: $(STAMP)
	$(BIN)/crmkg lookup ownership --data examples/esimerkki
	$(BIN)/crmkg serve --data examples/esimerkki --host 127.0.0.1 --port $${CRMKG_PORT:-8000}

test: $(STAMP) $(SYSTEM_STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/pytest -q

# Re-pin every dependency to what the current .venv has (run after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^crmkg' > requirements.lock

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
