import random
from datetime import time, timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from habits.days import local_day, local_instant, utc_offset_minutes
from habits.models import CheckIn, Habit, HabitKind, ScheduleKind
from onboarding.models import CoachingProfile
from onboarding.signals import profiles_bulk_created

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "cadence-demo"
DEMO_ZONE = "Europe/London"
DAYS = 45
# A fresh demo database also gets a crowd of seeded people, so the staff metrics page has a population to measure.
CROWD = {"count": 300, "days": 90, "prefix": "demo-crowd", "population": "realistic"}

# name, area, kind, schedule, planned, typical minute, spread, rate(day_index, weekday) -> probability
HABITS = [
    dict(name="Morning run", icon="🏃", area="health", planned=time(6, 0), typical=6 * 60 + 15, spread=12, is_main=True,
         rate=lambda i, wd: 0.0 if wd == 5 else 0.88),
    dict(name="Meditate 10 minutes", icon="🧘", area="mindfulness", typical=7 * 60 + 5, spread=10,
         rate=lambda i, wd: 0.9),
    dict(name="Read 20 pages", icon="📚", area="learning", typical=22 * 60, spread=35, drift=3,
         rate=lambda i, wd: 0.78),
    dict(name="Spanish lesson", icon="🇪🇸", area="learning", typical=19 * 60 + 30, spread=40,
         rate=lambda i, wd: 0.92 if i < 22 else 0.22),
    dict(name="Drink water", icon="💧", area="health", kind=HabitKind.MEASURABLE, unit="litres", target=2.0,
         typical=20 * 60, spread=60, rate=lambda i, wd: 0.93),
    dict(name="Strength training", icon="🏋️", area="health", schedule=[0, 2, 4], typical=18 * 60 + 30, spread=20,
         rate=lambda i, wd: 0.85 if wd in (0, 2, 4) else 0.0),
]


class Command(BaseCommand):
    help = f"Create {DEMO_EMAIL} (staff, to see the staff metrics) with 6 habits and {DAYS} days of lived-in history."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help=f"set up a fresh demo database: only when it has no users yet, and with {CROWD['count']} seeded "
                 "people (seed_users) behind the staff metrics",
        )
        parser.add_argument("--print-password", action="store_true")

    def handle(self, *args, if_empty=False, print_password=False, **options):
        if print_password:
            self.stdout.write(DEMO_PASSWORD)
            return
        User = get_user_model()
        if if_empty and User.objects.exists():
            return
        with transaction.atomic():
            User.objects.filter(email=DEMO_EMAIL).delete()
            user = User.objects.create_user(
                username="demo", email=DEMO_EMAIL, password=DEMO_PASSWORD, first_name="Alex", is_staff=True,
            )
            self._verify_email(user)
            now = timezone.now()
            profile = CoachingProfile.objects.create(
                user=user, goals=["health", "learning", "mindfulness", "sleep"], main_habit="Morning run",
                main_habit_time=time(6, 0), obstacle="forgetting", why_now="I want my energy back before the winter.",
                timezone=DEMO_ZONE, chronotype="morning", success_factor="Running 4 times a week without negotiating with myself",
                tone="gentle", onboarding_started_at=now - timedelta(days=DAYS),
                onboarding_completed_at=now - timedelta(days=DAYS),
            )
            self._create_history(user, now)
            profiles_bulk_created.send(sender=CoachingProfile, profile_ids=[profile.pk])
            call_command("grant_reviewer", DEMO_EMAIL, stdout=StringIO())   # by name, as below: coaching builds on habits
        if if_empty:
            # By name: the command lives in the digests app, which habits must not import.
            call_command("seed_users", **CROWD, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo account ready: {DEMO_EMAIL} / {DEMO_PASSWORD}"))

    def _verify_email(self, user):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def _create_history(self, user, now):
        rng = random.Random(42)
        today = local_day(now, DEMO_ZONE)
        start = today - timedelta(days=DAYS)
        checkins = []
        for position, spec in enumerate(HABITS, start=1):
            habit = Habit.objects.create(
                user=user, name=spec["name"], icon=spec.get("icon", ""), area=spec["area"], position=position,
                start_date=start, is_main=spec.get("is_main", False), kind=spec.get("kind", HabitKind.BOOLEAN),
                unit=spec.get("unit", ""), target=spec.get("target"), planned_time=spec.get("planned"),
                schedule_kind=ScheduleKind.WEEKDAYS if spec.get("schedule") else ScheduleKind.DAILY,
                weekdays=spec.get("schedule", []),
            )
            for i in range(DAYS + 1):
                day = start + timedelta(days=i)
                if rng.random() >= spec["rate"](i, day.weekday()):
                    continue
                minute = int(rng.gauss(spec["typical"] + spec.get("drift", 0) * i / 7, spec["spread"]))
                minute = max(0, min(24 * 60 - 1, minute))
                moment = local_instant(day, time(minute // 60, minute % 60), DEMO_ZONE)
                if moment > now:
                    continue
                value = round(rng.uniform(1.2, 2.9), 1) if habit.is_measurable else None
                checkins.append(CheckIn(
                    user=user, habit=habit, local_date=day, completed_at=moment, timezone=DEMO_ZONE,
                    utc_offset_minutes=utc_offset_minutes(moment, DEMO_ZONE), value=value,
                    note="Felt great" if rng.random() < 0.05 else "",
                ))
        CheckIn.objects.bulk_create(checkins)
