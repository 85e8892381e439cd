VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test bench screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py analyze_due
	@echo ""
	@echo "  Cadence is running at http://127.0.0.1:$(PORT)/"
	@echo "  Demo login: demo@example.com / $$($(PY) manage.py seed_demo --print-password)"
	@echo "  Web server and django-q2 worker run together; Ctrl-C stops both."
	@echo ""
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

screenshots: install
	$(PY) -m pytest tests/browser/test_screenshots.py -q -p no:randomly --screenshots

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles var
