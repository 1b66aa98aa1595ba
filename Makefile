# The two commands of the README: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
LOCK := requirements.lock
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test fuzz lint format db-stop clean bench bench-search lock lock-check

run: $(INSTALLED)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED) lock-check
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The apps' layers (pyproject.toml, [tool.importlinter]).
	$(BIN)/lint-imports --no-cache
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
	$(BIN)/lint-imports --no-cache

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Stops the embedded PostgreSQL (it keeps running between commands so they start fast).
db-stop: $(INSTALLED)
	$(PY) -m shortscience.embedded_postgres stop

$(PY):
	@py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

# Every package, dev tools included, comes from the lock at its pinned version and hash;
# the project itself is then installed editable on top (docs/dependencies.md).
$(INSTALLED): $(LOCK) pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Resolves pyproject.toml (runtime and dev) once for every platform and Python >= 3.12.
# Pins already in the lock are kept unless pyproject.toml rules them out, so this adds
# and removes packages; to upgrade: make lock LOCK_ARGS=--upgrade (all) or
# make lock LOCK_ARGS='--upgrade-package django' (one).
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 \
	--generate-hashes --no-emit-index-url --no-emit-find-links \
	--custom-compile-command 'make lock' --quiet

lock: $(INSTALLED)
	$(UV_COMPILE) $(LOCK_ARGS) -o $(LOCK)

# Fails when pyproject.toml asks for packages or versions the lock does not pin. It
# re-resolves a copy of the lock (whose pins are kept where they still fit) and compares
# the pins, not the hashes: from uv's cache first (under a second), then from the index
# if that fails or differs (a cache older than the lock).
lock-check: $(INSTALLED)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	pins() { grep -v -e '^ *--hash' -e '^ *#' "$$1" | sed 's/ *\\$$//'; } && \
	cp $(LOCK) "$$tmp/lock" && \
	if $(UV_COMPILE) --offline -o "$$tmp/lock" 2>/dev/null && \
		[ "$$(pins $(LOCK))" = "$$(pins "$$tmp/lock")" ]; then exit 0; fi && \
	cp $(LOCK) "$$tmp/lock" && $(UV_COMPILE) -o "$$tmp/lock" && \
	if [ "$$(pins $(LOCK))" != "$$(pins "$$tmp/lock")" ]; then \
		echo "$(LOCK) does not match pyproject.toml: run make lock and commit both" >&2; \
		exit 1; fi

clean:
	rm -rf $(VENV) staticfiles

# Load benchmark: gunicorn under wrk, every page against a bare Django view, on a data set
# of 100,000 papers (seeds it first; see bench/load.py), then every page again while
# writers vote, comment, edit and preview (bench/writers.py; docs/performance.md).
# BENCH_ARGS="--phase mixed" for that phase alone, "--seconds 5" etc.
bench: $(INSTALLED)
	@scripts/ensure-wrk
	$(PY) bench/load.py $(BENCH_ARGS)

# Search benchmark on a 100,000-paper data set (seeds it first; see bench/search.py).
bench-search: $(INSTALLED)
	$(PY) bench/search.py $(BENCH_ARGS)
