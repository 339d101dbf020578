# Smart Map Tbilisi. Two commands on a fresh Debian 12 machine:
#   make run    install what is missing, start PostgreSQL+PostGIS and Redis, migrate, load Tbilisi
#               data, serve http://127.0.0.1:$(PORT)/ with a Celery worker and beat (Ctrl-C stops)
#   make test   the same set-up, then the whole test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test setup system system-test venv services stop messages lint check-migrations

run: system venv messages
	$(PY) bin/devrun.py --port $(PORT)

test: system-test venv messages services
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

system:
	@bin/install-system run

system-test:
	@bin/install-system test

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

# Translations are compiled, never committed: the .po files are the source. Both folders of
# settings.LOCALE_PATHS: the portal's own strings and the third-party ones.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po locale_thirdparty/*/LC_MESSAGES/*.po))

messages: $(MO_FILES)

$(MO_FILES): %.mo: %.po
	msgfmt --check -o $@ $<

services:
	@bin/services start

stop:
	@bin/services stop

lint:
	$(VENV)/bin/ruff check .

check-migrations:
	$(PY) manage.py makemigrations --check --dry-run
