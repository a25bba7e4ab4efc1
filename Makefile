# papertrends: `make run` and `make test` work on a machine with only Python and pip.
SHELL := /bin/bash
PYTHON ?= python3
UV_BIN := $(shell command -v uv 2>/dev/null)
ifeq ($(UV_BIN),)
UV := $(PYTHON) -m uv
else
UV := $(UV_BIN)
endif
# unset or blank: data/ (as the papertrends command reads it)
ifeq ($(strip $(PAPERTRENDS_DATA_DIR)),)
PAPERTRENDS_DATA_DIR := $(CURDIR)/data
endif
export PAPERTRENDS_DATA_DIR

.PHONY: setup run test lint ui serve clean-data

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || { echo "uv not found: installing it with pip"; \
	  $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv; }
	@$(UV) --version >/dev/null 2>&1 || { echo "could not install uv; install it yourself: $(PYTHON) -m pip install uv"; exit 1; }
	$(UV) sync --frozen --compile-bytecode
	@touch $@

# dbt's manifest, which the Dagster definitions read (`dg dev` and `dg check defs` too): made
# again when a file of the dbt project changes.
DBT_PROJECT_FILES := $(shell find dbt_project -type f -not -path 'dbt_project/target/*' \
  -not -path 'dbt_project/logs/*' -not -path 'dbt_project/dbt_packages/*' -not -name .user.yml)
dbt_project/target/manifest.json: $(DBT_PROJECT_FILES) | .venv/.synced
	$(UV) run python -m orchestration.defs.dbt.manifest
	@touch $@

setup: .venv/.synced dbt_project/target/manifest.json

# Extra options for the fetch step of `make run`, e.g. FETCH_ARGS="--interval 0" against a local API.
FETCH_ARGS ?=

run: setup  ## ingest the bundled sample, then the recent days from the API when it is reachable
	$(UV) run papertrends ingest seeds/
	$(UV) run papertrends fetch --offline-ok $(FETCH_ARGS)

# One pytest-xdist worker per core; a module's tests stay on one worker (they share its fixtures).
# Modules start in collection order, which tests/conftest.py begins with the longest; xdist would
# otherwise start the modules with the most tests first and leave one-test modules to the end.
test: setup  ## the whole test suite (the UI tests' screenshots: test-artifacts/screenshots/)
	PAPERTRENDS_UI_SCREENSHOTS="$${PAPERTRENDS_UI_SCREENSHOTS:-$(CURDIR)/test-artifacts/screenshots}" \
		$(UV) run pytest -q -n auto --dist loadfile --no-loadscope-reorder

lint: setup  ## ruff on the Python code, sqlfluff on the dbt models
	$(UV) run ruff check .
	@# (the dbt templater compiles the models against a scratch warehouse, not the data dir's;
	@# the seeds go in first: the tagger's models read the taxonomy while they compile)
	scratch="$$(mktemp -d)" && export PAPERTRENDS_WAREHOUSE="$$scratch/lint.duckdb" && \
		$(UV) run dbt seed --quiet --project-dir dbt_project --profiles-dir dbt_project \
			--target-path "$$scratch/target" --log-path "$$scratch/logs" && \
		$(UV) run sqlfluff lint dbt_project/models

ui: setup  ## the Dagster UI on the same data dir (http://127.0.0.1:3000)
	$(UV) run python -m orchestration.runs.ui

serve: setup  ## dagster-daemon and dagster-webserver as a service (docs/deployment.md); SIGTERM stops both
	$(UV) run python -m orchestration.runs.serve

# Only a folder that holds nothing but what papertrends writes there: a data dir variable
# pointing at some other folder (a home directory, a typo) removes nothing.
DATA_DIR_ENTRIES := (\.?warehouse(-readonly)?\.duckdb(\.part)?(\.wal)?)|warehouse\.tmp|fetch-log\.tsv|landing|archive|arrivals|dagster|reports|work
clean-data:  ## remove everything under the data dir (landing, archive, warehouse, Dagster home)
	@dir="$(PAPERTRENDS_DATA_DIR)"; \
	if [ -e "$$dir" ] && { [ ! -d "$$dir" ] || ls -A "$$dir" | grep -qvxE '$(DATA_DIR_ENTRIES)'; }; then \
	  echo "make clean-data: $$dir is not a papertrends data dir (it holds other things than its" \
	       "warehouse, landing/, archive/, dagster/, ...): nothing removed; check PAPERTRENDS_DATA_DIR" >&2; \
	  exit 1; fi; \
	echo "rm -rf $$dir"; rm -rf "$$dir"

.PHONY: bench
bench: setup  ## benchmarks at ten-year scale (~20 min on 2 cores; results in bench/results/, see BENCHMARKS.md)
	$(UV) run python -m bench.run_all
