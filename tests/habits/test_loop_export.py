"""Back up for Loop: Loop's layout, read back by our importer without losing anything."""

import datetime as dt
import io
import zipfile

import pytest

from habits import stats
from habits.loop_import import loop_import, unpack
from habits.models import CheckIn, DayNote, Habit, Skip
from tests.factories import ProfileFactory
from tests.habits.test_loop_import import (
    NEW_HEADER,
    every_kind_of_habit,
    history_of,
    loop_files,
    opencsv,
    run_import,
    today_of,
    zipped,
)

pytestmark = pytest.mark.django_db


def exported(client) -> zipfile.ZipFile:
    response = client.get("/profile/export-loop.zip")
    assert response["Content-Disposition"].startswith('attachment; filename="Loop Habits CSV ')
    return zipfile.ZipFile(io.BytesIO(response.content))


def everything(user):
    """Every habit with its check-ins, skips and notes, by name: what a round trip must keep."""
    return {
        h.name: dict(
            kind=h.kind, unit=h.unit, target=h.target, target_type=h.target_type, colour=h.colour,
            frequency=(h.schedule_kind, h.frequency_numerator, h.frequency_denominator), archived=h.archived_at is not None,
            description=h.description,
            checkins=set(CheckIn.objects.filter(habit=h).values_list("local_date", "value", "note")),
            skips=set(Skip.objects.filter(habit=h).values_list("local_date", "note")),
            notes=set(DayNote.objects.filter(habit=h).values_list("local_date", "text")),
        )
        for h in Habit.objects.filter(user=user)
    }


def test_loop_files_survive_a_round_trip_through_cadence(logged_in, user):
    run_import(user, loop_files(every_kind_of_habit(today_of(user))))
    other = ProfileFactory(timezone="Asia/Kolkata").user

    loop_import(user=other, texts=unpack(zipped({n: exported(logged_in).read(n) for n in exported(logged_in).namelist()})))

    assert everything(other) == everything(user)
    assert len(everything(user)) == 8


def test_backup_is_laid_out_as_loop_lays_it_out(logged_in, user):
    today = today_of(user)
    run_import(user, loop_files(every_kind_of_habit(today)))
    Habit.objects.filter(user=user, name="Floss").update(schedule_kind="weekdays", weekdays=[0, 2, 4])

    archive = exported(logged_in)

    names = archive.namelist()
    assert names[:3] == ["Habits.csv", "001 Meditate/Scores.csv", "001 Meditate/Checkmarks.csv"]
    assert names[-2:] == ["Scores.csv", "Checkmarks.csv"] and "007/Checkmarks.csv" in names
    habits = archive.read("Habits.csv").decode()
    assert habits.startswith(",".join(NEW_HEADER) + "\n")
    assert "\n002,Run,NUMERICAL,,,3,7,#388E3C,km,AT_LEAST,5.0,false\n" in habits
    assert "\n005,Floss,YES_NO,,,3,7,#388E3C,,,,true\n" in habits  # Mon, Wed, Fri as 3 times in 7 days
    day = lambda n: (today - dt.timedelta(days=n)).isoformat()  # noqa: E731
    assert archive.read("001 Meditate/Checkmarks.csv").decode() == opencsv([
        ["Date", "Value", "Notes"], [day(1), "YES_MANUAL", "Calm, mostly"], [day(2), "UNKNOWN", 'Said "no", then\nslept'],
        [day(3), "SKIP", "Ill"], [day(7), "YES_MANUAL", ""],
    ])
    assert archive.read("002 Run/Checkmarks.csv").decode().splitlines()[1:3] == [f"{day(1)},9200,Windy", f"{day(2)},0,"]
    table = archive.read("Checkmarks.csv").decode().splitlines()
    assert table[0].startswith("Date,Meditate,Run,Sugar,") and table[1].startswith(f"{today.isoformat()},UNKNOWN,UNKNOWN,")
    assert table[2].startswith(f"{day(1)},YES_MANUAL,9200,40000,") and table[2].endswith(",")


def test_backup_scores_are_our_strength_to_four_decimals(logged_in, user):
    today = today_of(user)
    run_import(user, loop_files(every_kind_of_habit(today)))
    run = Habit.objects.get(user=user, name="Run")
    series = stats.strength_series(history_of(run), today)

    rows = exported(logged_in).read("002 Run/Scores.csv").decode().splitlines()

    assert rows[0] == "Date,Score"
    assert rows[1:] == [f"{d.isoformat()},{s:.4f}" for d, s in reversed(series)]
    assert any(s > 0 for _, s in series)
