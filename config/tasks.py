"""Handing work to the django-q2 worker from a request."""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("cadence.tasks")


def enqueue_after_commit(func_path: str, *args) -> None:
    """Queue a task once the current transaction commits.

    If the broker cannot take it (Redis stopped), the task runs here and now instead: this one
    request is slower, but no welcome email, analysis or import is lost and the person sees no error.
    """
    transaction.on_commit(lambda: _enqueue_or_run(func_path, *args))


def _enqueue_or_run(func_path: str, *args) -> None:
    from django_q.tasks import async_task

    try:
        async_task(func_path, *args)
        return
    except Exception:  # whatever the broker raised, the work must still happen
        logger.warning("The task broker is unreachable; running %s%r in this process.", func_path, args, exc_info=True)
    try:
        import_string(func_path)(*args)
    except Exception:  # the person's request has already succeeded; a failed task is logged, as in the worker
        logger.exception("Task %s%r failed.", func_path, args)
