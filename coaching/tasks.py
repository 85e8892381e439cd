from django.utils import timezone

from .services import analyse_due_users


def run_due_analyses():
    """Scheduled hourly by django-q2 (see `manage.py setup_schedules`)."""
    return analyse_due_users(now=timezone.now())
