"""The array form of completion counts (habits.pooled) against stats.completion_counts, habit by habit."""

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from habits import stats
from habits.pooled import pooled_counts
from habits.schedule import HabitHistory, Measure, Schedule, counts_as_done

SCHEDULES = [
    Schedule(), Schedule(weekdays=frozenset({0, 2, 4})), Schedule(weekdays=frozenset({5, 6})),
    Schedule(times=3, days=7), Schedule(times=1, days=7), Schedule(times=1, days=3), Schedule(times=2, days=5),
    Schedule(times=4, days=30), Schedule(times=2, days=31),
]
MEASURES = [None, Measure(5.0), Measure(3.0, at_most=True), Measure(20.0)]


def random_habit(rng: random.Random, habit_id: int, last: date):
    schedule = rng.choice(SCHEDULES)
    measure = rng.choice(MEASURES)
    start = last - timedelta(days=rng.randint(-3, 80))
    values = {}
    for offset in range(-40, 100):
        day = start + timedelta(days=offset if rng.random() < 0.1 else max(0, offset))
        if day <= last + timedelta(days=1) and rng.random() < 0.55:
            values[day] = None if measure is None else round(rng.uniform(0, 9), 1)
    skipped = {start + timedelta(days=rng.randint(0, 80)) for _ in range(rng.randint(0, 4))}
    pauses = []
    if rng.random() < 0.3:
        pause_start = start + timedelta(days=rng.randint(0, 60))
        pauses.append((pause_start, None if rng.random() < 0.3 else pause_start + timedelta(days=rng.randint(0, 12))))
    effective_start = min([start, *values])
    history = HabitHistory(
        schedule=schedule, start=effective_start,
        done=frozenset(day for day, value in values.items() if counts_as_done(schedule, measure, value)),
        skipped=frozenset(skipped), paused=tuple(pauses),
        amounts={day: value for day, value in values.items() if value is not None}, measure=measure,
    )
    row = {
        "habit_id": habit_id, "start": effective_start.toordinal(), "last": last.toordinal(),
        "weekdays": sum(1 << d for d in schedule.weekdays) or 127, "times": schedule.times,
        "period_days": schedule.days, "measured": measure is not None,
        "at_most": bool(measure and measure.at_most), "target": measure.target if measure else np.nan,
    }
    check_ins = [{"habit_id": habit_id, "day": day.toordinal(), "value": np.nan if value is None else value}
                 for day, value in values.items()]
    skip_rows = [{"habit_id": habit_id, "day": day.toordinal()} for day in skipped]
    pause_rows = [{"habit_id": habit_id, "start": s.toordinal(), "end": np.nan if e is None else e.toordinal()}
                  for s, e in pauses]
    return history, row, check_ins, skip_rows, pause_rows


def frames(parts):
    habits = pd.DataFrame([p[1] for p in parts])
    check_ins = pd.DataFrame([c for p in parts for c in p[2]], columns=["habit_id", "day", "value"])
    skips = pd.DataFrame([s for p in parts for s in p[3]], columns=["habit_id", "day"])
    pauses = pd.DataFrame([s for p in parts for s in p[4]], columns=["habit_id", "start", "end"])
    return habits, check_ins, skips, pauses


@pytest.mark.parametrize("seed", range(40))
def test_each_habit_counts_as_completion_counts_counts_it(seed):
    rng = random.Random(seed)
    last = date(2026, 3, 1) + timedelta(days=rng.randint(0, 60))
    history, *rest = part = random_habit(rng, 1, last)
    expected = stats.completion_counts(history, last + timedelta(days=1), 30, end=last)
    assert pooled_counts(*frames([part]), days=30) == pytest.approx(expected, abs=1e-9)


def test_a_population_adds_up_habit_by_habit():
    rng = random.Random(99)
    parts, expected_done, expected_scheduled = [], 0.0, 0.0
    for habit_id in range(300):
        last = date(2026, 3, 29) + timedelta(days=rng.randint(0, 1))   # people on both sides of the date line
        part = random_habit(rng, habit_id, last)
        done, scheduled = stats.completion_counts(part[0], last + timedelta(days=1), 30, end=last)
        expected_done, expected_scheduled = expected_done + done, expected_scheduled + scheduled
        parts.append(part)
    done, scheduled = pooled_counts(*frames(parts), days=30)
    assert done == pytest.approx(expected_done)
    assert scheduled == pytest.approx(expected_scheduled)
    assert 0 < done < scheduled


@pytest.mark.django_db
def test_the_database_path_counts_every_habit_as_its_own_page_would():
    from habits.models import CheckIn, Pause, ScheduleKind, Skip
    from habits.selectors import habit_views, pooled_completion
    from tests.factories import HabitFactory, ProfileFactory

    rng = random.Random(5)
    last_days, expected = {}, [0.0, 0.0]
    kinds = [
        {}, {}, {"schedule_kind": ScheduleKind.WEEKDAYS, "weekdays": [0, 3]},
        {"schedule_kind": ScheduleKind.FREQUENCY, "frequency_numerator": 3, "frequency_denominator": 7},
        {"schedule_kind": ScheduleKind.FREQUENCY, "frequency_numerator": 2, "frequency_denominator": 30},
        {"kind": "measurable", "target": 5.0}, {"kind": "measurable", "target": 2.0, "target_type": "at_most"},
    ]
    habits = []
    for person in range(6):
        user = ProfileFactory().user
        last = date(2026, 5, 20) + timedelta(days=person % 2)
        last_days[user.pk] = last
        for fields in kinds:
            habit = HabitFactory(user=user, start_date=last - timedelta(days=rng.randint(5, 70)), **fields)
            habits.append((habit, last))
            for offset in range(-5, 75):
                day = habit.start_date + timedelta(days=offset)
                if day <= last and rng.random() < 0.6:
                    CheckIn.objects.create(user=user, habit=habit, local_date=day, completed_at=f"{day}T12:00Z",
                                           timezone="UTC", utc_offset_minutes=0,
                                           value=round(rng.uniform(0, 8), 1) if fields.get("kind") else None)
            if rng.random() < 0.5:
                Skip.objects.create(user=user, habit=habit, local_date=last - timedelta(days=rng.randint(0, 20)))
            if rng.random() < 0.3:
                Pause.objects.create(user=user, habit=habit, start=last - timedelta(days=12), end=last - timedelta(days=9))
    for habit, last in habits:
        view = habit_views([habit], last + timedelta(days=1), recent_days=0, whole_history=True)[0]
        done, scheduled = stats.completion_counts(view.history, last + timedelta(days=1), 30, end=last)
        expected[0] += done
        expected[1] += scheduled
    assert pooled_completion(last_days, 30) == pytest.approx(tuple(expected))
