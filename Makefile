# Roomwright: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lock textures frontend browser lint jslint typecheck pytest jstest bench messages screenshots clean cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every Python package comes from requirements.lock (exact versions with hashes, pip and the build
# backend included); the project itself is then installed on top without resolving anything.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock on purpose, then commit it on its own: `make lock` after editing pyproject.toml keeps
# every other pin; `make lock UPGRADE=1` takes the newest releases that pyproject.toml allows.
LOCK_PLATFORM := --python-version 3.11 --python-platform x86_64-manylinux_2_28
lock: $(VENV)/.installed
	printf 'pip\nsetuptools>=77\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev --extra render --generate-hashes \
	  $(LOCK_PLATFORM) --annotation-style line $(if $(UPGRADE),--upgrade) -o requirements.lock

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The finishes' PBR textures are generated here (deterministic, ~2 s) rather than committed: a few MB of
# JPEGs that would be re-added to the history at every tweak of a pattern or colour.
TEXTURES := assets/textures/manifest.json
$(TEXTURES): $(VENV)/.installed backend/configurator/textures.py backend/configurator/looks.py \
             assets/models/catalog/finishes.json assets/models/catalog/materials.json assets/models/catalog/hardware.json
	$(BIN)/roomwright textures

textures: $(TEXTURES)

install: $(VENV)/.installed frontend/node_modules/.installed $(TEXTURES)

frontend: frontend/node_modules/.installed

# Debian packages the tests need: Chromium for the browser tests (Playwright drives it through
# executable_path), a CJK font for the Chinese pages, Tesseract for reading printed plan labels,
# Blender (Cycles, for photoreal renders; its glTF importer needs python3-numpy). Blender's install
# takes about a minute here and the render tests about 30 s.
SYSTEM_PACKAGES := chromium fonts-wqy-zenhei tesseract-ocr tesseract-ocr-chi-sim blender python3-numpy
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v tesseract >/dev/null 2>&1 \
	    || ! command -v blender >/dev/null 2>&1 || ! /usr/bin/python3 -c "import numpy" >/dev/null 2>&1 \
	    || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then \
	  echo "installing Debian's $(SYSTEM_PACKAGES) for the tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

run: install
	$(BIN)/roomwright db upgrade
	$(BIN)/roomwright seed-demo
	$(BIN)/roomwright serve --host $(HOST) --port $(PORT)

# Several processes (docs/jobs.md): APPS app processes on ports PORT+1… behind a round-robin balancer on PORT,
# WORKERS queue workers, on the PostgreSQL and Redis named by ROOMWRIGHT_DATABASE_URL and ROOMWRIGHT_BROKER_URL.
APPS ?= 3
WORKERS ?= 2
cluster: install
	@test -n "$$ROOMWRIGHT_BROKER_URL" || { echo "set ROOMWRIGHT_BROKER_URL (redis://127.0.0.1:6379/0) and ROOMWRIGHT_DATABASE_URL (postgresql+psycopg://…)"; exit 2; }
	$(BIN)/roomwright cluster --apps $(APPS) --workers $(WORKERS) --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check backend tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed
	$(BIN)/mypy backend

# The pages' JavaScript: ESLint (frontend/eslint.config.js) and unit tests on Node's own test runner.
jslint: frontend/node_modules/.installed
	cd frontend && node_modules/.bin/eslint .

jstest: frontend/node_modules/.installed
	cd frontend && node --test tests/

pytest: install browser
	$(BIN)/pytest -n 2 --dist loadgroup -q

test: install browser lint jslint typecheck jstest pytest

# Benchmarks (speed and accuracy figures; not part of `make test`). PostgreSQL figures too when
# ROOMWRIGHT_BENCH_POSTGRES_URL names an empty database.
bench: install
	$(BIN)/python -m benchmarks

# Copy the browser tests' screenshots of the key screens into docs/ for the README (and the look benchmark's
# 1280×720 render of the example kitchen, when it has been run).
screenshots:
	mkdir -p docs/screenshots
	cp artifacts/screenshots/plan-correction.png artifacts/screenshots/editor-3d.png \
	   artifacts/screenshots/factory-order.png artifacts/screenshots/editor-look-rich.png \
	   artifacts/screenshots/design-render-gallery.png docs/screenshots/
	if [ -f artifacts/screenshots/render-kitchen.png ]; then cp artifacts/screenshots/render-kitchen.png docs/screenshots/; fi

# Refresh the translation catalog after changing UI text (then translate the new entries).
messages: $(VENV)/.installed
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ --no-location -o var/messages.pot .
	$(BIN)/pybabel update -i var/messages.pot -d backend/i18n/locales -l zh_Hans --no-wrap --ignore-obsolete

clean:
	rm -rf $(VENV) frontend/node_modules var artifacts
