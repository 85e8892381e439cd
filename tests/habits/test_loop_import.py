"""Importing Loop Habit Tracker backups: Loop's own files, and backups written the way Loop writes them."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from habits import stats
from habits.days import today_for
from habits.loop_import import LoopImportError, loop_import, unpack
from habits.models import LoopImport
from habits.models import CheckIn, DayNote, Habit, HabitCheckpoint, Skip
from habits.selectors import build_history
from tests.factories import CheckInFactory, HabitFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "loop"
FIXTURE_TODAY = dt.date(2015, 1, 25)  # the last day of Loop's Scores.csv in the fixture
NEW_HEADER = [
    "Position", "Name", "Type", "Question", "Description", "FrequencyNumerator", "FrequencyDenominator",
    "Color", "Unit", "Target Type", "Target Value", "Archived?",
]
OLD_HEADER = ["Position", "Name", "Question", "Description", "NumRepetitions", "Interval", "Color"]


# A backup written as Loop writes one (not by our exporter) -------------------------------------

def opencsv(rows) -> str:
    """Rows as opencsv's CSVWriter.writeNext(row, false) writes them: quoted only when needed."""
    def cell(text):
        text = str(text)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text

    return "".join(",".join(cell(c) for c in row) + "\n" for row in rows)


def loop_folder(position: int, name: str) -> str:
    """HabitsCSVExporter: "%03d %s" of the position and the name stripped to [ a-zA-Z0-9._-], trimmed."""
    return f"{position:03d} {re.sub(r'[^ a-zA-Z0-9._-]+', '', name)[:100]}".strip()


def loop_habit(name, entries=(), *, numerical=False, numerator=1, denominator=1, colour="#388E3C", unit="",
               target_type="AT_LEAST", target=0.0, archived=False, question="", description=""):
    return dict(name=name, entries=list(entries), numerical=numerical, numerator=numerator, denominator=denominator,
                colour=colour, unit=unit, target_type=target_type, target=target, archived=archived,
                question=question, description=description)


def loop_files(habits, old=False) -> dict[str, str]:
    """Habits.csv and every habit's Checkmarks.csv, in Loop 2.3.1+'s format or (old=True) 2.3.0's."""
    files = {}
    rows = [OLD_HEADER if old else NEW_HEADER]
    for position, h in enumerate(habits, start=1):
        if old:
            rows.append([f"{position:03d}", h["name"], h["question"], h["description"], h["numerator"], h["denominator"], h["colour"]])
        else:
            rows.append([
                f"{position:03d}", h["name"], "NUMERICAL" if h["numerical"] else "YES_NO", h["question"], h["description"],
                h["numerator"], h["denominator"], h["colour"], h["unit"] if h["numerical"] else "",
                h["target_type"] if h["numerical"] else "", repr(float(h["target"])) if h["numerical"] else "",
                "true" if h["archived"] else "false",
            ])
        entries = sorted(h["entries"], reverse=True)
        if old:
            body = "".join(f"{day.isoformat()},{value}\n" for day, value, *_ in entries)
        else:
            body = opencsv([["Date", "Value", "Notes"], *([day.isoformat(), value, note] for day, value, note in entries)])
        files[f"{loop_folder(position, h['name'])}/Checkmarks.csv"] = body
    files["Habits.csv"] = opencsv(rows)
    return files


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return buffer.getvalue()


