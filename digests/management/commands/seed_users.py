"""`seed_users`: many people at once, in bulk, for benchmarks and for the demo's staff metrics.

Two populations, both reproducible: one `random.Random(--seed)` makes every choice in a fixed order, so
the same seed at the same moment (the window ends now) makes the same people.

- `realistic` (the default) is what the staff metrics page should see. Signups spread over the last
  `--days` days; some people start onboarding and never finish; the rest keep 1-6 habits (daily,
  weekday and 3-a-week, some measured against a target) at their own adherence, and most stop on a
  day of their own, often in week 2. Every onboarded person gets a digest each local day with
  delivery, open and click events; people with two weeks of check-ins have a current analysis with
  insights, some of them answered "helpful" or "not helpful".
- `steady` is the population the benchmarks were measured on: everyone onboarded `--days` ago, 1-8
  daily habits checked in at a steady rate, no digests and no coaching rows.

What `manage.py metrics` reports for 2,000 people x 60 days, seed 1: onboarding completion 87%, digest open
rate 45%, reached day 14 62% and day 30 48%, coaching found helpful 76%, 3.2 active habits per person, 30-day
completion 35%; each weekly signup cohort drops from about 80% active in its first week to about 50% by its third.

It lives in the digests app because the realistic population writes digest and coaching rows, and
digests is the one app that reads and writes all the others. Afterwards it sends onboarding's
`profiles_bulk_created`, so each app sets up its own per-person rows: the digest schedule continues
after the last seeded digest, and coaching queues everyone for analysis.
"""

import random
import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from coaching.analysis import ACTIVATION_CHECK_INS, ACTIVATION_DAY
from coaching.analysis.kinds import (
    DECLINING_TREND,
    DOUBLE_MISS,
    STRONG_HABIT,
    STRUGGLING_HABIT,
    TIME_ANCHOR,
    WEEKDAY_GAP,
    Said,
)
from coaching.analysis.kinds import kind as insight_kind
from coaching.models import AnalysisRun, CoachingInsight, InsightFeedback
from coaching.services import REANALYSIS_INTERVAL
from digests.models import DigestSend, SendStatus, default_digest_hour
from digests.schedule import covered_day, digest_instant
from habits.days import local_day, local_instant, utc_offset_minutes
from habits.leaderboard import SUGGESTION_ADJECTIVES, SUGGESTION_ANIMALS
from habits.models import (
    CheckIn,
    Habit,
    HabitKind,
    LeaderboardMember,
    ScheduleKind,
    TargetType,
    display_name_key,
)
from habits.schedule import WEEKDAY_NAMES
from onboarding.models import CoachingProfile, Goal, Obstacle
from onboarding.signals import profiles_bulk_created

POPULATIONS = ("realistic", "steady")
FLUSH_ROWS = 20000   # check-in and digest rows held in memory before they are inserted
INSERT_ROWS = 5000   # rows per executemany call
CHECK_IN_COLUMNS = ("user_id", "habit_id", "local_date", "completed_at", "timezone", "utc_offset_minutes", "value")
DIGEST_COLUMNS = (
    "user_id", "local_date", "covered_date", "status", "claimed_at", "attempts", "handed_over_at", "sent_at",
    "message_id", "subject", "delivered_at", "opened_at", "clicked_at", "bounced_at",
)

ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London", "Europe/Berlin",
    "Africa/Lagos", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Auckland", "UTC", "America/St_Johns", "Asia/Tehran",
]

# The steady population's habits: names and areas only, every one daily and yes/no.
HABIT_NAMES = [
    ("Run", "health"), ("Meditate", "mindfulness"), ("Read 20 pages", "learning"), ("Journal", "mindfulness"),
    ("Stretch", "health"), ("Practice guitar", "creativity"), ("No phone in bed", "sleep"),
    ("Review budget", "finances"), ("Call a friend", "relationships"), ("Deep work block", "productivity"),
    ("Drink water", "health"), ("Spanish lesson", "learning"),
]


@dataclass(frozen=True)
class HabitIdea:
    name: str
    area: str
    usual_minute: int            # local minute of the day an intermediate chronotype does it
    unit: str = ""               # measurable habits only
    target: float | None = None
    at_most: bool = False        # a limit to stay under, not an amount to reach


