"""Malformed Loop backups: each gets one line naming the file (and line) and nothing is stored."""

import datetime as dt
import html
import io
import re
import zipfile

import pytest

from habits.models import LoopImport
from habits.models import CheckIn, DayNote, Habit, Skip
from tests.factories import CheckInFactory, HabitFactory
from tests.habits.test_loop_import import NEW_HEADER, loop_files, loop_habit, opencsv, upload, zipped

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


def one_habit(entries=(), **habit):
    return loop_files([loop_habit(habit.pop("name", "Run"), entries, **habit)])


def with_habits_row(**columns):
    """A backup whose one Habits.csv row has some columns replaced."""
    row = dict(zip(NEW_HEADER, ["001", "Run", "NUMERICAL", "", "", "1", "1", "#388E3C", "km", "AT_LEAST", "5.0", "false"]))
    row.update(columns)
    return {"Habits.csv": opencsv([NEW_HEADER, list(row.values())]), "001 Run/Checkmarks.csv": "Date,Value,Notes\n"}


def stored(path, data, method=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(path, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = method
        archive.writestr(info, data)
    return buffer.getvalue()


def encrypted() -> bytes:
    """A member marked as encrypted (general purpose flag bit 0), in both of the zip's headers."""
    data = bytearray(stored("Habits.csv", opencsv([NEW_HEADER])))
    data[6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    return bytes(data)


def bad_crc() -> bytes:
    data = bytearray(stored("Habits.csv", opencsv([NEW_HEADER])))
    position = data.index(b"Position")
    data[position] = ord("p")
    return bytes(data)


def too_many_habits():
    rows = [[f"{n:03d}", f"Habit {n}", "YES_NO", "", "", "1", "1", "#388E3C", "", "", "", "false"] for n in range(1, 1002)]
    return {"Habits.csv": opencsv([NEW_HEADER, *rows])}


def too_many_rows():
    start = dt.date(2001, 1, 1)
    body = "Date,Value,Notes\n" + "".join(f"{start + dt.timedelta(days=n)},YES_MANUAL,\n" for n in range(9000))
    # 56 habits x 9,000 days is more than 500,000 rows
    habits = [loop_habit(f"H{n}") for n in range(56)]
    files = loop_files(habits)
    return {path: (body if path.endswith("Checkmarks.csv") else text) for path, text in files.items()}


def future(user_today):
    return one_habit([(user_today + dt.timedelta(days=2), "YES_MANUAL", "")])


CASES = [
    ("not a zip", lambda: b"PK but not really a zip", "That is not a zip file."),
    ("bad CRC", bad_crc, "Habits.csv is damaged inside the zip"),
    ("encrypted", encrypted, "Habits.csv is encrypted"),
    ("unknown compression", lambda: stored("Habits.csv", "x", method=zipfile.ZIP_BZIP2), "Habits.csv is compressed in a way Loop never uses"),
    ("zip bomb", lambda: zipped({**one_habit(), "001 Run/Checkmarks.csv": "Date,Value,Notes\n" + "\n" * (21 * 1024 * 1024)}), "That zip unpacks to more than 20 MB"),
    ("missing Habits.csv", lambda: zipped({"001 Run/Checkmarks.csv": "Date,Value,Notes\n"}), "This zip has no Habits.csv"),
    ("wrong columns", lambda: zipped({"Habits.csv": "Foo,Bar\n1,2\n"}), "Habits.csv line 1: these are not Loop's columns"),
    ("short row", lambda: zipped({"Habits.csv": opencsv([NEW_HEADER, ["001", "Run"]])}), "Habits.csv line 2: expected 12 columns, found 2"),
    ("target NaN", lambda: zipped(with_habits_row(**{"Target Value": "NaN"})), "Habits.csv line 2: target “NaN” is not a number"),
    ("target Infinity", lambda: zipped(with_habits_row(**{"Target Value": "Infinity"})), "Habits.csv line 2: target “Infinity”"),
    ("target negative", lambda: zipped(with_habits_row(**{"Target Value": "-5.0"})), "Habits.csv line 2: target “-5.0”"),
    ("frequency 0", lambda: zipped(with_habits_row(FrequencyNumerator="0")), "Habits.csv line 2: “0” is not a frequency"),
    ("frequency absurd", lambda: zipped(with_habits_row(FrequencyDenominator="99999")), "Habits.csv line 2: “99999” is not a frequency"),
    ("more times than days", lambda: zipped(with_habits_row(FrequencyNumerator="5", FrequencyDenominator="3")), "Habits.csv line 2: 5 times in 3 days"),
    ("bad colour", lambda: zipped(with_habits_row(Color="teal")), "Habits.csv line 2: “teal” is not a colour"),
    ("NUL in name", lambda: zipped(one_habit(name="Ru\x00n")), "Habits.csv line 2: contains a NUL character"),
    ("NUL in note", lambda: zipped(one_habit([(DAY, "YES_MANUAL", "a\x00b")])), "001 Run/Checkmarks.csv line 2: contains a NUL character"),
    ("huge field", lambda: zipped(one_habit([(DAY, "YES_MANUAL", "x" * 131_073)])), "001 Run/Checkmarks.csv line 2: a field is longer than 131,072 characters"),
    ("impossible date", lambda: zipped(one_habit([(DAY, "NO", ""), (dt.date(2024, 1, 1), "NO", "")]) | {"001 Run/Checkmarks.csv": "Date,Value,Notes\n2025-03-01,NO,\n2026-02-30,YES_MANUAL,\n"}), "001 Run/Checkmarks.csv line 3: “2026-02-30” is not a date"),
    ("date before 2000", lambda: zipped(one_habit([(dt.date(1999, 12, 31), "YES_MANUAL", "")])), "001 Run/Checkmarks.csv line 2: 1999-12-31 is before 2000-01-01"),
    ("same day twice", lambda: zipped(one_habit() | {"001 Run/Checkmarks.csv": "Date,Value,Notes\n2025-03-01,NO,\n2025-03-01,YES_MANUAL,\n"}), "001 Run/Checkmarks.csv line 3: 2025-03-01 appears twice"),
    ("unknown value", lambda: zipped(one_habit([(DAY, "MAYBE", "")])), "001 Run/Checkmarks.csv line 2: “MAYBE” is not a Loop value"),
    ("inf amount", lambda: zipped(one_habit([(DAY, "inf", "")], numerical=True)), "001 Run/Checkmarks.csv line 2: “inf” is not a Loop value"),
    ("nan amount", lambda: zipped(one_habit([(DAY, "nan", "")], numerical=True)), "001 Run/Checkmarks.csv line 2: “nan” is not a Loop value"),
    ("1e400 amount", lambda: zipped(one_habit([(DAY, "1e400", "")], numerical=True)), "001 Run/Checkmarks.csv line 2: “1e400” is not a Loop value"),
    ("negative amount", lambda: zipped(one_habit([(DAY, "-5000", "")], numerical=True)), "001 Run/Checkmarks.csv line 2: “-5000” is not a Loop value"),
    ("absurd amount", lambda: zipped(one_habit([(DAY, "99999999999", "")], numerical=True)), "001 Run/Checkmarks.csv line 2: “99999999999” is not a Loop value"),
    ("amount on a yes/no habit", lambda: zipped(one_habit([(DAY, "9200", "")])), "001 Run/Checkmarks.csv line 2: “9200” is not a yes/no value"),
    ("more than 1,000 habits", lambda: zipped(too_many_habits()), "Habits.csv line 1002: more than 1,000 habits"),
    ("more than 500,000 rows", lambda: zipped(too_many_rows()), "056 H55/Checkmarks.csv line 4889: the backup has more than 500,000 rows"),
]


def error_line(client, response) -> str:
    """The error on the import page, or for a large backup (imported by the worker) on its progress page."""
    if response.status_code == 302:
        page = client.get(response["Location"]).content.decode()
        return html.unescape(re.search(r"<h2>Nothing was imported</h2>\s*<p>(.*?)</p>", page, re.S).group(1))
    assert response.status_code == 400
    match = re.search(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', response.content.decode(), re.S)
    return html.unescape(match.group(1))


@pytest.fixture
def someone_with_history(user):
    habit = HabitFactory(user=user, name="Run")
    CheckInFactory(habit=habit, local_date=DAY)
    return user


def database():
    return tuple(model.objects.count() for model in (Habit, CheckIn, Skip, DayNote))


@pytest.mark.parametrize("build,message", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_malformed_backup_gets_one_line_and_stores_nothing(logged_in, someone_with_history, build, message, django_capture_on_commit_callbacks):
    before = database()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(logged_in, build())

    line = error_line(logged_in, response)
    assert message in line and "\n" not in line, line
    assert database() == before
    assert not LoopImport.objects.exclude(status="failed").exists()
    assert not LoopImport.objects.exclude(archive=b"").exists()


def test_check_in_after_todays_date_is_refused_with_its_line(logged_in, someone_with_history):
    from django.utils import timezone

    from habits.days import today_for

    today = today_for(someone_with_history.coaching_profile, timezone.now())
    before = database()

    response = upload(logged_in, zipped(future(today)))

    assert error_line(logged_in, response).startswith(f"001 Run/Checkmarks.csv line 2: {today + dt.timedelta(days=2)} is after today")
    assert database() == before


def test_upload_over_20_mb_is_refused(logged_in, someone_with_history):
    before = database()
    response = upload(logged_in, b"PK" + b"\0" * (20 * 1024 * 1024))
    assert "larger than 20 MB" in error_line(logged_in, response) and database() == before
