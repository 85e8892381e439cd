from django.utils import timezone

from .services import BATCH_SIZE, analyse_due_users, analyse_users


def run_due_analyses(batch_size: int = BATCH_SIZE):
    """Scheduled hourly by django-q2 (see `manage.py setup_schedules`)."""
    return analyse_due_users(now=timezone.now(), batch_size=batch_size)


def analyse_person(user_id):
    """Enqueued when onboarding completes or the answers change, so advice never waits for the hourly sweep."""
    return analyse_users(user_ids=[user_id], now=timezone.now())
