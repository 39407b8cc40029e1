# The chamber workspace. `make run` sets up and serves the demo; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run worker test test-dates mutate install messages migrate seed lint format check clean backup restore

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) scripts/compile_messages.py

migrate: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo ""
	@echo "商会工作台: http://127.0.0.1:8000/  (back office: http://127.0.0.1:8000/admin/)"
	@echo "Log in with one of the demo logins above; the password is chamber-demo."
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

# The task worker that sends the messages (production runs it under systemd, see README). Only
# with TASKS_BACKEND=django_tasks_db.DatabaseBackend; `make run` sends at once without one.
worker: migrate
	TASKS_BACKEND=django_tasks_db.DatabaseBackend $(PY) manage.py db_worker

test: messages
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# The date-sensitive tests (marked `dates`) with the clock on each awkward date.
test-dates: messages
	PY=$(PY) scripts/awkward_dates.sh

# Deliberate one-line bugs in the rule modules, each run against its tests (scripts/mutate.py):
# the score and the survivors. Minutes, not in CI. make mutate ARGS="-k money"
mutate: messages
	$(PY) scripts/mutate.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# One archive in backups/ with the database (DATABASE_URL), the media files and a manifest.
backup: install
	$(PY) manage.py backup

# make restore FILE=backups/chamber-….tar.gz; the database must be empty unless FORCE=1.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/chamber-YYYYmmdd-HHMMSS.tar.gz [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
