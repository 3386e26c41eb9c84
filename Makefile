# Venskab: `make run` starts the platform (SQLite, demo data); `make test` runs every check.
# Both build their own virtualenv from the lock files on first use; nothing else is needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint format lock migrate worker bench-pages bench-feeds bench-rush bench-camp-draw messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The runtime: exactly what requirements.lock pins, plus the project itself (editable).
$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/pip install -q --no-deps -e .
	touch $@

# Tests add the dev lock; node tools (axe-core, ical.js) come from package-lock.json when npm exists.
$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	touch $@

run: $(VENV)/.runtime
	$(BIN)/venskab migrate
	$(BIN)/venskab seed-demo
	$(BIN)/uvicorn venskab.app:app --host $(HOST) --port $(PORT)

worker: $(VENV)/.runtime
	$(BIN)/venskab worker

migrate: $(VENV)/.runtime
	$(BIN)/venskab migrate

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# VENSKAB_TEST_DB=postgres://… runs the same suite on PostgreSQL.
test: lint
	$(BIN)/pytest

lock: | $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml

# Re-extract interface strings and merge them into the uk/da/en catalogues (then translate).
messages: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 -k pgettext:1c,2 \
		--no-location --sort-output --project Venskab -o venskab/locale/messages.pot .
	for lang in uk da en; do \
		if [ -f venskab/locale/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i venskab/locale/messages.pot -d venskab/locale -l $$lang --no-fuzzy-matching; \
		else \
			$(BIN)/pybabel init -i venskab/locale/messages.pot -d venskab/locale -l $$lang; \
		fi; \
	done

bench-pages: $(VENV)/.dev
	$(BIN)/python bench/pages.py

bench-feeds: $(VENV)/.dev
	$(BIN)/python bench/feeds.py

bench-rush: $(VENV)/.dev
	$(BIN)/python bench/rush.py

bench-camp-draw: $(VENV)/.dev
	$(BIN)/python bench/camp_draw.py

clean:
	rm -rf $(VENV) node_modules var
