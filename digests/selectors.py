"""Reads for digests: everything a batch of digests needs in a fixed number of queries, and history."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse

from coaching.selectors import digest_tips, drip_coaching
from habits import schedule, stats
from habits.automaticity import project
from habits.days import BACKFILL_DAYS, local_day, zone
from habits.models import AutomaticityCheck, CheckIn, Habit, Skip
from habits.schedule import HabitHistory
from habits.selectors import build_history, excused_days, habit_views
from onboarding.models import CoachingProfile, Goal

from .content import DigestInputs, HabitFacts
from .drip import DripCoaching, DripFacts
from .emails import RenderedEmail, absolute_url, page_url, render_email, unsubscribe_url
from .models import (
    DIGEST_KIND,
    DIGEST_SWEEP_HEARTBEAT,
    DRIP_KIND,
    DigestSend,
    EmailSuppression,
    Stream,
    SweepHeartbeat,
)

# Check-ins are loaded for this many weeks before the digest day; a habit whose streak reaches
# further back has the rest of its history loaded in one more query for the whole batch.
HISTORY_WEEKS = 6


@dataclass(frozen=True)
class Recipient:
    """Who a digest goes to, and everything that decides whether it may go at all."""

    user_id: int
    email: str
    is_active: bool
    onboarded: bool
    digest_enabled: bool
    suppressed: bool
    verified: bool
    timezone: str = "UTC"
    day_start_hour: int = 0
    drip_enabled: bool = True

    def refusal(self, kinds=(DIGEST_KIND,)) -> str:
        """Why this person gets no email of these kinds right now ("" when they may)."""
        if not self.is_active:
            return "Account is inactive."
        if not self.onboarded:
            return "Onboarding is not finished."
        if DIGEST_KIND in kinds and not self.digest_enabled:
            return "The daily digest is turned off."
        if DIGEST_KIND not in kinds and not self.drip_enabled:
            return "The coaching emails for the first 30 days are turned off."
        if not self.email:
            return "No email address."
        if self.suppressed:
            return "The address bounced or reported spam; it is suppressed."
        if not self.verified:
            return "The email address is not verified."
        return ""


@dataclass
class DigestBatch:
    recipients: dict[int, Recipient]
    inputs: dict[int, DigestInputs]
    drip: dict[int, DripFacts] = field(default_factory=dict)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _missed_since(history: HabitHistory, today: date) -> bool:
    """Is there a streak-breaking miss between the history's start and today?"""
    day = today - timedelta(days=1)
    while day >= history.start:
        if stats.day_state(history, day, today) == "missed":
            return True
        day -= timedelta(days=1)
    return False


def suppressed_addresses(emails) -> set[str]:
    return set(EmailSuppression.objects.filter(email__in=[e.lower() for e in emails if e]).values_list("email", flat=True))


def address_suppressed(email: str) -> bool:
    return bool(email) and EmailSuppression.objects.filter(email=email.lower()).exists()


def _verified_addresses(user_ids) -> set[tuple[int, str]]:
    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return set()
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True).values_list("user_id", "email")
    return {(user_id, email.lower()) for user_id, email in rows}


def digest_batch(sends: list[DigestSend]) -> DigestBatch:
    """Recipients for every send, and digest inputs for those not composed yet.

    The number of queries does not depend on how many sends or how much history there is.
    """
    user_ids = [s.user_id for s in sends]
    last_tip = DigestSend.objects.filter(user_id=OuterRef("pk")).exclude(tip_key="").order_by("-local_date")
    # Coaching counts its days from here: check-ins of active habits, from each habit's start.
    first_check_in = CheckIn.objects.filter(
        user_id=OuterRef("pk"), habit__archived_at__isnull=True, local_date__gte=F("habit__start_date")
    ).order_by("local_date")
    users = list(
        get_user_model().objects.filter(pk__in=user_ids)
        .annotate(
            last_tip_key=Subquery(last_tip.values("tip_key")[:1]),
            first_check_in=Subquery(first_check_in.values("local_date")[:1]),
        )
        .values(
            "pk", "email", "first_name", "is_active", "last_tip_key", "first_check_in",
            "coaching_profile__timezone", "coaching_profile__day_start_hour", "email_schedule__digest_enabled",
            "coaching_profile__goals", "coaching_profile__obstacle", "coaching_profile__tone",
            "coaching_profile__onboarding_completed_at", "email_schedule__drip_enabled",
            "coaching_profile__goals_other", "coaching_profile__main_habit", "coaching_profile__main_habit_time",
            "coaching_profile__obstacle_other", "coaching_profile__why_now", "coaching_profile__success_factor",
            "email_schedule__digest_hour",
        )
    )
    suppressed = suppressed_addresses(u["email"] for u in users)
    check_verified = settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    verified = _verified_addresses(user_ids)
    recipients, people = {}, {}
    for u in users:
        email = u["email"] or ""
        recipients[u["pk"]] = Recipient(
            user_id=u["pk"], email=email, is_active=u["is_active"],
            onboarded=u["coaching_profile__onboarding_completed_at"] is not None,
            digest_enabled=bool(u["email_schedule__digest_enabled"]),
            suppressed=email.lower() in suppressed,
            verified=not check_verified or (u["pk"], email.lower()) in verified,
            timezone=u["coaching_profile__timezone"] or "UTC",
            day_start_hour=u["coaching_profile__day_start_hour"] or 0,
            drip_enabled=bool(u["email_schedule__drip_enabled"]),
        )
        people[u["pk"]] = u

    to_compose = [s for s in sends if not s.content and s.user_id in recipients and not recipients[s.user_id].refusal(s.kinds)]
    inputs = _digest_inputs(to_compose, people)
    milestones = [s for s in to_compose if s.milestone is not None]
    return DigestBatch(recipients=recipients, inputs=inputs, drip=_drip_facts(milestones, people, inputs))


