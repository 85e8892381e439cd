"""Redis stopped: a request that hands work to the worker still succeeds and the work still happens."""

import pytest
import redis
import time_machine
from django.core import mail

from coaching.models import AnalysisRun
from tests.digests.conftest import at
from tests.onboarding.wizard_helpers import complete_wizard

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """django-q2's async_task as it behaves with its Redis stopped."""
    import django_q.tasks

    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(django_q.tasks, "async_task", refuse)


def test_finishing_onboarding_with_the_broker_down_still_sends_the_welcome_and_first_advice(
    client, new_user, broker_down, django_capture_on_commit_callbacks, caplog
):
    client.force_login(new_user)
    with time_machine.travel(at("2026-06-01T14:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        response = complete_wizard(client)

    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200
    assert [m.extra_headers["X-Cadence-Kind"] for m in mail.outbox if m.to == [new_user.email]][-1] == "drip-day-0"
    assert AnalysisRun.objects.filter(user=new_user, is_current=True).count() == 1
    assert "task broker is unreachable" in caplog.text
