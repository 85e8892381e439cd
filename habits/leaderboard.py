"""The opt-in leaderboard: joining, renaming and leaving it, and the standings.

Nobody is on it until they join. A member appears under a display name they chose, with one
number: their consistency, scheduled habit-days done / scheduled habit-days over the 30 local
days ending yesterday (in their own zone and day-start hour), pooled over their habits that
are not archived. Each habit counts as `stats.completion_counts` counts it, the rule the staff
30-day completion rate uses too, so a 3-times-a-week habit is judged by its weeks. Nothing else
about members (habit names, notes, times) leaves this module.

Ranks are standard competition ranking on the percentage the board shows (1, 2, 2, 4);
people on the same percentage are listed alphabetically, never by who joined first.
"""

import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from . import schedule, stats
from .days import today_for
from .models import (
    DISPLAY_NAME_MAX_LENGTH,
    CheckIn,
    Habit,
    LeaderboardMember,
    LeaderboardRenameClock,
    Pause,
    Skip,
    display_name_key,
)
from .schedule import HabitHistory
from .selectors import build_history

WINDOW_DAYS = 30
RENAME_EVERY = timedelta(hours=24)  # a name people can follow, and no cycling through names to harass someone
DISPLAY_NAME_MIN_LENGTH = 3
ALLOWED_NAME = re.compile(r"[\w .-]+")  # \w on str: Unicode letters and digits, and "_"
LONGEST_WEEK_REACH = timedelta(days=6)  # a weekly period that touches the window starts at most six days before it

EAST_ASIAN_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"}
NAME_TAKEN = "That name is taken. Choose another."
NOT_A_MEMBER = "You are not on the leaderboard."

SUGGESTION_ADJECTIVES = ("Steady", "Patient", "Bright", "Quiet", "Brave", "Calm", "Keen", "Bold", "Gentle", "Nimble", "Sunny", "Plucky")
SUGGESTION_ANIMALS = ("Otter", "Heron", "Badger", "Fox", "Wren", "Tortoise", "Falcon", "Hare", "Owl", "Beaver", "Robin", "Lynx")
SUGGESTION_TRIES = 5


@dataclass(frozen=True)
class Standing:
    user_id: int              # only to mark the viewer's own row; never shown
    display_name: str
    percent: int | None       # consistency over the window, rounded as the board shows it; None: nothing was asked
    rank: int | None = None   # standard competition ranking; None when there is no percent


def clean_display_name(user, display_name: str) -> str:
    """The name as it will be stored, or a ValidationError saying what is wrong with it."""
    # NFKC folds look-alikes (full-width letters, ligatures) and one space stands for a run,
    # as the page would render it: two names that look the same are the same name.
    name = re.sub(" +", " ", unicodedata.normalize("NFKC", display_name)).strip()
    if name.casefold() in _personal_names(user):
        raise ValidationError(
            "Choose a name that is not your email address, username or real name: the board is public to members.",
            code="personal",
        )
    if not DISPLAY_NAME_MIN_LENGTH <= len(name) <= DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            f"Use {DISPLAY_NAME_MIN_LENGTH} to {DISPLAY_NAME_MAX_LENGTH} characters.", code="length"
        )
    if not ALLOWED_NAME.fullmatch(name) or not any(character.isalnum() for character in name):
        raise ValidationError(
            "Use letters and digits, with spaces, hyphens, underscores or full stops if you like.", code="characters"
        )
    if len(scripts_of(name) - EAST_ASIAN_SCRIPTS) > 1:
        raise ValidationError(
            "Use the letters of one alphabet: mixed alphabets can imitate another member's name.", code="mixed_scripts"
        )
    if LeaderboardMember.objects.filter(name_key=display_name_key(name)).exclude(user=user).exists():
        raise ValidationError(NAME_TAKEN, code="taken")
    return name


