"""The staff metrics page on a realistic population from seed_users (10,000 people x 60 days by default).

Reports the page's time (goal: under 1 s), its query count, and the same for a tenth of the
people, so the ratio shows how the cost grows. METRICS_BENCH_USERS sets the size.
"""

import datetime as dt
import os
import time

from _django import QueryCounter, setup

setup("metrics")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

USERS = int(os.environ.get("METRICS_BENCH_USERS", "10000"))
RUNS = 3


def page_time(client) -> tuple[float, int, str]:
    timings = []
    for _ in range(RUNS):
        with QueryCounter() as queries:
            started = time.perf_counter()
            response = client.get("/admin/metrics/")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return min(timings), queries.count, response.content.decode()


def main():
    staff = get_user_model().objects.create_user("bench-staff", "staff@example.com", "bench-password", is_staff=True)
    client = Client()
    client.force_login(staff)
    devnull = open(os.devnull, "w")
    small = USERS // 10
    started = time.perf_counter()
    call_command("seed_users", count=small, days=60, seed=11, prefix="small", stdout=devnull)
    print(f"Seeded {small} people x 60 days in {time.perf_counter() - started:.1f}s")
    small_seconds, small_queries, _ = page_time(client)
    started = time.perf_counter()
    call_command("seed_users", count=USERS - small, days=60, seed=12, prefix="large", stdout=devnull)
    print(f"Seeded {USERS - small} more in {time.perf_counter() - started:.1f}s")
    seconds, queries, _ = page_time(client)
    print(f"Staff metrics page, {small} people: {small_seconds * 1000:.0f} ms, {small_queries} queries")
    print(f"Staff metrics page, {USERS} people: {seconds * 1000:.0f} ms, {queries} queries "
          f"(goal: < 1000 ms; {seconds / small_seconds:.1f}x the time for 10x the people; best of {RUNS})")
    started = time.perf_counter()
    call_command("metrics", "--json", stdout=devnull)
    print(f"manage.py metrics --json: {(time.perf_counter() - started) * 1000:.0f} ms ({dt.date.today()})")


if __name__ == "__main__":
    main()
