import datetime as dt
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from habits.models import CheckIn, Habit, Skip
from onboarding.models import CoachingProfile
from tests.factories import CheckInFactory, HabitFactory

pytestmark = pytest.mark.django_db


def loop_zip(habits_csv=None, checkmarks=None, extra=None):
    """A small Loop Habit Tracker export, built the way Loop lays it out."""
    habits_csv = habits_csv or (
        "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,Unit,Target Type,Target Value,Archived?\n"
        "001,Meditate,0,Did you meditate?,Ten minutes,1,1,#FF8F00,,0,0,false\n"
        "002,Run,1,How far?,,3,7,#00897B,km,0,5,false\n"
    )
    checkmarks = checkmarks or {
        "001 Meditate/Checkmarks.csv": "2025-01-03,YES_MANUAL\n2025-01-02,SKIP\n2025-01-01,YES_MANUAL\n2024-12-31,NO\n",
        "002 Run/Checkmarks.csv": "2025-01-03,5.2\n2025-01-01,0\n2024-12-30,3.1\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Habits.csv", habits_csv)
        for path, text in {**checkmarks, **(extra or {})}.items():
            zf.writestr(path, text)
    return buffer.getvalue()


def upload(client, data, name="loop.zip"):
    return client.post("/profile/import-loop/", {"archive": SimpleUploadedFile(name, data, "application/zip")})


def test_loop_import_creates_habits_check_ins_and_skips(logged_in, user):
    response = upload(logged_in, loop_zip())
    assert response.status_code == 302
    meditate = Habit.objects.get(user=user, name="Meditate")
    run = Habit.objects.get(user=user, name="Run")
    assert sorted(c.local_date.isoformat() for c in meditate.check_ins.all()) == ["2025-01-01", "2025-01-03"]
    assert Skip.objects.get(habit=meditate).local_date == dt.date(2025, 1, 2)
    assert run.kind == "measurable" and run.unit == "km" and run.target == 5
    assert run.schedule_kind == "per_week" and run.times_per_week == 3
    assert sorted(run.check_ins.values_list("value", flat=True)) == [3.1, 5.2]
    assert meditate.start_date == dt.date(2025, 1, 1)


def test_importing_the_same_file_twice_adds_nothing_new(logged_in, user):
    upload(logged_in, loop_zip())
    upload(logged_in, loop_zip())
    assert Habit.objects.filter(user=user).count() == 2
    assert CheckIn.objects.filter(user=user).count() == 4


@pytest.mark.parametrize(
    "data,message",
    [
        (b"not a zip at all", b"not a zip file"),
        (loop_zip(habits_csv="Foo,Bar\n1,2\n"), b"does not have Loop&#x27;s columns"),
        (loop_zip(checkmarks={"001 Meditate/Checkmarks.csv": "2025-13-45,YES_MANUAL\n"}), b"is not a date"),
        (loop_zip(checkmarks={"001 Meditate/Checkmarks.csv": "2025-01-01,MAYBE\n"}), b"unknown check-in value"),
    ],
)
def test_malformed_loop_file_gets_a_clear_error_and_imports_nothing(logged_in, user, data, message):
    response = upload(logged_in, data)
    assert response.status_code == 400
    assert message in response.content
    assert not Habit.objects.filter(user=user).exists()
    assert not CheckIn.objects.filter(user=user).exists()


def test_import_loop_command(user, tmp_path):
    path = tmp_path / "loop.zip"
    path.write_bytes(loop_zip())
    out = io.StringIO()
    call_command("import_loop", str(path), "--user", user.email, stdout=out)
    assert "Imported 2 habits, 4 check-ins and 1 skips." in out.getvalue()
    with pytest.raises(CommandError, match="not a zip"):
        bad = tmp_path / "bad.zip"
        bad.write_bytes(b"nope")
        call_command("import_loop", str(bad), "--user", user.email)


def test_json_export_round_trips_everything_of_mine(logged_in, user):
    habit = HabitFactory(user=user, name="Read")
    CheckInFactory(habit=habit, local_date=dt.date(2026, 1, 5), note="Good chapter")
    HabitFactory(name="Someone else's")
    response = logged_in.get("/profile/export.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"][0]["email"] == user.email
    assert [h["name"] for h in data["habits"]] == ["Read"]
    exported = data["check_ins"][0]
    stored = CheckIn.objects.get(habit=habit)
    assert exported["local_date"] == "2026-01-05" and exported["note"] == "Good chapter"
    assert dt.datetime.fromisoformat(exported["completed_at"]) == stored.completed_at


def test_csv_zip_export_has_one_file_per_section(logged_in, user):
    HabitFactory(user=user, name="Read")
    archive = zipfile.ZipFile(io.BytesIO(logged_in.get("/profile/export.zip").content))
    assert {"profile.csv", "habits.csv", "check_ins.csv"} <= set(archive.namelist())
    assert "Read" in archive.read("habits.csv").decode()


def test_delete_account_needs_password_and_typed_email(logged_in, user):
    wrong = logged_in.post("/profile/delete/", {"password": "nope", "email": user.email})
    assert wrong.status_code == 400 and b"That password is not right." in wrong.content
    mistyped = logged_in.post("/profile/delete/", {"password": "correct-horse-battery", "email": "x@example.com"})
    assert b"Type the email address you signed in with." in mistyped.content
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_delete_account_removes_everything_and_ends_the_session(logged_in, user):
    habit = HabitFactory(user=user)
    CheckInFactory(habit=habit)
    response = logged_in.post("/profile/delete/", {"password": "correct-horse-battery", "email": user.email.upper()})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not CoachingProfile.objects.filter(user_id=user.pk).exists()
    assert not Habit.objects.filter(user_id=user.pk).exists() and not CheckIn.objects.filter(user_id=user.pk).exists()
    assert logged_in.get("/today/")["Location"].startswith("/accounts/login/")


def test_zip_that_unpacks_to_a_huge_file_is_refused_before_reading_it(logged_in, user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Habits.csv", "Position,Name,Type,FrequencyNumerator,FrequencyDenominator\n001,Run,0,1,1\n")
        zf.writestr("001 Run/Checkmarks.csv", b"0" * (60 * 1024 * 1024))
    response = upload(logged_in, buffer.getvalue())
    assert response.status_code == 400 and b"unpacks to more than 50 MB" in response.content
    assert not Habit.objects.filter(user=user).exists()


@pytest.mark.parametrize("day", ["2099-01-01", "0001-01-01"])
def test_loop_dates_in_the_future_or_before_2000_are_refused(logged_in, user, day):
    data = loop_zip(checkmarks={"001 Meditate/Checkmarks.csv": f"{day},YES_MANUAL\n"})
    response = upload(logged_in, data)
    assert response.status_code == 400 and b"outside 2000-01-01 to today" in response.content
    assert not Habit.objects.filter(user=user).exists()
