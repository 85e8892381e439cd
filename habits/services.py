"""Every change to habits and check-ins goes through these functions."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .days import backfill_window, local_day, local_instant, local_noon, today_for, utc_offset_minutes
from .models import NOTE_MAX_LENGTH, CheckIn, Habit, HabitCheckpoint, Pause, Skip

MAX_VALUE = 1_000_000


class CheckInRefused(ValidationError):
    """A check-in that cannot be recorded, with a message the person can act on."""


FIGURE_FIELDS = {"kind", "target", "target_type", "schedule_kind", "weekdays", "frequency_numerator",
                 "frequency_denominator", "start_date"}


def _profile(user):
    return user.coaching_profile


def _history_changed(habit: Habit, day: date | None = None) -> None:
    """A change on `day` (or to the whole habit) outdates figures kept as of that day or later."""
    checkpoints = HabitCheckpoint.objects.filter(habit=habit)
    if day is not None:
        checkpoints = checkpoints.filter(as_of__gte=day)
    checkpoints.delete()


def habit_create(*, user, now: datetime | None = None, **fields) -> Habit:
    now = now or timezone.now()
    position = (Habit.objects.filter(user=user).aggregate(top=Max("position"))["top"] or 0) + 1
    habit = Habit(user=user, position=position, start_date=today_for(_profile(user), now), **fields)
    habit.full_clean()
    habit.save()
    return habit


def habit_update(*, habit: Habit, changes: dict) -> Habit:
    changed = {field for field, value in changes.items() if getattr(habit, field) != value}
    for field, value in changes.items():
        setattr(habit, field, value)
    habit.full_clean()
    habit.save()
    if changed & FIGURE_FIELDS:
        _history_changed(habit)
    return habit


def habit_archive(*, habit: Habit) -> Habit:
    habit.archived_at = timezone.now()
    habit.save(update_fields=["archived_at", "updated_at"])
    return habit


def habit_unarchive(*, habit: Habit) -> Habit:
    habit.archived_at = None
    habit.save(update_fields=["archived_at", "updated_at"])
    return habit


def habit_delete(*, habit: Habit) -> None:
    habit.delete()


@transaction.atomic
def habit_move(*, habit: Habit, offset: int) -> None:
    """Move a habit up (-1) or down (+1) among the person's active habits."""
    habits = list(Habit.objects.for_user(habit.user).active().select_for_update())
    index = next((i for i, h in enumerate(habits) if h.pk == habit.pk), None)
    if index is None:  # archived habits have no place in the order
        return
    target = max(0, min(len(habits) - 1, index + offset))
    habits.insert(target, habits.pop(index))
    _renumber(habits)


@transaction.atomic
def habits_reorder(*, user, habit_ids: list[int]) -> None:
    habits = {h.pk: h for h in Habit.objects.for_user(user).active().select_for_update()}
    ordered = [habits.pop(pk) for pk in habit_ids if pk in habits]
    ordered += sorted(habits.values(), key=lambda h: h.position)
    _renumber(ordered)


def _renumber(habits):
    for position, habit in enumerate(habits, start=1):
        habit.position = position
    Habit.objects.bulk_update(habits, ["position"])


def checkin_refusal(*, habit: Habit, day: date, today: date) -> CheckInRefused | None:
    """Why `day` cannot be checked in, undone or skipped, or None when it can: the one rule for
    every page that offers days. A day before the habit's start is accepted (checking it in moves
    the start back), so Today's strip and the habit page's "Log a day" offer the same days."""
    earliest, latest = backfill_window(today)
    if day > latest:
        return CheckInRefused("That day hasn't happened yet.", code="future")
    if day < earliest:
        return CheckInRefused("Only the last 7 days can be checked in, undone or skipped.", code="too_old")
    if day < habit.start_date - timedelta(days=7):
        return CheckInRefused("This habit did not exist on that day.", code="before_start")
    return None


def _check_day(habit: Habit, day: date, now: datetime) -> date:
    refusal = checkin_refusal(habit=habit, day=day, today=today_for(_profile(habit.user), now))
    if refusal:
        raise refusal
    return day


def _moment(habit: Habit, day: date, at_time: time | None, now: datetime) -> tuple[datetime, bool]:
    profile = _profile(habit.user)
    if day == today_for(profile, now) and at_time is None:
        return now, True
    if at_time is None:
        return local_noon(day, profile.timezone), False
    moment = local_instant(day, at_time, profile.timezone, profile.day_start_hour)
    if moment > now:
        raise CheckInRefused("That time is still in the future.", code="future")
    return moment, True


def _clean_value(habit: Habit, value):
    if not habit.is_measurable:
        return None
    if value is None:
        raise CheckInRefused(f"Enter how much{(' (' + habit.unit + ')') if habit.unit else ''}.", code="value_required")
    if value < 0 or value > MAX_VALUE:
        raise CheckInRefused("Enter a value between 0 and 1,000,000.", code="value_range")
    return value


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise CheckInRefused(f"Notes can be at most {NOTE_MAX_LENGTH:,} characters.", code="note_length")
    return note


