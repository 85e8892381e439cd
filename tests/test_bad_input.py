"""Crafted and malformed requests get a clear answer, never a server error."""

import datetime as dt

import pytest

from tests.factories import CheckInFactory, HabitFactory, InsightFactory

pytestmark = pytest.mark.django_db

GARBAGE = {"day": "31/31/2026", "time": "25:99", "value": "NaN", "note": "x" * 1000, "start": "soon", "end": "-1",
           "helpful": "maybe", "order": ["a", "-3", "999999"], "archive": "not-a-file", "password": "", "email": "nope",
           "without_thinking": "9", "name": "", "kind": "quantum", "schedule_kind": "hourly", "weekdays": ["8"]}


def test_garbage_posted_to_every_page_never_causes_a_server_error(logged_in, user):
    habit = HabitFactory(user=user, start_date=dt.date.today() - dt.timedelta(days=30))
    checkin = CheckInFactory(habit=habit)
    insight = InsightFactory(run__user=user)
    paths = [
        "/today/", "/habits/", "/habits/new/", "/habits/reorder/", "/habits/pause-all/", "/habits/resume-all/",
        f"/habits/{habit.pk}/", f"/habits/{habit.pk}/edit/", f"/habits/{habit.pk}/move/sideways/",
        f"/habits/{habit.pk}/pause/", f"/habits/{habit.pk}/resume/", f"/habits/{habit.pk}/check-in/",
        f"/habits/{habit.pk}/undo/", f"/habits/{habit.pk}/skip/", f"/habits/{habit.pk}/automaticity/",
        f"/check-ins/{checkin.pk}/edit/", "/profile/", "/profile/data/", "/profile/import-loop/", "/profile/delete/",
        "/coaching/", f"/coaching/insights/{insight.pk}/feedback/", "/email/preferences/", "/email/history/",
        "/unsubscribe/garbage-token/", "/welcome/nonsense/",
    ]
    for path in paths:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            get = logged_in.get(path, **headers)
            post = logged_in.post(path, GARBAGE, **headers)
            assert get.status_code < 500, (path, get.status_code)
            assert post.status_code < 500, (path, post.status_code)
    habit.refresh_from_db()
    assert habit.name and habit.kind == "boolean"


def test_unknown_objects_are_404(logged_in):
    for path in ["/habits/999999/", "/habits/999999/edit/", "/check-ins/999999/edit/"]:
        assert logged_in.get(path).status_code == 404


def test_crafted_reorder_move_and_pause_dates_are_refused_quietly(logged_in, user):
    habit = HabitFactory(user=user, archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert logged_in.post(f"/habits/{habit.pk}/move/up/").status_code == 302
    assert logged_in.post("/habits/reorder/", {"order": ["²", "٣"]}).status_code == 302
    active = HabitFactory(user=user)
    logged_in.post(f"/habits/{active.pk}/pause/", {"start": "2026-01-01"})
    response = logged_in.post(f"/habits/{active.pk}/pause/", {"start": "0001-01-01"}, follow=True)
    assert b"between 2000 and 2100" in response.content
