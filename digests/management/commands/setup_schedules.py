from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule


def wanted_schedules() -> list[dict]:
    # Functions by dotted path: the worker imports them, this command never does.
    return [
        {"name": "Digest sweep", "func": "digests.tasks.sweep_digests",
         "schedule_type": Schedule.MINUTES, "minutes": settings.DIGEST_SWEEP_MINUTES, "repeats": -1},
        {"name": "Weekly coaching re-analysis", "func": "coaching.tasks.run_due_analyses",
         "schedule_type": Schedule.HOURLY, "minutes": None, "repeats": -1},
    ]


def next_boundary(every_minutes: int):
    """The next whole multiple of `every_minutes` past the hour, so digests due on the hour go out on it."""
    now = timezone.now().replace(second=0, microsecond=0)
    return now + timedelta(minutes=every_minutes - now.minute % every_minutes)


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules (digest sweep, coaching re-analysis). Safe to run again."

    def handle(self, *args, **options):
        for wanted in wanted_schedules():
            name = wanted["name"]
            existing = list(Schedule.objects.filter(name=name).order_by("pk"))
            if not existing:
                Schedule.objects.create(next_run=next_boundary(wanted["minutes"] or 60), **wanted)
                self.stdout.write(f"Created schedule “{name}” ({wanted['func']}).")
                continue
            schedule, duplicates = existing[0], existing[1:]
            Schedule.objects.filter(pk__in=[d.pk for d in duplicates]).delete()
            changed = [field for field, value in wanted.items() if getattr(schedule, field) != value]
            for field in changed:
                setattr(schedule, field, wanted[field])
            if changed:
                schedule.save(update_fields=changed)
            self.stdout.write(f"Schedule “{name}”: {'updated ' + ', '.join(changed) if changed else 'up to date'}.")