# The realistic population's habits, each at the time of day people usually do it.
HABIT_IDEAS = [
    HabitIdea("Run", "health", 7 * 60, unit="km", target=5), HabitIdea("Meditate", "mindfulness", 7 * 60 + 30),
    HabitIdea("Read", "learning", 22 * 60, unit="pages", target=20), HabitIdea("Journal", "mindfulness", 21 * 60 + 30),
    HabitIdea("Stretch", "health", 8 * 60), HabitIdea("Practice guitar", "creativity", 19 * 60),
    HabitIdea("No phone in bed", "sleep", 23 * 60), HabitIdea("Review budget", "finances", 20 * 60),
    HabitIdea("Call a friend", "relationships", 18 * 60 + 30), HabitIdea("Deep work block", "productivity", 9 * 60 + 30),
    HabitIdea("Drink water", "health", 20 * 60, unit="litres", target=2),
    HabitIdea("Spanish lesson", "learning", 12 * 60 + 30),
    HabitIdea("Screen time", "sleep", 21 * 60 + 45, unit="minutes", target=90, at_most=True),
    HabitIdea("Strength training", "health", 18 * 60),
]

# Onboarding
ABANDON_SHARE = 0.12              # start onboarding and never finish: completion lands near its 85% target
ONBOARDING_MINUTES = (2, 20)      # the wizard is a few screens; most finish it in one sitting
FINISH_LATER_SHARE = 0.08         # interrupted people who come back and finish on a later day ...
FINISH_LATER_DAYS = (1, 3)        # ... this many days later (still unfinished if that is after now)

# Habits
HABITS_PER_PERSON = {1: 12, 2: 22, 3: 27, 4: 20, 5: 12, 6: 7}  # weights: mean 3.2, around the target of 3
SCHEDULE_MIX = {ScheduleKind.DAILY: 0.55, ScheduleKind.WEEKDAYS: 0.25, ScheduleKind.FREQUENCY: 0.20}
WEEKDAY_SETS = [[0, 1, 2, 3, 4], [0, 2, 4], [1, 3], [5, 6]]  # work days, gym days, twice a week, weekends
TIMES_A_WEEK = 3                  # the flexible habit people pick most: "3 times a week"
MEASURABLE_SHARE = 0.5            # of habits that can be measured, those set up with a target
VALUE_SPREAD = 0.25               # a measured check-in's value around the target (relative sd): some fall short
CHRONOTYPE_SHIFT_MINUTES = {"morning": -60, "intermediate": 0, "evening": 75}  # habits follow the body clock
HABIT_TIME_SD = 30                # one person's usual time for a habit, around the habit's usual minute
CHECKIN_SPREAD_MINUTES = (10, 50)  # how far a habit's check-ins stray from its usual time (sd), per habit

# Adherence: the share of due days done, drawn per person, then per habit around it.
ADHERENCE_BETA = (4.0, 2.0)       # mean 0.67, most between 0.35 and 0.95, while people keep going; churners keep
                                  # their habits, so the whole population's 30-day completion sits well below that
HABIT_ADHERENCE_SD = 0.1          # one person's habits are kept about equally well
ADHERENCE_RANGE = (0.05, 0.98)    # nobody never or always checks in
FADE_DAYS = 4                     # in the last days before someone stops ...
FADE = 0.5                        # ... they do half as much: churn is seldom a cliff

# Churn: the local day since onboarding (day 0) from which a person stops checking in.
NEVER_CHURN_SHARE = 0.35          # still going at the end of the window
CHURN_WEEKS = ((1, 7, 0.20), (8, 14, 0.45))  # (first day, last day, share of churners): some in week 1, the week-2
                                             # hump the product fears, which keeps "reached day 14" under its target
CHURN_TAIL_FROM = 15              # the other churners stop from day 15 on ...
CHURN_TAIL_MEAN_DAYS = 20         # ... after an exponential wait with this mean: a long tail
RETURN_DAY_RATE = 0.01            # after stopping, about one day in a hundred has a check-in again