def fixture_zip(version: str) -> bytes:
    root = FIXTURES / version
    return zipped({p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.csv"))})


def upload(client, data: bytes):
    return client.post("/profile/import-loop/", {"archive": SimpleUploadedFile("backup.zip", data, "application/zip")})


def run_import(user, files):
    return loop_import(user=user, texts=unpack(zipped(files)))


def today_of(user):
    return today_for(user.coaching_profile, timezone.now())


def history_of(habit):
    values = dict(habit.check_ins.values_list("local_date", "value"))
    return build_history(habit, values, habit.skips.values_list("local_date", flat=True), [])


def loop_scores(path: Path) -> dict[dt.date, float]:
    rows = [line.split(",") for line in path.read_text().splitlines() if not line.startswith("Date")]
    return {dt.date.fromisoformat(day): float(score) for day, score in rows}


# Loop's own files ------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["v2.3.1", "v2.3.0"])
def test_loops_own_backup_imports_with_loops_scores(user, version):
    result = loop_import(user=user, texts=unpack(fixture_zip(version)))

    meditate, wake = Habit.objects.filter(user=user).order_by("position")
    assert (meditate.name, meditate.schedule_kind, meditate.check_ins.count()) == ("Meditate", "daily", 0)
    assert (wake.name, wake.schedule_kind, wake.frequency_numerator, wake.frequency_denominator) == ("Wake up early", "frequency", 2, 3)
    assert (wake.colour, meditate.colour) == ("teal", "orange")
    assert wake.description == "Did you wake up before 6am?"
    assert sorted(wake.check_ins.values_list("local_date", flat=True)) == [
        dt.date(2015, 1, d) for d in (16, 17, 20, 21, 22, 25)
    ]
    assert not wake.check_ins.filter(time_known=True).exists()
    assert (result.habits_created, result.checkins, result.skips) == (2, 6, 0)
    series = dict(stats.strength_series(history_of(wake), FIXTURE_TODAY))
    expected = loop_scores(FIXTURES / version / "002 Wake up early" / "Scores.csv")
    assert {day: round(series[day], 4) for day in expected} == expected


def test_notes_on_days_without_a_check_in_come_in_as_day_notes(user):
    result = loop_import(user=user, texts=unpack(fixture_zip("v2.3.1")))

    notes = dict(DayNote.objects.filter(user=user).values_list("local_date", "text"))
    assert notes == {
        dt.date(2015, 1, 24): "Sick",
        dt.date(2015, 1, 23): "Forgot to do it, really",
        dt.date(2015, 1, 19): '"Vacation"',
    }
    assert result.notes == 3


# Backups written the way Loop writes them ------------------------------------------------------

def every_kind_of_habit(today):
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    long_name = "Read " + "a" * 345
    return [
        loop_habit("Meditate", [
            (day(1), "YES_MANUAL", "Calm, mostly"), (day(2), "NO", 'Said "no", then\nslept'), (day(3), "SKIP", "Ill"),
            (day(4), "YES_AUTO", ""), (day(5), "UNKNOWN", ""), (day(6), "NO", ""), (day(7), "YES_MANUAL", ""),
        ]),
        loop_habit("Run", [(day(1), "9200", "Windy"), (day(2), "NO", ""), (day(3), "SKIP", ""), (day(4), "12", "")],
                   numerical=True, unit="km", target=5.0, numerator=3, denominator=7),
        loop_habit("Sugar", [(day(1), "40000", ""), (day(2), "NO", "")], numerical=True, unit="g", target_type="AT_MOST", target=25.0),
        loop_habit("Stretch", [(day(2), "YES_MANUAL", ""), (day(1), "YES_AUTO", ""), (today, "YES_AUTO", ""),
                               (day(-1), "YES_AUTO", ""), (day(-2), "YES_AUTO", "")], numerator=2, denominator=3),
        loop_habit("Floss", [(day(3), "YES_MANUAL", "")], numerator=1, denominator=3, archived=True),
        loop_habit("Call home", [(day(10), "YES_MANUAL", "")], numerator=4, denominator=30, colour="#5E35B1"),
        loop_habit("🧘", [(day(1), "YES_MANUAL", "")]),
        loop_habit(long_name, [(day(1), "YES_MANUAL", "")]),
    ]


def test_every_kind_of_loop_value_comes_in_as_what_it_means(user):
    today = today_of(user)
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    files = loop_files(every_kind_of_habit(today))
    assert "007/Checkmarks.csv" in files  # an emoji-only name has a folder named by its position alone

    result = run_import(user, files)

    habits = {h.name: h for h in Habit.objects.filter(user=user)}
    meditate = habits["Meditate"]
    assert dict(meditate.check_ins.values_list("local_date", "note")) == {day(1): "Calm, mostly", day(7): ""}
    assert dict(meditate.skips.values_list("local_date", "note")) == {day(3): "Ill"}
    assert dict(meditate.day_notes.values_list("local_date", "text")) == {day(2): 'Said "no", then\nslept'}
    run = habits["Run"]
    assert (run.kind, run.unit, run.target, run.target_type) == ("measurable", "km", 5.0, "at_least")
    assert (run.schedule_kind, run.frequency_numerator, run.frequency_denominator) == ("frequency", 3, 7)
    assert dict(run.check_ins.values_list("local_date", "value")) == {day(1): 9.2, day(2): 0.0, day(4): 0.012}
    assert run.check_ins.get(local_date=day(1)).note == "Windy"
    assert list(run.skips.values_list("local_date", flat=True)) == [day(3)]
    sugar = habits["Sugar"]
    assert (sugar.target_type, dict(sugar.check_ins.values_list("local_date", "value"))) == ("at_most", {day(1): 40.0, day(2): 0.0})
    stretch = habits["Stretch"]
    assert list(stretch.check_ins.values_list("local_date", flat=True)) == [day(2)]
    assert stretch.start_date == day(2)
    floss = habits["Floss"]
    assert floss.archived_at is not None and (floss.frequency_numerator, floss.frequency_denominator) == (1, 3)
    call = habits["Call home"]
    assert (call.frequency_numerator, call.frequency_denominator, call.colour) == (4, 30, "purple")
    assert habits["🧘"].check_ins.count() == 1
    shortened = next(name for name in habits if name.startswith("Read "))
    assert len(shortened) == 300 and shortened.endswith("…") and habits[shortened].check_ins.count() == 1
    assert (result.habits_created, result.checkins, result.skips, result.notes) == (8, 12, 2, 1)
    assert any("350 characters" in notice for notice in result.notices)


def test_old_backup_number_habit_comes_in_without_a_target(user):
    today = today_of(user)
    files = loop_files([
        loop_habit("Pages", [(today - dt.timedelta(days=2), 12000), (today - dt.timedelta(days=1), 0), (today, -1)]),
        loop_habit("Walk", [(today - dt.timedelta(days=1), 2), (today, 3)], numerator=3, denominator=7),
    ], old=True)

    result = run_import(user, files)

    pages, walk = Habit.objects.filter(user=user).order_by("position")
    assert (pages.kind, pages.target) == ("measurable", None)
    assert sorted(pages.check_ins.values_list("value", flat=True)) == [0.0, 12.0]
    assert walk.kind == "boolean" and walk.check_ins.count() == 1 and walk.skips.count() == 1
    assert any("“Pages” is a number habit from an older Loop backup" in n for n in result.notices)


def test_new_style_file_with_numeric_codes_is_read_too(user):
    today = today_of(user)
    files = loop_files([loop_habit("Walk", [(today, "2", "Nice"), (today - dt.timedelta(days=1), "3", ""), (today - dt.timedelta(days=2), "1", "")])])

    run_import(user, files)

    walk = Habit.objects.get(user=user)
    assert list(walk.check_ins.values_list("note", flat=True)) == ["Nice"] and walk.skips.count() == 1


def counts():
    return tuple(model.objects.count() for model in (Habit, CheckIn, Skip, DayNote))


def test_importing_the_same_backup_again_changes_nothing(user):
    files = loop_files(every_kind_of_habit(today_of(user)))
    run_import(user, files)
    before = counts()

    again = run_import(user, files)

    assert counts() == before
    assert (again.habits_created, again.habits_merged, again.checkins, again.skips, again.notes) == (0, 8, 0, 0, 0)


def test_same_habit_gets_only_the_days_it_does_not_have(user):
    today = today_of(user)
    run = HabitFactory(user=user, name="run", start_date=today - dt.timedelta(days=3))
    CheckInFactory(habit=run, local_date=today - dt.timedelta(days=1), note="mine")
    HabitCheckpoint.objects.create(habit=run, as_of=today - dt.timedelta(days=2), score=0.5, current_streak=1, best_streak=1)
    files = loop_files([loop_habit("Run", [(today - dt.timedelta(days=d), "YES_MANUAL", "loop") for d in (1, 2, 9)])])

    result = run_import(user, files)

    assert Habit.objects.filter(user=user).count() == 1
    assert dict(run.check_ins.values_list("local_date", "note")) == {
        today - dt.timedelta(days=1): "mine", today - dt.timedelta(days=2): "loop", today - dt.timedelta(days=9): "loop",
    }
    run.refresh_from_db()
    assert run.start_date == today - dt.timedelta(days=9)
    assert not HabitCheckpoint.objects.filter(habit=run).exists()
    assert (result.habits_merged, result.checkins) == (1, 2)


@pytest.mark.parametrize("ours", [
    dict(kind="measurable"),
    dict(schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7),
    dict(schedule_kind="weekdays", weekdays=[0, 2, 4]),
])
def test_habit_of_another_kind_or_frequency_comes_in_as_its_own(user, ours):
    today = today_of(user)
    mine = HabitFactory(user=user, name="Run", **ours)
    files = loop_files([loop_habit("Run", [(today, "YES_MANUAL", "")])])

    result = run_import(user, files)
    again = run_import(user, files)

    loop_run = Habit.objects.get(user=user, name="Run (from Loop)")
    assert loop_run.check_ins.count() == 1 and not mine.check_ins.exists()
    assert any("came in as its own habit, “Run (from Loop)”" in notice for notice in result.notices)
    assert (again.habits_created, again.checkins) == (0, 0)


def test_number_habit_with_another_target_type_comes_in_as_its_own(user):
    HabitFactory(user=user, name="Sugar", kind="measurable", target=25, target_type="at_least")
    run_import(user, loop_files([loop_habit("Sugar", [(today_of(user), "30000", "")], numerical=True, target_type="AT_MOST", target=25.0)]))
    assert Habit.objects.get(user=user, name="Sugar (from Loop)").target_type == "at_most"


# The pages and the command ---------------------------------------------------------------------

def test_small_import_shows_its_result_at_once(logged_in, user, django_assert_max_num_queries):
    response = upload(logged_in, fixture_zip("v2.3.1"))

    record = LoopImport.objects.get(user=user)
    assert response["Location"] == f"/profile/import-loop/{record.pk}/"
    assert record.status == "done" and record.archive == b""
    with django_assert_max_num_queries(6):
        page = logged_in.get(response["Location"])
    assert "Imported 2 habits (2 new), 6 check-ins and 3 notes." in page.content.decode()

    again = logged_in.get(upload(logged_in, fixture_zip("v2.3.1"))["Location"]).content.decode()
    assert "Already here" in again
    assert "Nothing new: the 2 habits in this backup are already here, with every day." in again


def test_large_import_runs_as_a_task_and_the_progress_page_shows_the_result(logged_in, user, django_capture_on_commit_callbacks):
    today = today_of(user)
    entries = [(today - dt.timedelta(days=n), "YES_MANUAL", "") for n in range(3000)]
    data = zipped(loop_files([loop_habit("Read", entries), loop_habit("Write", entries[:2500])]))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(logged_in, data)

    assert len(callbacks) == 1
    record = LoopImport.objects.get(user=user)
    assert (record.status, record.archive, record.result["checkins"]) == ("done", b"", 5500)
    page = logged_in.get(response["Location"])
    assert "Imported 2 habits (2 new), 5,500 check-ins." in page.content.decode()


def test_queued_import_page_polls_until_done(logged_in, user):
    record = LoopImport.objects.create(user=user, archive=b"zip")
    page = logged_in.get(f"/profile/import-loop/{record.pk}/")
    assert b"Importing" in page.content and b'hx-trigger="every 2s"' in page.content


def test_failed_background_import_says_why_and_stores_nothing(user):
    from habits.loop_import import loop_import_run

    today = today_of(user)
    data = zipped(loop_files([loop_habit("Read", [(today - dt.timedelta(days=n), "YES_MANUAL", "") for n in range(6000)] + [(dt.date(1999, 1, 1), "YES_MANUAL", "")])]))
    record = LoopImport.objects.create(user=user, archive=data)

    loop_import_run(loop_import_id=record.pk)

    record.refresh_from_db()
    assert record.status == "failed" and record.error.startswith("001 Read/Checkmarks.csv line 6002:")
    assert record.archive == b"" and not Habit.objects.filter(user=user).exists()


def test_import_pages_need_a_login_and_hide_other_peoples_imports(client, logged_in, user):
    other = LoopImport.objects.create(user=HabitFactory().user, status="done", result={})
    assert logged_in.get(f"/profile/import-loop/{other.pk}/").status_code == 404
    logged_in.logout()
    for url in ("/profile/import-loop/", f"/profile/import-loop/{other.pk}/", "/profile/export-loop.zip"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_import_loop_command(user, tmp_path, capsys):
    path = tmp_path / "backup.zip"
    path.write_bytes(fixture_zip("v2.3.0"))

    call_command("import_loop", str(path), "--user", user.email)

    assert "Imported 2 habits (2 new), 6 check-ins." in capsys.readouterr().out


def test_import_loop_command_refuses_bad_input_with_one_line_and_exit_2(user, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(zipped({"Habits.csv": "Foo,Bar\n1,2\n"}))

    with pytest.raises(CommandError) as refused:
        call_command("import_loop", str(bad), "--user", user.email)

    assert refused.value.returncode == 2
    assert str(refused.value).startswith("Habits.csv line 1: ") and "\n" not in str(refused.value)
    assert not Habit.objects.filter(user=user).exists()


def test_one_habit_and_one_check_in_read_in_the_singular_beside_a_habit_already_here(user):
    today = today_of(user)
    HabitFactory(user=user, name="Read")
    result = run_import(user, loop_files([loop_habit("Read", [(today, "YES_MANUAL", "")]),
                                          loop_habit("Write", [(today - dt.timedelta(days=1), "SKIP", "")])]))
    assert result.summary == "Imported 2 habits (1 new, 1 already here), 1 check-in and 1 skip."


def test_a_backup_listing_no_habits_is_refused_and_changes_nothing(user):
    with pytest.raises(LoopImportError, match="lists no habits"):
        run_import(user, loop_files([]))
    assert not Habit.objects.filter(user=user).exists()
