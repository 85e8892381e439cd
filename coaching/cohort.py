"""A synthetic cohort with planted patterns and ground truth, to measure the coaching detectors.

Every user belongs to one group: a planted pattern (one habit carries it, at realistic noise) or
"none" (steady completion, times spread over the day). Habits that carry no planted pattern are
steady too, so the labels are complete: a pattern insight that is not in `labels` is a false
positive. Threshold kinds (strong, struggling, overload) are labelled from the generated data
itself, since for them "true" means the numbers say so.

    users = generate_cohort(days=28, users_per_group=200, no_pattern_users=1000, seed=7)

`realistic=True` builds the harder cohort the targets are judged on (kept apart by its own seeds
in bench/coaching_eval.py): weekday gaps on any set of 1-3 weekdays, trends whose change starts on
any day of the window, planted and background habits scheduled on weekdays, k in N days or
measured against a target, and people in half-hour zones and across a DST change whose
check-ins go through the wall-clock conversion and come back from stored UTC offsets, as the
database path reads them.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import numpy as np

from coaching.analysis import CheckinArrays, HabitInput, ProfileInput
from coaching.analysis import kinds as k
from habits import stats
from habits.days import local_instant, utc_offset_minutes
from habits.schedule import HabitHistory, Measure, Schedule

NO_PATTERN = "none"
PLANTED_GROUPS = (
    k.TIME_ANCHOR, k.TIME_DRIFT, k.WEEKDAY_GAP, k.DECLINING_TREND, k.IMPROVING_TREND, k.DOUBLE_MISS,
    k.CHRONOTYPE_MISMATCH, k.PLANNED_TIME_MISMATCH, k.MAIN_HABIT_LAGGING, k.STRONG_HABIT, k.STRUGGLING_HABIT,
    k.OVERLOAD, k.GOAL_GAP,
)
REALISED_KINDS = frozenset({k.STRONG_HABIT, k.STRUGGLING_HABIT, k.OVERLOAD})

HABIT_NAMES = {
    "health": ("Run", "Walk 8000 steps", "Yoga", "Gym workout", "Drink water", "Stretching"),
    "learning": ("Read 20 pages", "Study Spanish", "Online course", "Flashcards"),
    "mindfulness": ("Meditate", "Journal", "Gratitude list", "Box breathing"),
    "productivity": ("Plan tomorrow", "Inbox zero", "Deep work block", "Tidy desk"),
    "relationships": ("Call a friend", "Family dinner", "Text my parents"),
    "creativity": ("Sketch", "Write 300 words", "Play guitar", "Photo of the day"),
    "finances": ("Track spending", "Monthly budget", "Savings transfer"),
    "sleep": ("Bed by 23:00", "No screens after 22:00", "Wake at 07:00"),
}
DAY_START, DAY_END = 6 * 60, 23 * 60          # "times spread over the day"
EVENING_WINDOW = (19 * 60, 23 * 60 + 30)
MORNING_WINDOW = (5 * 60 + 30, 10 * 60)
BASE_TODAY = date(2025, 6, 1)
# Realistic users live in these zones, with "today" a few days after the zone's DST change (where it has one).
ZONES = (
    ("Asia/Kolkata", date(2025, 6, 1)),           # +05:30, no DST
    ("Asia/Kathmandu", date(2025, 6, 1)),         # +05:45
    ("Australia/Adelaide", date(2025, 4, 12)),    # +10:30 -> +09:30 on 6 April
    ("America/St_Johns", date(2025, 3, 15)),      # -03:30 -> -02:30 on 9 March
    ("Europe/London", date(2025, 4, 3)),          # +00:00 -> +01:00 on 30 March
    ("America/New_York", date(2025, 11, 8)),      # -04:00 -> -05:00 on 2 November
)
WEEKDAY_SCHEDULES = ((0, 1, 2, 3, 4), (0, 2, 4, 5), (0, 1, 2, 3, 4, 5), (1, 2, 3, 4, 5, 6))
MIN_SIDE_DAYS = 7           # a planted change leaves at least a week on each side


@dataclass
class SyntheticUser:
    user_id: str
    group: str
    today: date
    habits: list[HabitInput]
    profile: ProfileInput
    checkins: CheckinArrays
    labels: set = field(default_factory=set)   # {(habit id or None, kind)} of every pattern that is really there


@dataclass
class _Habit:
    """How one synthetic habit behaves: a completion model and a time model."""

    name: str
    area: str | None
    done: np.ndarray
    minutes: np.ndarray
    planned: time | None = None
    is_main: bool = False
    schedule: Schedule = Schedule()
    target: float | None = None
    values: np.ndarray | None = None      # the logged amount per day, for measurable habits


def _steady(rng, days, p):
    return rng.random(days) < p


def _spread_times(rng, days):
    return rng.uniform(DAY_START, DAY_END, days)


def _window_times(rng, days, window):
    return rng.uniform(*window, days)


def _anchored_times(rng, days, centre, jitter, outliers=0.08):
    times = centre + rng.normal(0, jitter, days)
    odd = rng.random(days) < outliers
    times[odd] = rng.uniform(DAY_START, DAY_END, odd.sum())
    return times % 1440


def _weekday_gap(rng, days, weekday, gap_days):
    done = _steady(rng, days, rng.uniform(0.85, 0.95))
    done[np.isin(weekday, gap_days)] = False
    return done


def _trend(rng, days, before, after, change=None):
    change = days - min(days, 56) // 2 if change is None else change
    p = np.where(np.arange(days) < change, before, after)
    return rng.random(days) < p


def _markov(rng, days, miss_after_done, miss_after_miss):
    done = np.empty(days, dtype=bool)
    missed = False
    for day in range(days):
        missed = rng.random() < (miss_after_miss if missed else miss_after_done)
        done[day] = not missed
    return done


class _Builder:
    def __init__(self, rng, days, group, user_id, realistic=False):
        self.rng, self.days, self.group, self.user_id, self.realistic = rng, days, group, user_id, realistic
        self.zone = None
        if realistic:
            self.zone, around = ZONES[int(rng.integers(len(ZONES)))]
            self.today = around + timedelta(days=int(rng.integers(0, 7)))
        else:
            self.today = BASE_TODAY + timedelta(days=int(rng.integers(0, 7)))
        self.start = self.today - timedelta(days=days - 1)
        self.weekday = (np.arange(days) + self.start.weekday()) % 7
        self.habits: list[_Habit] = []
        self.labels: set = set()
        self.used_names: set = set()
        self.chronotype = None

    def name_for(self, area):
        options = [n for n in HABIT_NAMES[area] if n not in self.used_names]
        name = options[int(self.rng.integers(len(options)))] if options else f"{area.title()} habit {len(self.habits)}"
        self.used_names.add(name)
        return name

    def add(self, done, minutes, area=None, planned=None, is_main=False, shape=True, keep_days=()) -> int:
        """A habit doing `done`; realistic users' habits also get a schedule or a target (`shape`),
        without touching the days in `keep_days` (a planted gap stays scheduled)."""
        rng = self.rng
        area = area or k.GOALS[int(rng.integers(len(k.GOALS)))]
        habit = _Habit(self.name_for(area), area, done, np.floor(minutes) % 1440, planned, is_main)
        if self.realistic and shape:
            self._shape(habit, keep_days)
        self.habits.append(habit)
        return len(self.habits) - 1

    def _shape(self, habit: _Habit, keep_days):
        """A quarter of habits run on weekdays only, a quarter are measured against a target."""
        rng, roll = self.rng, self.rng.random()
        if roll < 0.25:
            options = [s for s in WEEKDAY_SCHEDULES if set(keep_days) <= set(s) and len(s) - len(keep_days) >= 3]
            if options:
                weekdays = options[int(rng.integers(len(options)))]
                habit.schedule = Schedule(weekdays=frozenset(weekdays))
                habit.done = habit.done & np.isin(self.weekday, weekdays)
        elif roll < 0.5:
            target = float(rng.choice([2.0, 5.0, 20.0, 8000.0]))
            values = np.where(habit.done, target * rng.uniform(1.0, 1.6, self.days), target * rng.uniform(0.1, 0.9, self.days))
            logged_short = ~habit.done & (rng.random(self.days) < 0.3)  # some days logged below target
            habit.values = np.where(habit.done | logged_short, np.round(values, 1), np.nan)
            habit.target = target

    def background(self, count, p=None):
        for _ in range(count):
            probability = p if p is not None else self.rng.uniform(0.4, 0.95)
            if self.realistic and self.rng.random() < 0.15:
                self._flexible()
                continue
            self.add(_steady(self.rng, self.days, probability), _spread_times(self.rng, self.days))

    def _flexible(self):
        """A 3-times-a-week habit done on about three days of most weeks."""
        rng = self.rng
        done = np.zeros(self.days, dtype=bool)
        for week in range(0, self.days, 7):
            chosen = rng.choice(7, size=int(rng.choice([2, 3, 3, 4])), replace=False)
            done[[week + day for day in chosen if week + day < self.days]] = True
        index = self.add(done, _spread_times(rng, self.days), shape=False)
        self.habits[index].schedule = Schedule(times=3, days=7)

    def label(self, index, kind):
        self.labels.add((self.habit_id(index) if index is not None else None, kind))

    def habit_id(self, index):
        return f"{self.user_id}-h{index}"


def _plant(b: _Builder):
    """Give the user their group's pattern, plus steady background habits."""
    rng, days, group = b.rng, b.days, b.group
    steady_p = lambda: rng.uniform(0.6, 0.95)  # noqa: E731
    if group == NO_PATTERN:
        p = rng.uniform(0.4, 0.95)
        count = int(rng.integers(1, 4))
        main = int(rng.integers(count))
        for index in range(count):
            planned = time(int(rng.integers(6, 22)), 0) if rng.random() < 0.5 else None
            b.add(_steady(rng, days, float(np.clip(p + rng.normal(0, 0.03), 0.05, 0.98))), _spread_times(rng, days),
                  planned=planned, is_main=index == main)
        b.chronotype = ("morning", "intermediate", "evening")[int(rng.integers(3))]
        return
    if group in (k.TIME_ANCHOR, k.PLANNED_TIME_MISMATCH):
        centre = rng.uniform(6 * 60, 22 * 60)
        planned = None
        if group == k.PLANNED_TIME_MISMATCH:
            offset = rng.uniform(120, 240) * rng.choice([-1, 1])
            planned_minute = int(centre + offset) % 1440
        elif rng.random() < 0.5:
            planned_minute = int(centre + rng.uniform(-30, 30)) % 1440
        else:
            planned_minute = None
        if planned_minute is not None:
            planned = time(planned_minute // 60, planned_minute % 60)
        index = b.add(_steady(rng, days, steady_p()), _anchored_times(rng, days, centre, rng.uniform(8, 25)), planned=planned)
        b.label(index, k.TIME_ANCHOR)
        if group == k.PLANNED_TIME_MISMATCH:
            b.label(index, k.PLANNED_TIME_MISMATCH)
        b.chronotype = _consistent_chronotype(rng, centre)
    elif group == k.TIME_DRIFT:
        per_day = rng.uniform(45, 90) / 7 * rng.choice([-1, 1])
        total = per_day * (min(days, 56) - 1)
        start_minute = rng.uniform(8 * 60, 20 * 60 - total) if total > 0 else rng.uniform(8 * 60 - total, 20 * 60)
        recent = np.arange(days) - max(0, days - 56)
        times = start_minute + per_day * np.clip(recent, 0, None) + rng.normal(0, 20, days)
        odd = rng.random(days) < 0.05
        times[odd] = rng.uniform(DAY_START, DAY_END, odd.sum())
        index = b.add(_steady(rng, days, steady_p()), times)
        b.label(index, k.TIME_DRIFT)
        b.chronotype = "intermediate"
    elif group == k.WEEKDAY_GAP:
        if b.realistic:
            gap = sorted(int(day) for day in rng.choice(7, size=int(rng.integers(1, 4)), replace=False))
        else:
            gap = [5, 6] if rng.random() < 0.3 else [int(rng.integers(7))]
        index = b.add(_weekday_gap(rng, days, b.weekday, gap), _spread_times(rng, days), keep_days=gap)
        b.label(index, k.WEEKDAY_GAP)
    elif group in (k.DECLINING_TREND, k.IMPROVING_TREND):
        high, low = rng.uniform(0.8, 0.95), rng.uniform(0.1, 0.3)
        before, after = (high, low) if group == k.DECLINING_TREND else (low, high)
        window = min(days, 28)  # the change happens within the last four weeks, on any day of them
        change = days - int(rng.integers(MIN_SIDE_DAYS, window - MIN_SIDE_DAYS + 1)) if b.realistic else None
        index = b.add(_trend(rng, days, before, after, change), _spread_times(rng, days))
        b.label(index, group)
    elif group == k.DOUBLE_MISS:
        index = b.add(_markov(rng, days, rng.uniform(0.08, 0.15), rng.uniform(0.6, 0.8)), _spread_times(rng, days))
        b.label(index, k.DOUBLE_MISS)
    elif group == k.CHRONOTYPE_MISMATCH:
        b.chronotype = "morning" if rng.random() < 0.5 else "evening"
        window = EVENING_WINDOW if b.chronotype == "morning" else MORNING_WINDOW
        for _ in range(int(rng.integers(1, 4))):
            b.add(_steady(rng, days, steady_p()), _window_times(rng, days, window))
        b.label(None, k.CHRONOTYPE_MISMATCH)
        return
    elif group == k.MAIN_HABIT_LAGGING:
        index = b.add(_steady(rng, days, rng.uniform(0.2, 0.4)), _spread_times(rng, days), is_main=True)
        b.label(index, k.MAIN_HABIT_LAGGING)
        b.background(int(rng.integers(2, 4)), p=rng.uniform(0.8, 0.95))
        return
    elif group == k.STRONG_HABIT:
        b.add(_steady(rng, days, rng.uniform(0.93, 1.0)), _spread_times(rng, days))
    elif group == k.STRUGGLING_HABIT:
        b.add(_steady(rng, days, rng.uniform(0.1, 0.3)), _spread_times(rng, days))
    elif group == k.OVERLOAD:
        b.background(int(rng.integers(5, 9)), p=rng.uniform(0.2, 0.45))
        return
    elif group == k.GOAL_GAP:
        b.background(int(rng.integers(1, 3)))
        return
    b.background(int(rng.integers(0, 3)))


def _consistent_chronotype(rng, centre):
    """A chronotype the anchored time does not contradict, so no mismatch is planted by accident."""
    options = ["intermediate"]
    if centre < 17 * 60:
        options.append("morning")
    if centre >= 12 * 60:
        options.append("evening")
    return options[int(rng.integers(len(options)))]


def _goals(b: _Builder) -> tuple[str, ...]:
    """Goals the habits serve; a goal-gap user also names one goal none of their habits serves."""
    rng = b.rng
    served = list(dict.fromkeys(h.area for h in b.habits))
    goals = [served[i] for i in rng.permutation(len(served))[: int(rng.integers(1, 3))]] if served else []
    if b.group == k.GOAL_GAP:
        missing = [g for g in k.GOALS if g not in served]
        goal = missing[int(rng.integers(len(missing)))]
        goals.append(goal)
        b.labels.add((None, f"{k.GOAL_GAP}:{goal}"))
    return tuple(goals)


def _through_the_clock(day: int, minute: float, zone: str) -> tuple[int, float]:
    """A local check-in stored as an instant with its UTC offset and read back the way the database path reads it."""
    instant = local_instant(date.fromordinal(day), time(int(minute) // 60, int(minute) % 60), zone)
    local = instant + timedelta(minutes=utc_offset_minutes(instant, zone))
    return local.date().toordinal(), local.hour * 60 + local.minute


def generate_user(rng: np.random.Generator, group: str, days: int, user_id: str, realistic: bool = False) -> SyntheticUser:
    b = _Builder(rng, days, group, user_id, realistic)
    _plant(b)
    goals = _goals(b)
    habits, ids, day_rows, minute_rows, value_rows = [], [], [], [], []
    for index, h in enumerate(b.habits):
        habit_id = b.habit_id(index)
        habits.append(HabitInput(
            id=habit_id, name=h.name, start=b.start, planned_time=h.planned, is_main=h.is_main,
            area=h.area if rng.random() < 0.5 else None, schedule=h.schedule,
            kind="measurable" if h.target is not None else "boolean", target=h.target,
        ))
        logged = h.done if h.values is None else ~np.isnan(h.values)
        logged_days = np.flatnonzero(logged)
        day_column = logged_days + b.start.toordinal()
        minute_column = h.minutes[logged_days].astype(float)
        if b.zone:
            moved = [_through_the_clock(int(d), m, b.zone) for d, m in zip(day_column, minute_column)]
            day_column = np.array([d for d, _ in moved], dtype=np.int64)
            minute_column = np.array([m for _, m in moved], dtype=float)
        ids.append(np.full(len(logged_days), habit_id, dtype=object))
        day_rows.append(day_column)
        minute_rows.append(minute_column)
        value_rows.append(h.values[logged_days] if h.values is not None else np.full(len(logged_days), np.nan))
    checkins = CheckinArrays(
        habit_id=np.concatenate(ids) if ids else np.array([], dtype=object),
        day=np.concatenate(day_rows).astype(np.int64) if day_rows else np.array([], dtype=np.int64),
        minutes=np.concatenate(minute_rows).astype(float) if minute_rows else np.array([]),
        value=np.concatenate(value_rows).astype(float) if value_rows else np.array([]),
    )
    profile = ProfileInput(
        goals=goals,
        main_habit=next((h.name for h in b.habits if h.is_main), ""),
        obstacle=("time", "motivation", "forgetting", "energy", "restarting", "other")[int(rng.integers(6))],
        chronotype=b.chronotype or ("morning", "intermediate", "evening")[int(rng.integers(3))],
        tone="gentle" if rng.random() < 0.5 else "direct",
    )
    user = SyntheticUser(user_id, group, b.today, habits, profile, checkins, b.labels)
    _label_from_data(user, b)
    return user


def _label_from_data(user: SyntheticUser, b: _Builder):
    """Strong, struggling and overload are facts about the numbers: label them from the data generated."""
    today = user.today
    pooled_due = pooled_done = counted = 0
    for index, h in enumerate(b.habits):
        measure = Measure(h.target) if h.target is not None else None
        amounts = {} if h.values is None else {
            b.start + timedelta(days=int(d)): float(h.values[d]) for d in np.flatnonzero(~np.isnan(h.values))
        }
        history = HabitHistory(
            schedule=h.schedule, start=b.start,
            done=frozenset(b.start + timedelta(days=int(d)) for d in np.flatnonzero(h.done)),
            amounts=amounts, measure=measure,
        )
        habit_id = b.habit_id(index)
        if stats.strength(history, today) >= 80:
            user.labels.add((habit_id, k.STRONG_HABIT))
        rate = stats.completion_rate(history, today, 30)
        due = sum(1 for d in range(max(0, b.days - 30), b.days) if h.schedule.is_flexible or b.weekday[d] in (h.schedule.weekdays or range(7)))
        if rate is not None and due >= 7:
            if rate < 0.4:
                user.labels.add((habit_id, k.STRUGGLING_HABIT))
            counted += 1
            pooled_due += 1
            pooled_done += rate
    if counted >= 5 and pooled_done / pooled_due < 0.5:
        user.labels.add((None, k.OVERLOAD))


def generate_cohort(days: int = 28, users_per_group: int = 200, no_pattern_users: int = 1000, seed: int = 7,
                    groups: tuple[str, ...] = PLANTED_GROUPS, realistic: bool = False) -> list[SyntheticUser]:
    rng = np.random.default_rng(seed)
    plan = [group for group in groups for _ in range(users_per_group)] + [NO_PATTERN] * no_pattern_users
    return [generate_user(rng, group, days, f"u{number}", realistic) for number, group in enumerate(plan)]


def csv_rows(users: list[SyntheticUser], offset_minutes: int = 0):
    """(user, habit, completed_at) rows with ISO 8601 times at a fixed UTC offset, for the CSV command."""
    sign = "+" if offset_minutes >= 0 else "-"
    suffix = f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    names = {}
    for user in users:
        names.update({h.id: h.name for h in user.habits})
        for habit_id, day, minute in zip(user.checkins.habit_id, user.checkins.day, user.checkins.minutes):
            stamp = date.fromordinal(int(day)).isoformat()
            yield user.user_id, names[habit_id], f"{stamp}T{int(minute) // 60:02d}:{int(minute) % 60:02d}:00{suffix}"