# Digests: one a local day, every day from onboarding to now, because the product keeps sending while the
# digest is on (nobody in the seed unsubscribes); what changes after churn is whether people open it.
SEND_DELAY_SECONDS = (1, 90)      # sweeps run on the hour's boundaries and a batch takes seconds
BOUNCED_SHARE = 0.02              # soft bounces (a full mailbox): the address keeps receiving
DELIVERED_SHARE = 0.97            # the remaining 1% never report back
DELIVERY_SECONDS = (1, 30)
OPEN_WHILE_ACTIVE = (0.30, 0.80)  # open rate of the least to the most adherent person while they check in
OPEN_AFTER_CHURN = 0.15           # people who stopped still glance at some digests
OPEN_DELAY_MEAN_MINUTES = 120     # opens trail delivery by an exponential wait: most within a few hours
CLICK_SHARE = 0.25                # of opened digests, those with a click
CLICK_DELAY_MINUTES = (0.2, 10)

# Coaching: a current analysis for people past activation, made at their last weekly re-analysis.
INSIGHTS_PER_RUN = (2, 4)
STRUGGLING_BELOW = 0.5            # adherence under which (or once stopped) insights are about slipping
THRIVING_KINDS = (STRONG_HABIT, TIME_ANCHOR, WEEKDAY_GAP, DOUBLE_MISS)
STRUGGLING_KINDS = (DECLINING_TREND, DOUBLE_MISS, STRUGGLING_HABIT, WEEKDAY_GAP)
CONFIDENCE = (0.6, 0.97)
FEEDBACK_SHARE = 0.40             # insights someone answered "helpful" or "not helpful"
LEADERBOARD_SHARE = 0.2          # people who join the opt-in leaderboard (under a made-up name)
HELPFUL_SHARE = 0.75              # of those answers, "helpful": the target the page measures against


@dataclass
class HabitPlan:
    """One habit of a realistic person, drawn before any row is written."""

    idea: HabitIdea
    schedule_kind: str
    weekdays: list[int]
    measured: bool               # created measurable, with the idea's unit and target
    usual_minute: float          # this person's usual local time for it
    spread: float                # sd of their check-in times around it, in minutes
    adherence: float             # share of due days done while the person keeps going
    habit: Habit | None = None   # the row, once created


@dataclass
class Person:
    """One realistic person's plan, drawn before any row is written."""

    tz: str
    chronotype: str
    tone: str
    joined: datetime
    started: datetime
    completed: datetime | None   # None: started onboarding and never finished
    adherence: float = 0.0
    churn_day: int | None = None  # local day since onboarding (day 0) from which they stop; None: never in the window
    habits: list[HabitPlan] = field(default_factory=list)


@dataclass
class Tally:
    users: int = 0
    unfinished: int = 0
    habits: int = 0
    check_ins: int = 0
    digests: int = 0
    insights: int = 0
    feedback: int = 0


