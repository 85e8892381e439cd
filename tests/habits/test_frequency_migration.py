"""The move from "times per week" to "k times in N days" keeps everyone's schedule."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("habits", "0001_initial")]
AFTER = [("habits", "0002_frequency_schedule_notes_checkpoints")]


@pytest.mark.django_db(transaction=True)
def test_migration_maps_every_old_schedule_to_the_same_frequency():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("auth", "User")
    Habit = old_apps.get_model("habits", "Habit")
    user = User.objects.create(username="old", email="old@example.com")
    start = dt.date(2026, 1, 5)
    old = {
        "daily": dict(schedule_kind="daily", times_per_week=7),
        "weekdays": dict(schedule_kind="weekdays", weekdays=[0, 2, 4], times_per_week=7),
        "three": dict(schedule_kind="per_week", times_per_week=3),
        "seven": dict(schedule_kind="per_week", times_per_week=7),
    }
    for name, fields in old.items():
        Habit.objects.create(user=user, name=name, start_date=start, **fields)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    rows = {h.name: h for h in new_apps.get_model("habits", "Habit").objects.all()}
    assert (rows["daily"].schedule_kind, rows["daily"].frequency_numerator, rows["daily"].frequency_denominator) == ("daily", 1, 1)
    assert (rows["weekdays"].schedule_kind, rows["weekdays"].weekdays) == ("weekdays", [0, 2, 4])
    assert (rows["three"].schedule_kind, rows["three"].frequency_numerator, rows["three"].frequency_denominator) == ("frequency", 3, 7)
    assert rows["seven"].schedule_kind == "daily"  # 7 a week always scored as daily

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
