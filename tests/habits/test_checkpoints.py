"""Figures kept as checkpoints: folding forward from one gives exactly what the whole history gives."""

import datetime as dt
import json
import random

import pytest
import time_machine

from habits import selectors, services, stats
from habits.models import CheckIn, Habit, HabitCheckpoint
from habits.schedule import HabitHistory, Measure, Schedule
from tests.factories import HabitFactory

D = dt.date
TODAY = D(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)

SCHEDULES = [
    Schedule(), Schedule(weekdays=frozenset({0, 2, 4})), Schedule(times=3, days=7), Schedule(times=1, days=3),
    Schedule(times=2, days=3), Schedule(times=4, days=30), Schedule(times=1, days=7),
]


def random_history(rng, sched, measure=None, days=900):
    start = TODAY - dt.timedelta(days=days)
    all_days = [start + dt.timedelta(days=i) for i in range(days + 1)]
    rate = rng.uniform(0.2, 0.95)
    logged = [d for d in all_days if rng.random() < rate]
    amounts = {d: round(rng.uniform(0, 2 * measure.target), 1) for d in logged} if measure else {}
    done = {d for d in logged if measure is None or measure.met_by(amounts[d])}
    skipped = {d for d in all_days if d not in logged and rng.random() < 0.03}
    pause_start = start + dt.timedelta(days=rng.randint(100, 700))
    return HabitHistory(schedule=sched, start=start, done=frozenset(done), skipped=frozenset(skipped),
                        paused=((pause_start, pause_start + dt.timedelta(days=rng.randint(1, 30))),),
                        amounts=amounts, measure=measure)


@pytest.mark.parametrize("sched", SCHEDULES, ids=lambda s: s.label)
@pytest.mark.parametrize("measure", [None, Measure(5.0), Measure(3.0, at_most=True)], ids=["yes/no", "at least", "at most"])
def test_folding_from_a_checkpoint_gives_the_same_figures_as_the_whole_history(sched, measure):
    rng = random.Random(hash((sched, measure)) & 0xFFFF)
    for _ in range(3):
        history = random_history(rng, sched, measure)
        whole = stats.fold(history, TODAY, keep_before=TODAY - dt.timedelta(days=40))
        assert whole.checkpoint is not None and whole.checkpoint.day <= TODAY - dt.timedelta(days=40)
        resumed = stats.fold(history, TODAY, since=whole.checkpoint)
        assert resumed.strength == pytest.approx(whole.strength, abs=1e-12)
        assert (resumed.current_streak, resumed.best_streak) == (whole.current_streak, whole.best_streak)
        tail = whole.strength_series[-len(resumed.strength_series):]
        assert [d for d, _ in resumed.strength_series] == [d for d, _ in tail]
        assert [v for _, v in resumed.strength_series] == pytest.approx([v for _, v in tail], abs=1e-12)


def test_a_checkpoint_sits_at_the_end_of_a_period():
    history = random_history(random.Random(3), Schedule(times=4, days=30))
    checkpoint = stats.fold(history, TODAY, keep_before=TODAY - dt.timedelta(days=40)).checkpoint
    assert checkpoint.day == D(2026, 4, 30)  # the last month that ended 40 days before 15 June


@pytest.fixture
def long_habit(user):
    habit = HabitFactory(user=user, name="Read", start_date=TODAY - dt.timedelta(days=700),
                         schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    rng = random.Random(7)
    rows = []
    for offset in range(700):
        day = TODAY - dt.timedelta(days=offset)
        if rng.random() < 0.5:
            moment = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
            rows.append(CheckIn(user=user, habit=habit, local_date=day, completed_at=moment, timezone="UTC",
                                utc_offset_minutes=0))
    CheckIn.objects.bulk_create(rows)
    return habit


def full_figures(habit):
    return selectors.habit_views([habit], TODAY, whole_history=True)[0]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_today_page_figures_match_the_whole_history_once_a_checkpoint_exists(logged_in, long_habit):
    logged_in.get("/today/")
    checkpoint = HabitCheckpoint.objects.get(habit=long_habit)
    assert checkpoint.as_of <= TODAY - dt.timedelta(days=40)
    quick = selectors.habit_views([long_habit], TODAY)[0]
    assert len(quick.values) < 120  # it read the recent days only
    full = full_figures(long_habit)
    assert quick.strength == full.strength and quick.figures.strength == pytest.approx(full.figures.strength)
    assert (quick.current_streak, quick.best_streak) == (full.current_streak, full.best_streak)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_changing_an_old_check_in_outdates_the_checkpoint(logged_in, long_habit):
    logged_in.get("/today/")
    as_of = HabitCheckpoint.objects.get(habit=long_habit).as_of
    old = CheckIn.objects.filter(habit=long_habit, local_date__lte=as_of).first()
    services.checkin_delete(checkin=old)
    assert not HabitCheckpoint.objects.filter(habit=long_habit).exists()
    quick = selectors.habit_views([long_habit], TODAY)[0]
    assert quick.figures.strength == pytest.approx(full_figures(long_habit).figures.strength)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_todays_check_in_keeps_the_checkpoint_and_moves_the_figures(logged_in, long_habit):
    CheckIn.objects.filter(habit=long_habit, local_date__gte=TODAY - dt.timedelta(days=14)).delete()  # room in the window
    logged_in.get("/today/")
    before = selectors.habit_views([long_habit], TODAY)[0]
    services.checkin_record(habit=long_habit)
    assert HabitCheckpoint.objects.filter(habit=long_habit).exists()
    after = selectors.habit_views([long_habit], TODAY)[0]
    assert after.figures.strength > before.figures.strength
    assert after.figures.strength == pytest.approx(full_figures(long_habit).figures.strength)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_changing_the_frequency_recomputes_from_the_whole_history(logged_in, long_habit):
    logged_in.get("/today/")
    services.habit_update(habit=long_habit, changes={"frequency_numerator": 5})
    assert not HabitCheckpoint.objects.filter(habit=long_habit).exists()
    assert selectors.habit_views([long_habit], TODAY)[0].strength == full_figures(long_habit).strength


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_json_export_carries_strength_and_streaks_as_of_local_today(logged_in, long_habit):
    Habit.objects.filter(pk=long_habit.pk).update(target=float("nan"))  # left by an old bad import
    response = logged_in.get("/profile/export.json")
    data = json.loads(response.content, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    row = next(h for h in data["habits"] if h["id"] == long_habit.pk)
    full = full_figures(long_habit)
    assert row["strength"] == pytest.approx(full.figures.strength * 100)
    assert 0 < row["strength"] < 100 and row["strength"] != round(row["strength"])
    assert (row["current_streak"], row["best_streak"]) == (full.current_streak, full.best_streak)
    assert row["target"] is None