class Command(BaseCommand):
    help = "Create N people with D days of history in bulk: a realistic population (default) or a steady one."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="seed")
        parser.add_argument("--population", choices=POPULATIONS, default="realistic",
                            help="realistic: abandonment, churn, digests and coaching; steady: the benchmarks' population")

    def handle(self, *args, count, days, seed, prefix, population="realistic", **options):
        if count < 0 or days < 1:
            raise CommandError("--count must be 0 or more and --days 1 or more.")
        started = clock.perf_counter()
        rng = random.Random(seed)
        now = timezone.now()
        with transaction.atomic():
            if population == "steady":
                tally = self._steady(rng, now, count=count, days=days, seed=seed, prefix=prefix)
            else:
                tally = self._realistic(rng, now, count=count, days=days, seed=seed, prefix=prefix)
        profile_ids = list(
            CoachingProfile.objects.filter(user__username__startswith=f"{prefix}-{seed}-").values_list("pk", flat=True)
        )
        profiles_bulk_created.send(sender=CoachingProfile, profile_ids=profile_ids)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")   # fresh planner statistics after a bulk load, as autovacuum would give later
        self.stdout.write(
            f"Created {tally.users} users ({tally.unfinished} started onboarding without finishing), {tally.habits} "
            f"habits, {tally.check_ins} check-ins, {tally.digests} digests, {tally.insights} insights and "
            f"{tally.feedback} feedback answers in {clock.perf_counter() - started:.1f}s."
        )

    def _users(self, *, prefix, seed, joined):
        User = get_user_model()
        password = make_password("seed-password")
        users = User.objects.bulk_create(
            [User(username=f"{prefix}-{seed}-{i}", email=f"{prefix}-{seed}-{i}@example.com", first_name=f"User{i}",
                  password=password, date_joined=at) for i, at in enumerate(joined)],
            batch_size=2000,
        )
        # Signing in needs a confirmed address, so everyone has one (and the sweep mails them).
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=2000,
        )
        return users

    # The steady population: unchanged from before --population existed, so benchmark numbers stay comparable.

    def _steady(self, rng, now, *, count, days, seed, prefix):
        users = self._users(prefix=prefix, seed=seed, joined=[now - timedelta(days=days)] * count)
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
        zones = {user.pk: tz for user, tz, _ in plans}
        check_ins = Batch(CheckIn, CHECK_IN_COLUMNS, now)
        for habit in habits:
            tz = zones[habit.user_id]
            rate = rng.uniform(0.3, 0.95)
            typical = rng.randint(6 * 60, 22 * 60)
            for offset in range(days):
                day = habit.start_date + timedelta(days=offset)
                if rng.random() > rate:
                    continue
                moment = local_instant(day, clock_time(rng.gauss(typical, 40)), tz)
                if moment > now:
                    continue
                check_ins.add(
                    user_id=habit.user_id, habit_id=habit.pk, local_date=day, completed_at=moment, timezone=tz,
                    utc_offset_minutes=utc_offset_minutes(moment, tz), value=None,
                )
        check_ins.flush()
        return Tally(users=len(users), habits=len(habits), check_ins=check_ins.total)

    # The realistic population

    def _realistic(self, rng, now, *, count, days, seed, prefix):
        people = [self._plan_person(rng, now, days) for _ in range(count)]
        users = self._users(prefix=prefix, seed=seed, joined=[person.joined for person in people])
        CoachingProfile.objects.bulk_create([
            CoachingProfile(
                user=user, goals=rng.sample(list(Goal.values), rng.randint(1, 3)),
                main_habit=person.habits[0].idea.name if person.habits else "",
                obstacle=rng.choice(list(Obstacle.values)), why_now="Seeded user", timezone=person.tz,
                chronotype=person.chronotype, success_factor="Seeded", tone=person.tone,
                onboarding_started_at=person.started, onboarding_completed_at=person.completed,
            )
            for user, person in zip(users, people)
        ], batch_size=2000)

        habits = []
        for user, person in zip(users, people):
            start = local_day(person.completed, person.tz) if person.completed else None
            for position, plan in enumerate(person.habits, start=1):
                idea, measured, frequency = plan.idea, plan.measured, plan.schedule_kind == ScheduleKind.FREQUENCY
                plan.habit = Habit(
                    user=user, name=idea.name, area=idea.area, position=position, start_date=start,
                    is_main=position == 1, kind=HabitKind.MEASURABLE if measured else HabitKind.BOOLEAN,
                    unit=idea.unit if measured else "", target=idea.target if measured else None,
                    target_type=TargetType.AT_MOST if idea.at_most else TargetType.AT_LEAST,
                    schedule_kind=plan.schedule_kind, weekdays=plan.weekdays,
                    frequency_numerator=TIMES_A_WEEK if frequency else 1, frequency_denominator=7 if frequency else 1,
                )
                habits.append(plan.habit)
        Habit.objects.bulk_create(habits, batch_size=5000)

        members = [
            (user, person.completed, f"{rng.choice(SUGGESTION_ADJECTIVES)} {rng.choice(SUGGESTION_ANIMALS)} {number}")
            for number, (user, person) in enumerate(zip(users, people))
            if person.completed is not None and rng.random() < LEADERBOARD_SHARE
        ]
        LeaderboardMember.objects.bulk_create([   # bulk_create skips save(): the name's key is set here
            LeaderboardMember(user=user, joined_at=joined, display_name=name, name_key=display_name_key(name))
            for user, joined, name in members
        ], batch_size=2000, ignore_conflicts=True)  # a name another seeding already took: that person stays off

        tally = Tally(users=len(users), unfinished=sum(1 for p in people if p.completed is None), habits=len(habits))
        check_ins, digests = Batch(CheckIn, CHECK_IN_COLUMNS, now), Batch(DigestSend, DIGEST_COLUMNS, now)
        runs, insights, feedback = [], [], []
        for user, person in zip(users, people):
            if person.completed is None:
                continue
            days_done = self._check_ins(rng, now, user, person, check_ins)
            self._digests(rng, now, user, person, days_done, digests)
            self._coaching(rng, now, user, person, days_done, runs, insights, feedback)
        check_ins.flush()
        digests.flush()
        AnalysisRun.objects.bulk_create(runs, batch_size=2000)
        CoachingInsight.objects.bulk_create(insights, batch_size=2000)
        InsightFeedback.objects.bulk_create(feedback, batch_size=2000)
        tally.check_ins, tally.digests = check_ins.total, digests.total
        tally.insights, tally.feedback = len(insights), len(feedback)
        return tally

    def _plan_person(self, rng, now, days):
        joined = now - timedelta(seconds=rng.uniform(0, days * 86400))
        started = min(now, joined + timedelta(minutes=rng.uniform(0.5, 5)))
        person = Person(tz=rng.choice(ZONES), chronotype=rng.choice(["morning", "intermediate", "evening"]),
                        tone=rng.choice(["gentle", "direct"]), joined=joined, started=started, completed=None)
        if rng.random() < ABANDON_SHARE:
            return person
        completed = started + timedelta(minutes=rng.uniform(*ONBOARDING_MINUTES))
        if rng.random() < FINISH_LATER_SHARE:
            completed += timedelta(days=rng.randint(*FINISH_LATER_DAYS))
        if completed > now:
            return person
        person.completed = completed
        person.adherence = rng.betavariate(*ADHERENCE_BETA)
        person.churn_day = churn_day(rng)
        habit_count = rng.choices(list(HABITS_PER_PERSON), weights=list(HABITS_PER_PERSON.values()))[0]
        for idea in rng.sample(HABIT_IDEAS, habit_count):
            schedule_kind = rng.choices(list(SCHEDULE_MIX), weights=list(SCHEDULE_MIX.values()))[0]
            person.habits.append(HabitPlan(
                idea=idea, schedule_kind=schedule_kind,
                weekdays=rng.choice(WEEKDAY_SETS) if schedule_kind == ScheduleKind.WEEKDAYS else [],
                measured=idea.target is not None and rng.random() < MEASURABLE_SHARE,
                usual_minute=idea.usual_minute + CHRONOTYPE_SHIFT_MINUTES[person.chronotype] + rng.gauss(0, HABIT_TIME_SD),
                spread=rng.uniform(*CHECKIN_SPREAD_MINUTES), adherence=habit_adherence(rng, person.adherence),
            ))
        return person

    def _check_ins(self, rng, now, user, person, batch) -> Counter:
        """Check-ins from onboarding to now; returns how many fell on each local day."""
        days_done = Counter()
        day_zero, today = local_day(person.completed, person.tz), local_day(now, person.tz)
        for offset in range((today - day_zero).days + 1):
            day = day_zero + timedelta(days=offset)
            if person.churn_day is None or offset < person.churn_day:
                fade = FADE if person.churn_day is not None and offset >= person.churn_day - FADE_DAYS else 1.0
            elif rng.random() < RETURN_DAY_RATE:
                fade = 1.0
            else:
                continue
            for plan in person.habits:
                if plan.schedule_kind == ScheduleKind.WEEKDAYS and day.weekday() not in plan.weekdays:
                    continue
                # a flexible habit asks for no particular day: its check-ins spread over the week
                share = TIMES_A_WEEK / 7 if plan.schedule_kind == ScheduleKind.FREQUENCY else 1.0
                if rng.random() >= plan.adherence * fade * share:
                    continue
                moment = local_instant(day, clock_time(rng.gauss(plan.usual_minute, plan.spread)), person.tz)
                if not person.completed <= moment <= now:
                    continue
                value = None
                if plan.measured:
                    centre = 0.9 if plan.idea.at_most else 1.0
                    value = round(max(0.0, rng.gauss(centre, VALUE_SPREAD)) * plan.idea.target, 1)
                batch.add(
                    user_id=user.pk, habit_id=plan.habit.pk, local_date=day, completed_at=moment, timezone=person.tz,
                    utc_offset_minutes=utc_offset_minutes(moment, person.tz), value=value,
                )
                days_done[day] += 1
        return days_done

    def _digests(self, rng, now, user, person, days_done, batch):
        hour = default_digest_hour(person.chronotype)
        day_zero, today = local_day(person.completed, person.tz), local_day(now, person.tz)
        open_while_active = OPEN_WHILE_ACTIVE[0] + (OPEN_WHILE_ACTIVE[1] - OPEN_WHILE_ACTIVE[0]) * person.adherence
        for offset in range((today - day_zero).days + 1):
            day = day_zero + timedelta(days=offset)
            sent = digest_instant(day, person.tz, hour) + timedelta(seconds=rng.uniform(*SEND_DELAY_SECONDS))
            if not person.completed < sent <= now:
                continue
            covered = covered_day(day, hour)
            done = days_done[covered]
            delivered = opened = clicked = bounced = None
            outcome = rng.random()
            if outcome < BOUNCED_SHARE:
                bounced = later(sent, now, seconds=rng.uniform(*DELIVERY_SECONDS))
            elif outcome < BOUNCED_SHARE + DELIVERED_SHARE:
                delivered = later(sent, now, seconds=rng.uniform(*DELIVERY_SECONDS))
                stopped = person.churn_day is not None and offset >= person.churn_day
                if delivered and rng.random() < (OPEN_AFTER_CHURN if stopped else open_while_active):
                    opened = later(delivered, now, minutes=rng.expovariate(1 / OPEN_DELAY_MEAN_MINUTES))
                if opened and rng.random() < CLICK_SHARE:
                    clicked = later(opened, now, minutes=rng.uniform(*CLICK_DELAY_MINUTES))
            batch.add(
                user_id=user.pk, local_date=day, covered_date=covered, status=SendStatus.SENT.value, claimed_at=sent,
                attempts=1, handed_over_at=sent, sent_at=sent, message_id=f"<seed-{user.pk}-{day:%Y%m%d}@example.com>",
                subject=f"{covered:%A}: {done} check-in{'' if done == 1 else 's'}", delivered_at=delivered,
                opened_at=opened, clicked_at=clicked, bounced_at=bounced,
            )

    def _coaching(self, rng, now, user, person, days_done, runs, insights, feedback):
        if not person.habits or not days_done:
            return
        generated = now - timedelta(seconds=rng.uniform(0, REANALYSIS_INTERVAL.total_seconds()))
        today = local_day(generated, person.tz)
        first = min(days_done)
        if (today - first).days + 1 < ACTIVATION_DAY:
            return
        if sum(n for day, n in days_done.items() if day <= today) < ACTIVATION_CHECK_INS:
            return
        run = AnalysisRun(user_id=user.pk, generated_at=generated, local_date=today, active=True,
                          days_of_data=(today - first).days + 1)
        runs.append(run)
        stopped = person.churn_day is not None and (today - local_day(person.completed, person.tz)).days >= person.churn_day
        codes = STRUGGLING_KINDS if stopped or person.adherence < STRUGGLING_BELOW else THRIVING_KINDS
        for code in rng.sample(codes, rng.randint(*INSIGHTS_PER_RUN)):
            plan = rng.choice(person.habits)
            # The registry's own words, from evidence shaped like its detector's, so the coaching page reads it.
            said = Said(EVIDENCE[code](rng, plan), plan.habit.name, tone=person.tone)
            insight = CoachingInsight(
                user_id=user.pk, run=run, habit_id=plan.habit.pk, habit_name=plan.habit.name[:80], kind=code,
                title=insight_kind(code).title(said)[:200], body=insight_kind(code).body(said), evidence=said.evidence,
                confidence=round(rng.uniform(*CONFIDENCE), 2), generated_at=generated,
            )
            insights.append(insight)
            if rng.random() < FEEDBACK_SHARE:
                feedback.append(InsightFeedback(user_id=user.pk, insight=insight, kind=code,
                                                helpful=rng.random() < HELPFUL_SHARE))


