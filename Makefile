# Build and test tooling. Every target is idempotent: stamps in .venv/ and file
# timestamps make a second run cheap. See docs/development.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
FLASK := $(BIN)/flask --app facilitation
PYTEST_ARGS ?=
CI ?=

INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
NODE_STAMP := node_modules/.package-lock.json
SOCKETIO_DIST := node_modules/socket.io-client/dist
VENDOR_JS := static/vendor/socket.io.min.js
# Minified copies of static/js and static/css, served while their source is unchanged
# (facilitation/static_build.py).
MINIFIED := static/vendor/min/sources.json
STATIC_SOURCES := $(shell find static/js static/css -name '*.js' -o -name '*.css' 2>/dev/null)
ASSETS := $(VENDOR_JS) $(MINIFIED)
TRANSLATIONS := facilitation/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
ESLINT := node_modules/.bin/eslint
JS_TESTS := $(wildcard tests/js/*.test.mjs)
# ESLint and the JavaScript unit tests need Node.js (and npm, which installs ESLint).
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)

.PHONY: help venv install install-test vendor translations messages migrate run room test test-js lint screenshots clean distclean

help:
	@echo "make run        install, build static/vendor, migrate, serve on HOST:PORT (127.0.0.1:5000)"
	@echo "make room       as make run, but on the local network (0.0.0.0): prints the phones' address and QR"
	@echo "make test       install test deps, build static/vendor, test-js, then pytest (PYTEST_ARGS=...)"
	@echo "make test-js    node --test tests/js/ (the browser code's unit tests)"
	@echo "make screenshots  retake the manual's pictures (docs/images/) in Chromium"
	@echo "make lint       ruff check . and eslint . (make test runs it first when CI=true)"
	@echo "make migrate    flask --app facilitation db upgrade"
	@echo "make install    create .venv and install requirements.txt"
	@echo "make vendor     npm ci, copy the Socket.IO browser client to static/vendor/, minify our JS and CSS"
	@echo "make translations  compile facilitation/translations/*/LC_MESSAGES/messages.po to .mo"
	@echo "make messages   extract interface text to messages.pot and update every .po from it"
	@echo "make clean      remove generated files and caches (keeps .venv and instance/)"
	@echo "make distclean  clean, and remove .venv too"

# --- Python -----------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11+ is needed ($(PYTHON) is $$($(PYTHON) --version 2>&1))" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

$(TEST_INSTALLED): requirements-test.txt requirements.txt | $(BIN)/python
	$(PIP) install -r requirements-test.txt
	@touch $@

venv install: $(INSTALLED)
install-test: $(TEST_INSTALLED)

# --- Browser assets (served by the app itself, no CDN) ----------------------

# npm ci rewrites node_modules/ and its hidden lockfile; touch it so the stamp
# is newer than package*.json even when npm keeps the old mtime.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR_JS): $(NODE_STAMP)
	mkdir -p $(@D)
	cp $(SOCKETIO_DIST)/socket.io.min.js $@
	if [ -f $(SOCKETIO_DIST)/socket.io.min.js.map ]; then \
		cp $(SOCKETIO_DIST)/socket.io.min.js.map $(@D)/; fi

$(MINIFIED): $(NODE_STAMP) $(STATIC_SOURCES) facilitation/static_build.py
	$(PYTHON) -m facilitation.static_build

vendor: $(ASSETS)

# --- Interface text (Flask-Babel) -------------------------------------------

# The .mo files are built from the .po files, never committed (.gitignore).
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

# After changing interface text: new msgids land in every .po with an empty msgstr for a
# translator (tests/i18n checks that the participant pages' Welsh is complete).
messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --sort-by-file \
		--project "Workshop facilitation" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete --width 100

# --- App --------------------------------------------------------------------

migrate: $(INSTALLED)
	$(FLASK) db upgrade

run: $(INSTALLED) $(ASSETS) translations migrate
	exec $(BIN)/python -m facilitation

# A laptop hosting the room: listens on every interface (HOST, default 0.0.0.0) and prints
# the LAN address phones open, with its QR code (facilitation/server/room.py).
room: $(INSTALLED) $(ASSETS) translations migrate
	exec $(BIN)/python -m facilitation --room

# --- Checks -----------------------------------------------------------------

# In CI the linters run first: a lint error fails before the long suite starts.
# pytest exit code 5 means "no tests collected": a failure here, never a pass.
test: $(TEST_INSTALLED) $(ASSETS) translations $(if $(filter true,$(CI)),lint) test-js
	@echo "$(BIN)/python -m pytest $(PYTEST_ARGS)"
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "make test: FAILED, pytest collected no tests (exit 5)" >&2; fi; \
	exit $$status

# Without Node.js the JavaScript checks skip with a reason, except in CI (.ci/run installs
# nodejs and npm), where a check that did not run is a failure.
define without_node
	@if [ "$(CI)" = true ]; then \
		echo "make $@: FAILED, node or npm is missing (apt-get install nodejs npm)" >&2; exit 1; fi
	@echo "make $@: $(1) skipped, node or npm is not installed (apt-get install nodejs npm)"
endef

lint: $(TEST_INSTALLED) $(if $(HAVE_NODE),$(NODE_STAMP))
	$(BIN)/ruff check .
ifeq ($(HAVE_NODE),yes)
	$(ESLINT) .
else
	$(call without_node,eslint)
endif

# The browser code's unit tests (tests/js/); none found is a failure, as for pytest.
test-js:
ifeq ($(HAVE_NODE),yes)
	@if [ -z "$(JS_TESTS)" ]; then echo "make test-js: FAILED, no tests/js/*.test.mjs" >&2; exit 1; fi
	node --test --test-reporter=spec $(JS_TESTS)
else
	$(call without_node,node --test)
endif

# The manual's pictures are taken by a browser test, which checks each screen first.
screenshots: $(TEST_INSTALLED) $(ASSETS) translations
	rm -rf tests/artifacts/docs
	$(BIN)/python -m pytest -q tests/browser/test_docs_screenshots.py tests/browser/test_slides_room.py
	cp tests/artifacts/docs/*.png docs/images/

clean:
	rm -rf static/vendor node_modules tests/artifacts .pytest_cache .ruff_cache
	rm -f $(INSTALLED) $(TEST_INSTALLED) $(MO_FILES)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
