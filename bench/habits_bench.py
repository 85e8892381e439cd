"""Today and habit page server time (20 habits x 3 years vs 20 habits x 30 days) and stats module speed.

Today and the Habits list fold forward from stored checkpoints, so 3 years of history should
cost what 30 days cost: the issue asks for a ratio within 1.3x and the same number of queries.
"""

import datetime as dt
import random
import statistics
import time

from _django import setup

setup("habits")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from habits import stats  # noqa: E402
from habits.schedule import HabitHistory, Schedule  # noqa: E402
from habits.models import CheckIn, Habit  # noqa: E402
from onboarding.models import CoachingProfile  # noqa: E402

TODAY = dt.date.today()


def make_user(email, habits, days):
    user = get_user_model().objects.create_user(username=email, email=email, password="x")
    CoachingProfile.objects.create(user=user, timezone="UTC", onboarding_completed_at=dt.datetime.now(dt.timezone.utc))
    rng = random.Random(1)
    start = TODAY - dt.timedelta(days=days)
    created = Habit.objects.bulk_create([Habit(user=user, name=f"Habit {i}", position=i, start_date=start) for i in range(habits)])
    rows = [
        CheckIn(user=user, habit=h, local_date=start + dt.timedelta(days=d), timezone="UTC", utc_offset_minutes=0,
                completed_at=dt.datetime.combine(start + dt.timedelta(days=d), dt.time(7), tzinfo=dt.timezone.utc))
        for h in created for d in range(days + 1) if rng.random() < 0.75
    ]
    CheckIn.objects.bulk_create(rows, batch_size=5000)
    return user, created[0]


def measure(client, url, runs=15):
    client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries)


def main():
    heavy, heavy_habit = make_user("heavy@example.com", 20, 3 * 365)
    light, light_habit = make_user("light@example.com", 20, 30)
    print("Pages (median server time over 15 requests, after a first visit stored the checkpoints)")
    for label, path_for in [("Today", lambda h: "/today/"), ("Habit page", lambda h: f"/habits/{h.pk}/"), ("Habits list", lambda h: "/habits/")]:
        results = {}
        for name, user, habit in [("20 habits x 3 years", heavy, heavy_habit), ("20 habits x 30 days", light, light_habit)]:
            client = Client()
            client.force_login(user)
            results[name] = measure(client, path_for(habit))
        (heavy_ms, heavy_q), (light_ms, light_q) = results["20 habits x 3 years"], results["20 habits x 30 days"]
        print(f"  {label:<12} heavy {heavy_ms:7.1f} ms ({heavy_q} queries)   light {light_ms:6.1f} ms ({light_q} queries)   ratio {heavy_ms / light_ms:5.1f}x")

    rng = random.Random(2)
    start = TODAY - dt.timedelta(days=3650)
    history = HabitHistory(
        schedule=Schedule(), start=start,
        done=frozenset(start + dt.timedelta(days=d) for d in range(3651) if rng.random() < 0.8),
        skipped=frozenset(start + dt.timedelta(days=d) for d in range(0, 3651, 37)),
        paused=((start + dt.timedelta(days=400), start + dt.timedelta(days=420)),),
    )
    print("Stats module, one habit with 10 years of daily data (median of 20 runs)")
    for name, fn in [
        ("current_streak", lambda: stats.current_streak(history, TODAY)),
        ("best_streak", lambda: stats.best_streak(history, TODAY)),
        ("strength", lambda: stats.strength(history, TODAY)),
        ("completion_rate(all)", lambda: stats.completion_rate(history, TODAY)),
        ("weekday_rates", lambda: stats.weekday_rates(history, TODAY)),
    ]:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        print(f"  {name:<22} {statistics.median(times) * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