class Batch:
    """One model's rows, inserted a few thousand at a time as they are made.

    A row is the values of `columns`, not a model instance: at a million rows, building instances and
    letting bulk_create prepare every field of every row was most of the run. Dates and datetimes go
    through the backend's own adapters, as bulk_create would send them; every other column gets its
    default (`created_at`: now), adapted once.
    """

    def __init__(self, model, columns, now):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_column = {f.attname: f for f in fields}
        given = [by_column[column] for column in columns]
        rest = [f for f in fields if f.attname not in columns]
        adapters = {"DateField": connection.ops.adapt_datefield_value,
                    "DateTimeField": connection.ops.adapt_datetimefield_value}
        self.columns = list(columns)
        self.adapters = [adapters.get(f.get_internal_type()) for f in given]
        self.defaults = [
            f.get_db_prep_save(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default(),
                               connection)
            for f in rest
        ]
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in given + rest)
        marks = ", ".join(["%s"] * (len(given) + len(rest)))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        self.rows, self.total = [], 0

    def add(self, **values):
        row, adapted = [], {}  # one instant in several columns (claimed, handed over, sent) is adapted once
        for column, adapt in zip(self.columns, self.adapters):
            value = values[column]
            if adapt is not None and value is not None:
                if id(value) not in adapted:
                    adapted[id(value)] = adapt(value)
                value = adapted[id(value)]
            row.append(value)
        self.rows.append(row + self.defaults)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self):
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), INSERT_ROWS):
                cursor.executemany(self.sql, self.rows[start:start + INSERT_ROWS])
        self.total += len(self.rows)
        self.rows = []


