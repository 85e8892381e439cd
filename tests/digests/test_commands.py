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


def test_send_digests_stops_with_one_line_when_the_database_goes_away_and_the_next_sweep_finishes(caplog, monkeypatch):
    """The database drops after the first batch was sent: the command says so in one line, the
    heartbeat does not move, and the next sweep sends the rest, each person's email once."""
    from django.db import OperationalError

    from digests import services
    from digests.models import SweepHeartbeat

    profiles = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20) for _ in range(5)]
    real_claim, calls = services.claim_due_emails, []

    def claim_then_lose_the_database(now, batch_size):
        calls.append(now)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly\n\tThis probably means ...")
        return real_claim(now, 2)

    with monkeypatch.context() as patched:
        patched.setattr(services, "claim_due_emails", claim_then_lose_the_database)
        with pytest.raises(CommandError) as stopped:
            call_command("send_digests", "--now", "2026-06-01T19:00:00+00:00")

    message = str(stopped.value)
    assert "\n" not in message and "database went away (server closed the connection unexpectedly)" in message
    assert len(mail.outbox) == 2
    assert any("digest sweep failed" in r.getMessage() and "sent=2" in r.getMessage() for r in caplog.records)
    assert not SweepHeartbeat.objects.exists()

    call_command("send_digests", "--now", "2026-06-01T19:15:00+00:00")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in profiles)
    assert SweepHeartbeat.objects.exists()
