import datetime as dt
import json
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError

from digests.services import digests_sweep

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def probe(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_fresh_install_with_no_sweep_yet_is_healthy(client):
    response, body = probe(client)
    assert response.status_code == 200
    assert body == {"database": "ok", "broker": "not configured", "last_sweep": None, "sweep_age_seconds": None}
    assert "no-store" in response["Cache-Control"]


def test_healthy_right_after_a_sweep_completes(client):
    with time_machine.travel(NOON, tick=False):
        digests_sweep()
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        response, body = probe(client)
    assert response.status_code == 200
    assert body["last_sweep"] == NOON.isoformat()
    assert body["sweep_age_seconds"] == 300


def test_unhealthy_when_last_sweep_is_older_than_two_intervals(client, settings):
    settings.DIGEST_SWEEP_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        digests_sweep()
    with time_machine.travel(NOON + dt.timedelta(minutes=30), tick=False):
        assert probe(client)[0].status_code == 200
    with time_machine.travel(NOON + dt.timedelta(minutes=31), tick=False):
        response, body = probe(client)
    assert response.status_code == 503
    assert body["sweep_age_seconds"] == 31 * 60


def test_unhealthy_when_the_database_is_unreachable(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("could not connect")):
        response, body = probe(client)
    assert response.status_code == 503
    assert body["database"] == "down"


def test_unhealthy_when_a_configured_redis_broker_is_down(client, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "redis": "redis://127.0.0.1:1/0"}
    response, body = probe(client)
    assert response.status_code == 503
    assert body["broker"] == "down"


def test_healthz_reveals_nothing_personal_and_needs_no_session(client, user):
    response, body = probe(client)
    assert response.status_code == 200
    assert set(body) == {"database", "broker", "last_sweep", "sweep_age_seconds"}
    assert user.email not in response.content.decode()
