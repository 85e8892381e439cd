"""django-q2 entry points (scheduled by `manage.py setup_schedules`); they only call services."""

from .services import digests_sweep


def sweep_digests() -> dict:
    return digests_sweep().as_dict()
