import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from digests import tasks
from tests.digests.conftest import at, scheduled_profile

pytestmark = pytest.mark.django_db


def test_setup_schedules_creates_the_sweep_and_coaching_schedules_once(settings, capsys):
    settings.DIGEST_SWEEP_MINUTES = 15
    call_command("setup_schedules")
    call_command("setup_schedules")

    schedules = {s.func: s for s in Schedule.objects.all()}
    assert set(schedules) == {"digests.tasks.sweep_digests", "coaching.tasks.run_due_analyses"}
    sweep = schedules["digests.tasks.sweep_digests"]
    assert (sweep.schedule_type, sweep.minutes, sweep.repeats) == (Schedule.MINUTES, 15, -1)
    assert sweep.next_run.minute % 15 == 0
    assert schedules["coaching.tasks.run_due_analyses"].schedule_type == Schedule.HOURLY
    assert "up to date" in capsys.readouterr().out


def test_setup_schedules_follows_a_changed_sweep_interval(settings):
    call_command("setup_schedules")
    settings.DIGEST_SWEEP_MINUTES = 5
    call_command("setup_schedules")
    assert Schedule.objects.get(func="digests.tasks.sweep_digests").minutes == 5
    assert Schedule.objects.count() == 2


def test_send_digests_runs_one_sweep_as_if_at_now_and_reports(capsys):
    scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    call_command("send_digests", "--now", "2026-06-01T19:00:00+00:00")
    assert "Sent 1, skipped 0, failed 0" in capsys.readouterr().out
    call_command("send_digests", "--now", "2026-06-01T19:00")
    assert "Sent 0, skipped 0, failed 0" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_send_digests_refuses_a_malformed_now():
    with pytest.raises(CommandError):
        call_command("send_digests", "--now", "tomorrow")


def test_the_scheduled_task_runs_a_sweep_and_returns_its_counts():
    assert tasks.sweep_digests() == {"sent": 0, "skipped": 0, "failed": 0, "retrying": 0, "unknown": 0}
