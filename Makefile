# Two commands do all set-up: `make run` serves the app, `make test` runs the whole suite.
# DATABASE_URL unset: SQLite file db.sqlite3; set (postgresql://...): PostgreSQL.
# Dependencies come from the lock files (requirements.txt, requirements-dev.txt), which
# `make lock` compiles from pyproject.toml; the venv is brought up to date when they change.

VENV := .venv
PY := $(VENV)/bin/python
# The tool that writes the lock files; only `make lock` installs it.
UV_VERSION := 0.13.9
# Universal (any OS, Python 3.12 and newer) and with hashes, so pip checks every download.
COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.12 \
	--generate-hashes --custom-compile-command "make lock"$(if $(UPGRADE), --upgrade)
export DEBUG ?= true

.PHONY: run test lint format bench lock messages clean

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The locked tree first (hash-checked), then the project itself, editable, without resolving again.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements-dev.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_plan fixtures/vest-telemark-2025.yaml fixtures/indre-namdal-demo.yaml
	$(PY) manage.py demo_users --agreement vest-telemark --agreement indre-namdal
	@echo
	@echo "Bygdevekst: open http://127.0.0.1:8000 and log in as 'prosjektleiar' (or a municipality"
	@echo "such as 'vinje', or 'kdd') with the password printed above; the demo agreement Indre"
	@echo "Namdal (bokmål) has 'prosjektleder', 'lierne', 'namsskogan' and 'røyrvik'."
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

# The Nu Html Checker the tests run (tests/test_valid_html.py), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML check (tests/test_valid_html.py) will be skipped"; fi

# The suite checks that the models need no new migration (tests/test_migrations.py).
test: $(VENV)/.dev lint node_modules/.installed
	$(PY) -m pytest

# Not a test: prints report render times, page query counts and times at 1×/10×/50× the seed,
# a load run against gunicorn (scripts/bench_report.py and scripts/bench_pages.py), and, on
# PostgreSQL, two gunicorn instances sharing limits, lockouts and cache (scripts/two_instances.py).
bench: $(VENV)/.dev
	scripts/bench

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# After changing a pin in pyproject.toml. Other packages keep their locked versions where they
# still fit; `make lock UPGRADE=1` moves them all to the newest releases allowed. The dev lock is
# compiled against the runtime lock, so both hold the same version of every package they share.
lock: | $(PY)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(COMPILE) --output-file requirements.txt
	$(COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt

# After adding or changing a translatable string: update locale/nn and locale/nb, fill nn
# (msgstr = msgid), compile. Then translate what is empty or fuzzy in locale/nb and run it again
# (docs/translations.md).
messages: $(VENV)/.dev
	PYTHON=$(PY) scripts/make-messages

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