def _weekday_gap(rng, plan) -> dict:
    days = rng.randint(4, 8)
    done = rng.randint(0, days // 2)
    scheduled = [WEEKDAY_NAMES[day] for day in plan.weekdays]
    weak = [rng.choice(scheduled)] if scheduled else rng.choice([["Sat", "Sun"], ["Mon"], ["Fri"]])
    return {"weekdays": weak, "weekday_done": done,
            "weekday_days": days, "weekday_rate": round(done / days, 2), "other_rate": round(rng.uniform(0.6, 0.9), 2)}


# Evidence with the keys each kind's words and chart read (coaching/analysis/kinds.py), at plausible values.
EVIDENCE = {
    STRONG_HABIT: lambda rng, plan: {"strength": rng.randint(70, 95), "best_streak": rng.randint(7, 30)},
    TIME_ANCHOR: lambda rng, plan: {
        "typical_time": f"{clock_time(plan.usual_minute):%H:%M}", "share_within_hour": round(rng.uniform(0.7, 0.95), 2),
        "check_ins": rng.randint(10, 40), "spread_minutes": round(plan.spread),
    },
    WEEKDAY_GAP: _weekday_gap,
    DOUBLE_MISS: lambda rng, plan: {"p_miss_after_miss": round(rng.uniform(0.5, 0.8), 2),
                                    "p_miss": round(rng.uniform(0.2, 0.4), 2), "misses": rng.randint(5, 15)},
    DECLINING_TREND: lambda rng, plan: {"days": rng.randint(14, 28), "rate_before": round(rng.uniform(0.6, 0.9), 2),
                                        "rate_after": round(rng.uniform(0.1, 0.4), 2)},
    STRUGGLING_HABIT: lambda rng, plan: {"completion_rate_30d": round(rng.uniform(0.1, 0.45), 2)},
}


def churn_day(rng) -> int | None:
    if rng.random() < NEVER_CHURN_SHARE:
        return None
    draw = rng.random()
    for first, last, share in CHURN_WEEKS:
        if draw < share:
            return rng.randint(first, last)
        draw -= share
    return CHURN_TAIL_FROM + int(rng.expovariate(1 / CHURN_TAIL_MEAN_DAYS))


def habit_adherence(rng, base: float) -> float:
    return min(ADHERENCE_RANGE[1], max(ADHERENCE_RANGE[0], rng.gauss(base, HABIT_ADHERENCE_SD)))


def clock_time(minute: float) -> time:
    minute = max(0, min(24 * 60 - 1, int(minute)))
    return time(minute // 60, minute % 60)


def later(instant: datetime, now: datetime, **delay) -> datetime | None:
    """An event `delay` after `instant`, or None when that is still in the future."""
    at = instant + timedelta(**delay)
    return at if at <= now else None
