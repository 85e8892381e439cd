"""Check-ins, undos and skips from 50 concurrent people for 60 s against gunicorn (the production
command: `gunicorn config.wsgi --workers 3`), on PostgreSQL with the production settings and on SQLite
with the default settings.

Each simulated person taps their own Today page (htmx, one habit and one of the last six days at a
time; one check-in in ten is a double tap: two identical requests at once) and keeps what the app
should now hold. Afterwards every touched day is compared with the database: no lost check-in, none
that should have gone, no duplicate, no skip out of place. Reports requests/s, p50/p95/max latency,
5xx and connection errors, and "database is locked" lines in the server's log. Loopback only.

    python bench/load_checkins.py                      # both databases, 50 people, 60 s each
    python bench/load_checkins.py --database sqlite --people 20 --seconds 10
"""

import argparse
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "cadence_load"
DAYS_BACK = 5          # today and the five days before: always inside Today's seven-day strip
DOUBLE_TAP_SHARE = 0.1
GUNICORN_WORKERS = 3   # as in the Dockerfile and the README's production commands


def environment(database: str) -> dict:
    env = {"SECRET_KEY": "load-bench-" + "x" * 50, "PYTHONUNBUFFERED": "1", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if database == "postgres":
        env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production", "DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}",
                "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    else:
        env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "SQLITE_PATH": str(VAR / "load.sqlite3")}
    return env


def fresh_database(database: str) -> None:
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    else:
        VAR.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR / 'load.sqlite3'}{suffix}").unlink(missing_ok=True)


def set_up_django(database: str, people: int):
    """Schema, the people (seed_users, steady population) and a signed-in session for each."""
    os.environ.update(environment(database))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from habits.models import Habit

    quiet = open(os.devnull, "w")
    call_command("migrate", verbosity=0)
    if database == "postgres":
        call_command("createcachetable")
        call_command("collectstatic", "--noinput", verbosity=0)   # the manifest storage needs it
    call_command("seed_users", count=people, days=30, seed=7, prefix="load", population="steady", stdout=quiet)
    persons = []
    for user in get_user_model().objects.filter(username__startswith="load-").select_related("coaching_profile"):
        session = SessionStore()
        session[SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session.create()
        habits = list(Habit.objects.filter(user=user, archived_at__isnull=True).values_list("pk", flat=True))
        persons.append({"session": session.session_key, "zone": user.coaching_profile.timezone,
                        "day_start": user.coaching_profile.day_start_hour, "habits": habits})
    return persons


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database: str, port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(GUNICORN_WORKERS),
         "--bind", f"127.0.0.1:{port}", "--capture-output", "--error-logfile", str(log)],
        cwd=ROOT, env={**os.environ, **environment(database)}, start_new_session=True,
    )
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        assert server.poll() is None, f"gunicorn exited; see {log}"
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def local_today(zone: str, day_start: int) -> dt.date:
    return (dt.datetime.now(ZoneInfo(zone)) - dt.timedelta(hours=day_start)).date()


NEXT_STATE = {  # what the app must hold for the day after a successful request
    "check-in": lambda state: "done",
    "undo": lambda state: "skipped" if state == "skipped" else "none",
    "skip": lambda state: "none" if state == "skipped" else "skipped",
}
CHOICES = {"none": ["check-in", "check-in", "skip"], "done": ["undo", "undo", "skip"], "skipped": ["check-in", "skip"]}