def _drip_facts(sends: list[DigestSend], people: dict, inputs: dict) -> dict[int, DripFacts]:
    """What each milestone email quotes: answers, habits, coaching (day 14) and projections (day 30)."""
    if not sends:
        return {}
    coaching = drip_coaching([s.user_id for s in sends if s.milestone == 14])
    month_ends = [s for s in sends if s.milestone == 30]
    projections = _automaticity_dates([s.user_id for s in month_ends])
    figures = _whole_history_figures(month_ends)
    facts = {}
    for send in sends:
        person = people[send.user_id]
        tz, day_start = person["coaching_profile__timezone"] or "UTC", person["coaching_profile__day_start_hour"] or 0
        planned = person["coaching_profile__main_habit_time"]
        view = coaching.get(send.user_id)
        facts[send.user_id] = DripFacts(
            milestone=send.milestone, day=send.local_date,
            onboarded_on=local_day(person["coaching_profile__onboarding_completed_at"], tz, day_start),
            first_name=" ".join((person["first_name"] or "").split()),
            goals=tuple(person["coaching_profile__goals"] or ()),
            goal_labels=tuple(Goal(g).label for g in person["coaching_profile__goals"] or () if g in Goal.values),
            goals_other=person["coaching_profile__goals_other"] or "",
            main_habit=person["coaching_profile__main_habit"] or "",
            main_habit_time=f"{planned:%H:%M}" if planned else "",
            obstacle=person["coaching_profile__obstacle"] or "", obstacle_other=person["coaching_profile__obstacle_other"] or "",
            why_now=person["coaching_profile__why_now"] or "", success_factor=person["coaching_profile__success_factor"] or "",
            digest_hour=person["email_schedule__digest_hour"] if person["email_schedule__digest_enabled"] else None,
            habits=inputs[send.user_id].habits if send.user_id in inputs else (),
            coaching=DripCoaching(view.patterns, view.recommendations, view.first_evidence) if view else DripCoaching(),
            projections=projections.get(send.user_id, {}),
            figures=figures.get(send.user_id, {}),
        )
    return facts


def _whole_history_figures(sends: list[DigestSend]) -> dict[int, dict]:
    """Strength and best streak over each habit's whole history (the digest's window is cut), from checkpoints."""
    if not sends:
        return {}
    days = {s.user_id: s.local_date for s in sends}
    by_day = defaultdict(list)   # one habit_views call per local day (a sweep sees one or two), not per person
    for habit in Habit.objects.filter(user_id__in=days, archived_at__isnull=True).order_by("position", "id"):
        by_day[days[habit.user_id]].append(habit)
    figures = defaultdict(dict)
    for day, habits in by_day.items():
        for view in habit_views(habits, day, recent_days=0):
            figures[view.habit.user_id][view.habit.name] = (view.strength, view.best_streak)
    return dict(figures)


def _automaticity_dates(user_ids) -> dict[int, dict]:
    """Per person, habit name -> the date its self-checks project it to feel automatic (where a curve fits)."""
    if not user_ids:
        return {}
    points = defaultdict(list)
    starts = {}
    for user_id, name, start, day, *answers in AutomaticityCheck.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "habit__name", "habit__start_date", "local_date",
        "without_thinking", "automatically", "without_remembering", "before_realising",
    ):
        points[(user_id, name)].append(((day - start).days, sum(answers) / 4))
        starts[(user_id, name)] = start
    dates = defaultdict(dict)
    for (user_id, name), habit_points in points.items():
        if projection := project(habit_points):
            dates[user_id][name] = starts[(user_id, name)] + timedelta(days=projection.day_automatic)
    return dates


