# The two commands of the README: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test fuzz lint format db-stop clean bench bench-search

run: $(INSTALLED)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED)
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -m "not load" $(PYTEST_ARGS)
	@# The load and fault tests keep the machine busy for a minute each, so they run
	@# after the rest and one at a time. Exit code 5: PYTEST_ARGS picked none of them.
	$(BIN)/pytest -m load -n0 $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The fuzz tests with many random examples each (make test runs a small fixed set).
fuzz: $(INSTALLED)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -m fuzz $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Stops the embedded PostgreSQL (it keeps running between commands so they start fast).
db-stop: $(INSTALLED)
	$(PY) -m shortscience.embedded_postgres stop

$(PY):
	@py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

clean:
	rm -rf $(VENV) staticfiles

# Load benchmark: gunicorn under wrk, every page against a bare Django view, on a data set
# of 100,000 papers (seeds it first; see bench/load.py). BENCH_ARGS="--seconds 5" etc.
bench: $(INSTALLED)
	@scripts/ensure-wrk
	$(PY) bench/load.py $(BENCH_ARGS)

# Search benchmark on a 100,000-paper data set (seeds it first; see bench/search.py).
bench-search: $(INSTALLED)
	$(PY) bench/search.py $(BENCH_ARGS)