class Person(threading.Thread):
    def __init__(self, base, person, deadline, seed, states):
        super().__init__(daemon=True)
        self.base, self.person, self.deadline, self.random = base, person, deadline, random.Random(seed)
        self.latencies, self.statuses, self.errors = [], Counter(), Counter()
        self.states, self.touched, self.unknown = states, set(), set()   # states: shared, each person writes only its own habits

    def run(self):
        import requests

        http = requests.Session()
        # Cookies by hand: production marks them Secure, and a client keeps those for https.
        session_cookie = f"sessionid={self.person['session']}"
        page = http.get(f"{self.base}/today/", headers={"Cookie": session_cookie}, timeout=30)
        token = page.cookies.get("csrftoken")
        if page.status_code != 200 or not token:
            self.errors[f"Today answered {page.status_code}"] += 1
            return
        http.cookies.clear()
        headers = {"HX-Request": "true", "X-CSRFToken": token, "Cookie": f"{session_cookie}; csrftoken={token}"}
        while time.monotonic() < self.deadline:
            habit = self.random.choice(self.person["habits"])
            today = local_today(self.person["zone"], self.person["day_start"])
            day = today - dt.timedelta(days=self.random.randint(0, DAYS_BACK))
            cell = (habit, day)
            state = self.states[cell]
            action = self.random.choice(CHOICES[state])
            taps = 2 if action == "check-in" and self.random.random() < DOUBLE_TAP_SHARE else 1
            outcomes = self.tap(http, headers, habit, day, action, taps)
            self.touched.add(cell)
            if all(status == 200 for status in outcomes):
                self.states[cell] = NEXT_STATE[action](state)
            elif any(status is None or status >= 500 for status in outcomes):
                self.unknown.add(cell)   # a failed request may or may not have changed the day

    def tap(self, http, headers, habit, day, action, taps):
        url = f"{self.base}/habits/{habit}/{action}/"
        data = {"day": day.isoformat(), "from": "today"}
        outcomes = [None] * taps

        def one(index):
            started = time.perf_counter()
            try:
                response = http.post(url, data=data, headers=headers, timeout=60)
                outcomes[index] = response.status_code
                self.statuses[response.status_code] += 1
            except Exception as error:  # counted and reported, never hidden
                self.errors[type(error).__name__] += 1
            self.latencies.append(time.perf_counter() - started)

        if taps == 1:
            one(0)
        else:
            pair = [threading.Thread(target=one, args=(i,)) for i in range(taps)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()
        return outcomes


def day_states(habits, days) -> dict:
    """What the database holds for each (habit, day): "done", "skipped" or "none"."""
    from habits.models import CheckIn, Skip

    done = set(CheckIn.objects.filter(habit_id__in=habits, local_date__in=days).values_list("habit_id", "local_date"))
    skipped = set(Skip.objects.filter(habit_id__in=habits, local_date__in=days).values_list("habit_id", "local_date"))
    return {(h, d): "done" if (h, d) in done else "skipped" if (h, d) in skipped else "none" for h in habits for d in days}


def run(database: str, people: int, seconds: int) -> int:
    fresh_database(database)
    persons = set_up_django(database, people)
    from django.db import connections
    from django.db.models import Count

    from habits.models import CheckIn

    habits = [h for p in persons for h in p["habits"]]
    days = sorted({local_today(p["zone"], p["day_start"]) - dt.timedelta(days=d) for p in persons for d in range(-1, DAYS_BACK + 2)})
    expected = day_states(habits, days)   # the people update it as the app answers
    connections.close_all()
    port, log = free_port(), VAR / f"load-{database}-gunicorn.log"
    server = start_gunicorn(database, port, log)
    try:
        deadline = time.monotonic() + seconds
        threads = [Person(f"http://127.0.0.1:{port}", person, deadline, seed, expected) for seed, person in enumerate(persons)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop_server(server)

    latencies = sorted(x for t in threads for x in t.latencies)
    statuses = sum((t.statuses for t in threads), Counter())
    errors = sum((t.errors for t in threads), Counter())
    unknown = set().union(*(t.unknown for t in threads))
    touched = set().union(*(t.touched for t in threads))
    after = day_states(habits, days)
    checked = [cell for cell in expected if cell not in unknown]
    lost = sum(1 for cell in checked if expected[cell] == "done" and after[cell] != "done")
    extra = sum(1 for cell in checked if expected[cell] != "done" and after[cell] == "done")
    wrong_skips = sum(1 for cell in checked if (expected[cell] == "skipped") != (after[cell] == "skipped"))
    duplicated = CheckIn.objects.values("habit_id", "local_date").annotate(n=Count("id")).filter(n__gt=1).count()
    server_log = log.read_text(errors="replace")
    locked = server_log.count("database is locked")
    tracebacks = server_log.count("Traceback")
    five_xx = sum(n for status, n in statuses.items() if status >= 500)

    def ms(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    label = "PostgreSQL (production settings)" if database == "postgres" else "SQLite (default settings)"
    print(f"{label}: {people} people x {seconds} s against gunicorn --workers {GUNICORN_WORKERS}")
    print(f"  requests {len(latencies)} ({len(latencies) / elapsed:.0f}/s)   p50 {ms(0.50):.0f} ms   p95 {ms(0.95):.0f} ms   "
          f"max {latencies[-1] * 1000 if latencies else 0:.0f} ms")
    print(f"  statuses {dict(sorted(statuses.items()))}   5xx {five_xx}   connection errors {dict(errors) or 0}")
    print(f"  days checked {len(checked)}, {len(touched)} of them tapped (unknown after a failed request: {len(unknown)})   lost check-ins {lost}   "
          f"check-ins that should be gone {extra}   skips out of place {wrong_skips}   duplicated check-ins {duplicated}")
    print(f"  server log: 'database is locked' {locked}, tracebacks {tracebacks}  ({log.relative_to(ROOT)})")
    healthy = set(statuses) == {200} and not errors and lost == extra == wrong_skips == duplicated == locked == tracebacks == 0
    print("  OK" if healthy else "  PROBLEMS: see above")
    return 0 if healthy else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if args.database:
        sys.exit(run(args.database, args.people, args.seconds))
    # Each database in a process of its own: Django is set up once per process.
    failed = False
    for database in ("postgres", "sqlite"):
        command = [sys.executable, __file__, "--database", database, "--people", str(args.people), "--seconds", str(args.seconds)]
        failed |= subprocess.run(command).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