def scripts_of(name: str) -> set[str]:
    """The alphabets a name's letters come from, by the first word of each letter's Unicode name
    (LATIN, CYRILLIC, GREEK...): a Cyrillic "а" among Latin letters looks like "a" and is not.
    Han, kana and Hangul mix with each other and with one alphabet in real names (Unicode TR39's
    "highly restrictive" level), so only two alphabets together are refused."""
    return {unicodedata.name(character, "?").split()[0] for character in name if character.isalpha()}


def _personal_names(user) -> set[str]:
    email = user.email or ""
    names = {email, email.split("@")[0], user.get_username(), user.first_name, user.last_name, user.get_full_name()}
    return {name.strip().casefold() for name in names if name and name.strip()}


def suggested_name() -> str:
    """A friendly random name for the join form; never derived from anything about the person."""
    candidates = [
        f"{secrets.choice(SUGGESTION_ADJECTIVES)} {secrets.choice(SUGGESTION_ANIMALS)} {10 + secrets.randbelow(90)}"
        for _ in range(SUGGESTION_TRIES)
    ]
    taken = set(
        LeaderboardMember.objects.filter(name_key__in=[display_name_key(name) for name in candidates])
        .values_list("name_key", flat=True)
    )
    return next((name for name in candidates if display_name_key(name) not in taken), candidates[0])


def join(*, user, display_name: str, now: datetime | None = None) -> LeaderboardMember:
    """On the board under `display_name`. Joining again after leaving counts as a rename."""
    now = now or timezone.now()
    name = clean_display_name(user, display_name)
    clock = LeaderboardRenameClock.objects.filter(user=user).first()
    renamed_at = None
    if clock is not None:
        if clock.renamed_at is not None and now < clock.renamed_at + RENAME_EVERY:
            raise _too_soon(clock.renamed_at + RENAME_EVERY - now, again="join again (under any name)")
        renamed_at = now
    try:
        with transaction.atomic():
            member = LeaderboardMember.objects.create(user=user, display_name=name, joined_at=now, name_changed_at=renamed_at)
            LeaderboardRenameClock.objects.filter(user=user).delete()
            return member
    except IntegrityError:
        if LeaderboardMember.objects.filter(user=user).exists():
            raise ValidationError("You are already on the leaderboard.", code="already_member") from None
        raise ValidationError(NAME_TAKEN, code="taken") from None


def rename(*, user, display_name: str, now: datetime) -> LeaderboardMember:
    """A new display name, at most once every 24 hours."""
    member = LeaderboardMember.objects.filter(user=user).first()
    if member is None:
        raise ValidationError(NOT_A_MEMBER, code="not_member")
    name = clean_display_name(user, display_name)
    if name == member.display_name:
        return member
    if member.name_changed_at is not None and now < member.name_changed_at + RENAME_EVERY:
        raise _too_soon(member.name_changed_at + RENAME_EVERY - now)
    try:
        with transaction.atomic():
            # Conditional on the last rename we read: a second request racing this one updates nothing.
            updated = LeaderboardMember.objects.filter(pk=member.pk, name_changed_at=member.name_changed_at).update(
                display_name=name, name_key=display_name_key(name), name_changed_at=now
            )
    except IntegrityError:
        raise ValidationError(NAME_TAKEN, code="taken") from None
    if not updated:
        raise _too_soon(RENAME_EVERY)
    member.display_name, member.name_changed_at = name, now
    return member


