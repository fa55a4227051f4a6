# Two commands do all set-up: `make run` serves the app, `make test` runs the whole suite.
# DATABASE_URL unset: SQLite file db.sqlite3; set (postgresql://...): PostgreSQL.

VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= true

.PHONY: run test lint format bench clean

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_plan fixtures/vest-telemark-2025.yaml
	$(PY) manage.py demo_users
	@echo
	@echo "Bygdevekst: open http://127.0.0.1:8000 and log in as 'prosjektleiar' (or a municipality"
	@echo "such as 'vinje', or 'kdd') with the password printed above."
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Not a test: prints report render times, page query counts and times at 1×/10×/50× the seed,
# and a load run against gunicorn (scripts/bench_report.py and scripts/bench_pages.py).
bench: $(VENV)/.dev
	scripts/bench

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