def checkin_record(
    *, habit: Habit, day: date | None = None, at_time: time | None = None, value=None, note: str | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Record a habit as done for a day. Tapping twice never makes two check-ins;
    for measurable habits the day's value is updated. A note of None leaves the day's note as it
    is (a tap carries none); any other note, "" included, replaces it."""
    now = now or timezone.now()
    profile = _profile(habit.user)
    day = _check_day(habit, day or today_for(profile, now), now)
    value = _clean_value(habit, value)
    keep_note = note is None
    note = _clean_note(note)
    moment, time_known = _moment(habit, day, at_time, now)

    if day < habit.start_date:  # a backfill before the habit was added moves its start back
        habit.start_date = day
        habit.save(update_fields=["start_date", "updated_at"])
        _history_changed(habit)
    existing = CheckIn.objects.filter(habit=habit, local_date=day).first()
    if existing:
        changed = []
        if habit.is_measurable and existing.value != value:
            existing.value = value
            changed.append("value")
            _history_changed(habit, day)
        if not keep_note and note != existing.note:
            existing.note = note
            changed.append("note")
        if changed:
            existing.save(update_fields=changed)
        return existing
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                user=habit.user, habit=habit, local_date=day, completed_at=moment,
                timezone=profile.timezone, utc_offset_minutes=utc_offset_minutes(moment, profile.timezone),
                time_known=time_known, value=value, note=note,
            )
    except IntegrityError:  # a double tap racing itself
        return CheckIn.objects.get(habit=habit, local_date=day)
    Skip.objects.filter(habit=habit, local_date=day).delete()
    _history_changed(habit, day)
    return checkin


def checkin_undo(*, habit: Habit, day: date, now: datetime | None = None) -> None:
    _check_day(habit, day, now or timezone.now())
    CheckIn.objects.filter(habit=habit, local_date=day).delete()
    _history_changed(habit, day)


def checkin_update(*, checkin: CheckIn, value=None, note: str = "", at_time: time | None = None) -> CheckIn:
    """Edit a check-in as the edit page shows it: no time means the time is not known (noon stands in)."""
    habit = checkin.habit
    checkin.value = _clean_value(habit, value)
    checkin.note = _clean_note(note)
    if at_time is None:
        checkin.completed_at = local_noon(checkin.local_date, checkin.timezone)
        checkin.utc_offset_minutes = utc_offset_minutes(checkin.completed_at, checkin.timezone)
        checkin.time_known = False
    else:
        moment = local_instant(checkin.local_date, at_time, checkin.timezone, _profile(habit.user).day_start_hour)
        if moment > timezone.now():
            raise CheckInRefused("That time is still in the future.", code="future")
        checkin.completed_at = moment
        checkin.utc_offset_minutes = utc_offset_minutes(moment, checkin.timezone)
        checkin.time_known = True
    checkin.save()
    _history_changed(habit, checkin.local_date)
    return checkin


def checkin_delete(*, checkin: CheckIn) -> None:
    checkin.delete()
    _history_changed(checkin.habit, checkin.local_date)


def skip_toggle(*, habit: Habit, day: date, now: datetime | None = None) -> bool:
    """Excuse a day (or take the excuse back). Returns whether the day is now skipped."""
    _check_day(habit, day, now or timezone.now())
    _history_changed(habit, day)
    deleted, _ = Skip.objects.filter(habit=habit, local_date=day).delete()
    if deleted:
        return False
    CheckIn.objects.filter(habit=habit, local_date=day).delete()
    Skip.objects.get_or_create(user=habit.user, habit=habit, local_date=day)
    return True


def habit_pause(*, habit: Habit, start: date, end: date | None = None) -> Pause:
    if end is not None and end < start:
        raise ValidationError({"end": "The pause must end on or after its first day."})
    Pause.objects.filter(habit=habit, end__isnull=True).update(end=start - timedelta(days=1))
    _history_changed(habit, start - timedelta(days=1))
    return Pause.objects.create(user=habit.user, habit=habit, start=start, end=end)


def habit_resume(*, habit: Habit, now: datetime | None = None) -> None:
    """End any pause covering today; today itself is scheduled again."""
    today = today_for(_profile(habit.user), now or timezone.now())
    yesterday = today - timedelta(days=1)
    _history_changed(habit, yesterday)
    Pause.objects.filter(habit=habit, start=today).delete()
    Pause.objects.filter(habit=habit, start__lte=yesterday).exclude(end__lt=today).update(end=yesterday)


@transaction.atomic
def pause_all(*, user, start: date, end: date | None = None) -> int:
    habits = list(Habit.objects.for_user(user).active())
    for habit in habits:
        habit_pause(habit=habit, start=start, end=end)
    return len(habits)


@transaction.atomic
def resume_all(*, user, now: datetime | None = None) -> None:
    for habit in Habit.objects.for_user(user).active():
        habit_resume(habit=habit, now=now)


def habit_create_from_profile(*, profile) -> Habit | None:
    """The main habit named in onboarding becomes the first habit."""
    if not profile.main_habit or Habit.objects.filter(user=profile.user, is_main=True).exists():
        return None
    return habit_create(
        user=profile.user, name=profile.main_habit, planned_time=profile.main_habit_time, is_main=True,
        area=(profile.goals or [""])[0] if len(profile.goals or []) == 1 else "",
    )


def local_checkin_day(user, instant: datetime) -> date:
    profile = _profile(user)
    return local_day(instant, profile.timezone, profile.day_start_hour)


def automaticity_record(*, habit: Habit, answers: dict, now: datetime | None = None):
    """One self-check per habit per day; answering again the same day replaces it."""
    from .models import AutomaticityCheck

    day = today_for(_profile(habit.user), now or timezone.now())
    check, _ = AutomaticityCheck.objects.update_or_create(
        habit=habit, local_date=day, defaults={"user": habit.user, **answers}
    )
    return check


@transaction.atomic
def account_delete(*, user) -> None:
    """Everything of theirs goes: the database cascades from the user row."""
    user.delete()
