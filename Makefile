VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
# Links in development email must reach the web server, and only this file knows its port: honcho hands
# every other process in Procfile.dev a PORT of its own (the worker, which sends digests, gets PORT+100).
SITE_URL ?= http://127.0.0.1:$(PORT)

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
	@echo "  Cadence is running at http://127.0.0.1:$(PORT)/ (links in email: $(SITE_URL))"
	@echo "  Demo login: demo@example.com / $$($(PY) manage.py seed_demo --print-password) (staff)"
ifdef EMAIL_BACKEND
	@echo "  Email goes through $(EMAIL_BACKEND)."
else
	@echo "  Email is written to $(or $(EMAIL_FILE_PATH),var/emails)/, one .eml file per message;"
	@echo "  staff read it at http://127.0.0.1:$(PORT)/email/dev-outbox/"
endif
	@echo "  Web server and django-q2 worker run together; Ctrl-C stops both."
	@echo ""
	PORT=$(PORT) SITE_URL=$(SITE_URL) $(VENV)/bin/honcho start -f Procfile.dev

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

screenshots: install
	$(PY) -m pytest tests/browser/test_screenshots.py -q -p no:randomly --screenshots

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles var
