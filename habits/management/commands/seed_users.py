import random
import time as clock
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from habits.days import local_day, local_instant, utc_offset_minutes
from habits.models import CheckIn, Habit, HabitKind, ScheduleKind
from onboarding.models import CoachingProfile, Goal, Obstacle
from onboarding.signals import profiles_bulk_created

ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London", "Europe/Berlin",
    "Africa/Lagos", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Auckland", "UTC", "America/St_Johns", "Asia/Tehran",
]
HABIT_NAMES = [
    ("Run", "health"), ("Meditate", "mindfulness"), ("Read 20 pages", "learning"), ("Journal", "mindfulness"),
    ("Stretch", "health"), ("Practice guitar", "creativity"), ("No phone in bed", "sleep"),
    ("Review budget", "finances"), ("Call a friend", "relationships"), ("Deep work block", "productivity"),
    ("Drink water", "health"), ("Spanish lesson", "learning"),
]


class Command(BaseCommand):
    help = "Create N onboarded users with varied zones, chronotypes, habits and D days of history (bulk)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="seed")

    def handle(self, *args, count, days, seed, prefix, **options):
        started = clock.perf_counter()
        rng = random.Random(seed)
        now = timezone.now()
        password = make_password("seed-password")
        User = get_user_model()
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=f"{prefix}-{seed}-{i}", email=f"{prefix}-{seed}-{i}@example.com", first_name=f"User{i}",
                      password=password, date_joined=now - timedelta(days=days)) for i in range(count)],
                batch_size=2000,
            )
            if users[0].pk is None:  # backends without RETURNING on bulk insert
                users = list(User.objects.filter(username__startswith=f"{prefix}-{seed}-").order_by("id"))
            profiles, plans = [], []
            for user in users:
                chronotype = rng.choice(["morning", "intermediate", "evening"])
                tz = rng.choice(ZONES)
                profiles.append(CoachingProfile(
                    user=user, goals=rng.sample(list(Goal.values), rng.randint(1, 3)), main_habit="Run",
                    obstacle=rng.choice(list(Obstacle.values)), why_now="Seeded user", timezone=tz,
                    chronotype=chronotype, success_factor="Seeded", tone=rng.choice(["gentle", "direct"]),
                    onboarding_started_at=now - timedelta(days=days),
                    onboarding_completed_at=now - timedelta(days=days),
                ))
                plans.append((user, tz, rng.randint(1, 8)))
            CoachingProfile.objects.bulk_create(profiles, batch_size=2000)

            habits = []
            for user, tz, habit_count in plans:
                start = local_day(now, tz) - timedelta(days=days)
                for position, (name, area) in enumerate(rng.sample(HABIT_NAMES, habit_count), start=1):
                    habits.append(Habit(
                        user=user, name=name, area=area, position=position, start_date=start, is_main=position == 1,
                        kind=HabitKind.BOOLEAN, schedule_kind=ScheduleKind.DAILY,
                    ))
            habits = Habit.objects.bulk_create(habits, batch_size=5000)
            if habits and habits[0].pk is None:
                habits = list(Habit.objects.filter(user__in=users).order_by("id"))
            zones = {user.pk: tz for user, tz, _ in plans}
            checkins, total = [], 0
            for habit in habits:
                tz = zones[habit.user_id]
                rate = rng.uniform(0.3, 0.95)
                typical = rng.randint(6 * 60, 22 * 60)
                for offset in range(days):
                    day = habit.start_date + timedelta(days=offset)
                    if rng.random() > rate:
                        continue
                    minute = max(0, min(24 * 60 - 1, int(rng.gauss(typical, 40))))
                    moment = local_instant(day, time(minute // 60, minute % 60), tz)
                    if moment > now:
                        continue
                    checkins.append(CheckIn(
                        user_id=habit.user_id, habit=habit, local_date=day, completed_at=moment, timezone=tz,
                        utc_offset_minutes=utc_offset_minutes(moment, tz),
                    ))
                if len(checkins) >= 20000:
                    CheckIn.objects.bulk_create(checkins, batch_size=5000)
                    total += len(checkins)
                    checkins = []
            CheckIn.objects.bulk_create(checkins, batch_size=5000)
            total += len(checkins)
        profile_ids = list(
            CoachingProfile.objects.filter(user__username__startswith=f"{prefix}-{seed}-").values_list("pk", flat=True)
        )
        profiles_bulk_created.send(sender=CoachingProfile, profile_ids=profile_ids)
        elapsed = clock.perf_counter() - started
        self.stdout.write(f"Created {count} users, {len(habits)} habits and {total} check-ins in {elapsed:.1f}s.")