def _too_soon(wait: timedelta, again: str = "try again") -> ValidationError:
    hours = max(1, -(-int(wait.total_seconds()) // 3600))
    return ValidationError(
        f"You can change your display name once every 24 hours. You can {again} in {hours} hour{'s' if hours != 1 else ''}.",
        code="too_soon",
    )


def leave(*, user) -> None:
    """Off the board at once, name and all; only the time of the last rename stays (see join)."""
    with transaction.atomic():
        member = LeaderboardMember.objects.select_for_update().filter(user=user).first()
        if member is None:
            return
        LeaderboardRenameClock.objects.update_or_create(user=user, defaults={"renamed_at": member.name_changed_at})
        member.delete()


# Pure core


def consistency(histories: Iterable[HabitHistory], today: date) -> float | None:
    """Habit-days done / habit-days scheduled over the WINDOW_DAYS local days before `today`,
    pooled over the habits; None when nothing was scheduled."""
    yesterday = today - timedelta(days=1)
    done = scheduled = 0.0
    for history in histories:
        habit_done, habit_scheduled = stats.completion_counts(history, today, WINDOW_DAYS, end=yesterday)
        done += habit_done
        scheduled += habit_scheduled
    return done / scheduled if scheduled else None


def ranked(entries: Iterable[Standing]) -> list[Standing]:
    """Highest percent first, equal percents share a rank and are listed alphabetically; those
    with nothing scheduled follow, unranked and alphabetical."""
    def by_name(entry):
        return entry.display_name.casefold(), entry.display_name

    entries = list(entries)
    scored = sorted((e for e in entries if e.percent is not None), key=lambda e: (-e.percent, *by_name(e)))
    board = []
    for position, entry in enumerate(scored, start=1):
        tied = board and board[-1].percent == entry.percent
        board.append(replace(entry, rank=board[-1].rank if tied else position))
    return board + sorted((e for e in entries if e.percent is None), key=by_name)


# Loading


def standings(now: datetime) -> list[Standing]:
    """Every member's standing as of `now`, in six queries however many members there are."""
    members = list(
        LeaderboardMember.objects.filter(user__coaching_profile__isnull=False).select_related("user__coaching_profile")
    )
    if not members:
        return []
    today_of = {member.user_id: today_for(member.user.coaching_profile, now) for member in members}
    window_first = {user_id: today - timedelta(days=WINDOW_DAYS) for user_id, today in today_of.items()}

    active = Habit.objects.active().filter(user__leaderboard_member__isnull=False)
    habits = list(active)
    in_board = Q(habit__in=active.values("pk"))
    # A habit's life starts at its first check-in when that came before its start date (imports).
    early = CheckIn.objects.filter(in_board, local_date__lt=F("habit__start_date")).values("habit_id")
    first_check_in = dict(early.annotate(first=Min("local_date")).values_list("habit_id", "first"))
    for habit in habits:
        habit.start_date = first_check_in.get(habit.pk, habit.start_date)
    # The check-ins of a period that starts before the window decide whether it was met, so
    # read from each habit's first period; only month and longer periods reach past a week.
    recent = min(window_first.values()) - LONGEST_WEEK_REACH
    reads_from = {
        habit.pk: schedule.period_of(habit.schedule, window_first[habit.user_id], habit.start_date)[0]
        for habit in habits if habit.user_id in window_first
    }
    longer = {pk: day for pk, day in reads_from.items() if day < recent}
    scope = Q(local_date__gte=recent)
    if longer:
        scope |= Q(habit_id__in=list(longer), local_date__gte=min(longer.values()))

    values = defaultdict(dict)
    for habit_id, day, value in CheckIn.objects.filter(in_board, scope).values_list("habit_id", "local_date", "value"):
        values[habit_id][day] = value
    skips = defaultdict(list)
    for habit_id, day in Skip.objects.filter(in_board, scope).values_list("habit_id", "local_date"):
        skips[habit_id].append(day)
    pauses = defaultdict(list)
    still_relevant = Q(end__isnull=True) | Q(end__gte=min([recent, *longer.values()]))
    for habit_id, start, end in Pause.objects.filter(in_board, still_relevant).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))

    histories = defaultdict(list)
    for habit in habits:
        histories[habit.user_id].append(build_history(habit, values[habit.pk], skips[habit.pk], pauses[habit.pk]))
    entries = []
    for member in members:
        rate = consistency(histories[member.user_id], today_of[member.user_id])
        percent = None if rate is None else round(100 * rate)
        entries.append(Standing(user_id=member.user_id, display_name=member.display_name, percent=percent))
    return ranked(entries)
