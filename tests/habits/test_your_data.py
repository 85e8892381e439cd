import datetime as dt
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model

from habits.models import CheckIn, Habit
from onboarding.models import CoachingProfile
from tests.factories import CheckInFactory, HabitFactory

pytestmark = pytest.mark.django_db


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


def test_a_section_with_no_rows_yet_still_names_its_columns(logged_in, user):
    HabitFactory(user=user, name="Read")
    archive = zipfile.ZipFile(io.BytesIO(logged_in.get("/profile/export.zip").content))
    for name in ("skips.csv", "pauses.csv", "check_ins.csv", "emails.csv", "insight_feedback.csv"):
        header = archive.read(name).decode().splitlines()[0]
        assert header != "id" and "," in header, f"{name}: {header}"
    assert archive.read("check_ins.csv").decode().splitlines()[0].startswith("id,user_id,habit_id,local_date")
    habits_header = archive.read("habits.csv").decode().splitlines()[0].split(",")
    assert habits_header[-3:] == ["strength", "current_streak", "best_streak"]
