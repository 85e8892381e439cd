"""django-q2 entry points (scheduled by `manage.py setup_schedules`); they only call services."""

from .delivery import drip_welcome_send
from .services import BATCH_SIZE, digests_sweep


def sweep_digests(batch_size: int = BATCH_SIZE) -> dict:
    return digests_sweep(batch_size=batch_size).as_dict()


def send_welcome(user_id: int) -> str | None:
    return drip_welcome_send(user_id=user_id)
