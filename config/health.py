"""What /healthz checks: the database, the broker when one is configured, and the digest sweep's pulse.

No personal data: only "ok"/"down" and one timestamp. Rules (also in the README):
- database: a trivial query must succeed;
- broker: "not configured" with the ORM broker (the database check covers it), otherwise Redis must answer PING;
- last sweep: unhealthy once the last completed digest sweep is older than two sweep intervals. Before any sweep has
  ever completed (a fresh deploy) the sweep check passes, so a new install passes its own health check.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from digests.selectors import last_sweep_completed_at

BROKER_TIMEOUT_SECONDS = 1


@dataclass(frozen=True)
class Health:
    database: str
    broker: str
    last_sweep: datetime | None
    sweep_age_seconds: int | None
    sweep_stale: bool

    @property
    def healthy(self) -> bool:
        return self.database == "ok" and self.broker in {"ok", "not configured"} and not self.sweep_stale

    def as_dict(self) -> dict:
        return {
            "database": self.database,
            "broker": self.broker,
            "last_sweep": self.last_sweep.isoformat() if self.last_sweep else None,
            "sweep_age_seconds": self.sweep_age_seconds,
        }


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def broker_status() -> str:
    config = settings.Q_CLUSTER.get("redis")
    if not config:
        return "not configured"
    options = {"socket_connect_timeout": BROKER_TIMEOUT_SECONDS, "socket_timeout": BROKER_TIMEOUT_SECONDS}
    client = redis.Redis.from_url(config, **options) if isinstance(config, str) else redis.Redis(**{**config, **options})
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "down"
    finally:
        client.close()
    return "ok"


def health_check(*, now: datetime | None = None) -> Health:
    now = now or timezone.now()
    database = database_status()
    last_sweep = last_sweep_completed_at() if database == "ok" else None
    age = max(0, round((now - last_sweep).total_seconds())) if last_sweep else None
    stale = last_sweep is not None and now - last_sweep > timedelta(minutes=2 * settings.DIGEST_SWEEP_MINUTES)
    return Health(database=database, broker=broker_status(), last_sweep=last_sweep, sweep_age_seconds=age,
                  sweep_stale=stale)
