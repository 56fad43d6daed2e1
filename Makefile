# ayllu — the two commands are `make demo` and `make test` (see README.md).
SHELL  := /bin/bash
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= var/demo
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test test-fast setup lint check clean bench

$(STAMP): pyproject.toml requirements/lock.txt
	@echo "==> creating virtual environment in $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@if [ "$$(id -u)" = 0 ]; then bash scripts/install_system_deps.sh --build; fi
	@echo "==> installing ayllu and its development tools (pinned in requirements/lock.txt)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e '.[dev]' 2>&1 \
		| { grep -v "is ignored: it is neither a file nor a directory" || true; }; \
		test "$${PIPESTATUS[0]}" = 0
	@touch $(STAMP)

setup: $(STAMP)

## Set up everything and serve a demo assembly at http://$(HOST):$(PORT) on SQLite.
demo: $(STAMP)
	@echo "==> preparing the demo node in $(DATA) (SQLite)"
	@AYLLU_DATA_DIR=$(DATA) DJANGO_SETTINGS_MODULE=ayllu.settings.dev $(VENV)/bin/ayllu demo-setup
	@echo "==> serving http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@AYLLU_DATA_DIR=$(DATA) DJANGO_SETTINGS_MODULE=ayllu.settings.dev $(VENV)/bin/ayllu serve --host $(HOST) --port $(PORT)

## Set up everything and run the whole test suite (PostgreSQL tests skip when none is reachable,
## unless AYLLU_REQUIRE_POSTGRES=1; browser tests skip without Chromium unless AYLLU_REQUIRE_BROWSER=1).
test: $(STAMP)
	@echo "==> running the test suite"
	@if [ "$$(id -u)" = 0 ]; then bash scripts/install_system_deps.sh; fi
	@$(PY) scripts/run_tests.py $(PYTEST_ARGS)

## The inner loop: every test but the browser, PostgreSQL and slow ones (processes, long loops), on two
## workers, the route fuzz drawing a quarter of its examples; under 3 minutes on a 2-core machine.
## `make test` (and CI) still runs them all, with every example.
test-fast: $(STAMP)
	@PYTHONHASHSEED=0 AYLLU_FUZZ_EXAMPLES=3 $(PY) -m pytest -n 2 -m "not slow and not browser and not postgres" $(PYTEST_ARGS)

lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy src
	@$(VENV)/bin/lint-imports

bench: $(STAMP)
	@$(PY) bench/record.py

clean:
	rm -rf $(VENV) var build *.egg-info