def _digest_inputs(sends: list[DigestSend], people: dict) -> dict[int, DigestInputs]:
    if not sends:
        return {}
    user_ids = [s.user_id for s in sends]
    days = {s.user_id: s.local_date for s in sends}
    covered = {s.user_id: s.covered_date for s in sends}
    window_start = _monday(min(covered.values()) - timedelta(weeks=HISTORY_WEEKS))

    habits = list(Habit.objects.filter(user_id__in=user_ids, archived_at__isnull=True))
    values = defaultdict(dict)
    for habit_id, day, value in CheckIn.objects.filter(user_id__in=user_ids, local_date__gte=window_start).order_by().values_list(
        "habit_id", "local_date", "value"
    ):
        values[habit_id][day] = value
    skips, pauses = excused_days(user_ids=user_ids, since=window_start)
    check_ins = {}
    for habit_id, day, completed_at, tz_name, time_known, note in CheckIn.objects.filter(
        user_id__in=user_ids, local_date__in=set(covered.values())
    ).order_by().values_list("habit_id", "local_date", "completed_at", "timezone", "time_known", "note"):
        at = completed_at.astimezone(zone(tz_name)).time().replace(second=0, microsecond=0) if time_known else None
        check_ins[(habit_id, day)] = (at, note)

    histories, need_full_history = {}, []
    for habit in habits:
        history = build_history(habit, values[habit.pk], skips[habit.pk], pauses[habit.pk])
        if habit.start_date - timedelta(days=BACKFILL_DAYS) < window_start:  # check-ins may predate the window
            cut = schedule.period_start_on_or_after(history.schedule, window_start, history.start)
            history = replace(history, start=max(history.start, cut))
            if not _missed_since(history, days[habit.user_id]):
                need_full_history.append(habit)
        histories[habit.pk] = history
    if need_full_history:
        _load_full_histories(need_full_history, window_start, values, skips, pauses, histories)

    tips = digest_tips(user_ids)
    facts = defaultdict(list)
    for habit in habits:
        day = covered[habit.user_id]
        at, note = check_ins.get((habit.pk, day), (None, ""))
        value = values[habit.pk].get(day) if habit.is_measurable else None
        facts[habit.user_id].append(HabitFacts(
            name=habit.name, history=histories[habit.pk], icon=habit.icon, colour=habit.colour, unit=habit.unit,
            target_label=habit.target_label(), planned_time=habit.planned_time,
            covered_at=at, covered_value=value, covered_note=note,
        ))

    inputs = {}
    for send in sends:
        person = people[send.user_id]
        first = person["first_check_in"]
        coaching_day = (send.local_date - first).days + 1 if first and first <= send.local_date else None
        inputs[send.user_id] = DigestInputs(
            day=send.local_date, covered=send.covered_date, is_morning=send.covered_date < send.local_date,
            first_name=person["first_name"], tone=person["coaching_profile__tone"] or "gentle",
            goals=tuple(person["coaching_profile__goals"] or ()), obstacle=person["coaching_profile__obstacle"] or "",
            coaching_day=coaching_day, habits=tuple(facts[send.user_id]),
            tips=tuple(tips.get(send.user_id, ())), last_tip_key=person["last_tip_key"] or "",
        )
    return inputs


def _load_full_histories(habits, window_start, values, skips, pauses, histories):
    """Long streaks need the history before the window: one query each for check-ins and skips."""
    ids = [h.pk for h in habits]
    for habit_id, day, value in CheckIn.objects.filter(habit_id__in=ids, local_date__lt=window_start).order_by().values_list(
        "habit_id", "local_date", "value"
    ):
        values[habit_id][day] = value
    for habit_id, day in Skip.objects.filter(habit_id__in=ids, local_date__lt=window_start).order_by().values_list("habit_id", "local_date"):
        skips[habit_id].append(day)
    for habit in habits:
        histories[habit.pk] = build_history(habit, values[habit.pk], skips[habit.pk], pauses[habit.pk])


def digest_history(user):
    """Past digests a person can open again, newest first."""
    return DigestSend.objects.for_user(user).viewable().order_by("-local_date")


def profile_for_user(user_id: int) -> CoachingProfile | None:
    return CoachingProfile.objects.filter(user_id=user_id).select_related("user").first()


def digest_email_context(*, send: DigestSend, content: dict) -> dict:
    return {
        "digest": content,
        "milestone": content.get("milestone"),
        "links": {
            "today": page_url("habits:today"),
            "view": absolute_url(reverse("digests:digest", args=[send.pk])),
            "preferences": page_url("digests:preferences"),
            "unsubscribe": unsubscribe_url(user_id=send.user_id, stream=Stream.DIGEST),
            "unsubscribe_drip": unsubscribe_url(user_id=send.user_id, stream=Stream.DRIP),
            "coaching": page_url("coaching:overview"),
            "analytics": page_url("habits:analytics"),
            "profile": page_url("onboarding:profile"),
        },
    }


def rendered_send(*, send: DigestSend, content: dict) -> tuple[RenderedEmail, str]:
    """The email for a send's content, and its one-click unsubscribe URL (the stream it is mostly about)."""
    context = digest_email_context(send=send, content=content)
    template = DIGEST_KIND if send.stream == Stream.DIGEST else DRIP_KIND
    return render_email(template, context), unsubscribe_url(user_id=send.user_id, stream=send.stream)


def rendered_digest(send: DigestSend) -> RenderedEmail:
    """A stored email rendered again, exactly as it was sent ("view in browser")."""
    return rendered_send(send=send, content=send.content)[0]


def last_sweep_completed_at(name: str = DIGEST_SWEEP_HEARTBEAT) -> datetime | None:
    """When the digest sweep last ran to the end, or None before it ever has."""
    return SweepHeartbeat.objects.filter(name=name).values_list("completed_at", flat=True).first()
