"""From findings, numbers and answers to exactly five things to do, and the strengths and challenges lists.

A recommendation is an action (what to do next, naming the habit and the time, weekday or
number) and a reason quoting the person's own data or words. The top 5 is filled in two tiers:

1. advice from findings, ranked by impact x effect x confidence x obstacle boost x the person's
   feedback weight (all from the kinds registry), one per family first, at most two per habit,
   and a goal nothing serves always keeps a place;
2. then advice grounded in the person's own numbers and answers, in a fixed order: the main
   habit's rate against the 80% mark, the next strength milestone, the strongest habit to stack
   a new one on, the weekly target, the obstacle, the success factor, the chronotype, the
   reason for starting now, the streak, skip and the weekly self-check.

Every advice has an action key (what is done to what); two advice with one key are one advice,
so the five are five different actions. Tier 2 always has enough for someone with one habit,
which is why the cap of two per habit is lifted only when nothing else is left to say.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from habits import stats
from habits.schedule import HabitHistory, period_of, period_tally

from . import kinds
from .detectors import EVENING_FROM, EVENING_UNTIL, MORNING_FROM, MORNING_UNTIL, Finding
from .inputs import HabitInput, ProfileInput
from .results import HabitSummary, Recommendation
from .wording import count, percent

TOP = 5
MAX_PER_HABIT = 2
DOING_WELL = 0.8            # share of what a habit asked in 30 days from which it is going well, not a fix
STRENGTH_MILESTONES = (25, 50, 80, 90)
MILESTONE_HORIZON = 60      # days ahead a milestone is still worth naming
GROUNDED_SCORE = 0.0        # grounded advice ranks after every finding, in its own fixed order

GENTLE_OPENINGS = ("You could ", "Try to ", "It may help to ")
OBSTACLE_NAMES = {
    "time": "finding time",
    "motivation": "motivation",
    "forgetting": "forgetting",
    "energy": "low energy",
    "restarting": "getting back after a missed day",
}


@dataclass
class Advice:
    action: str
    reason: str
    habit: HabitInput | None
    based_on: list[str]
    score: float
    action_key: tuple
    family: str = field(default="")


@dataclass
class Context:
    profile: ProfileInput
    summaries: dict             # habit id -> HabitSummary
    habits: dict                # habit id -> HabitInput
    histories: dict             # habit id -> habits.schedule.HabitHistory
    checkpoints: dict           # habit id -> habits.stats.Checkpoint at the end of yesterday (or None)
    habit_times: dict           # habit id -> "HH:MM" the habit is steadily done at
    anchors: dict               # habit id -> time_anchor Finding
    today: date
    main: HabitInput | None = None
    usual_times: dict = field(default_factory=dict)   # habit id -> "HH:MM", middle of its check-in times

    def doing_well(self, habit: HabitInput) -> bool:
        rate = self.summaries[habit.id].completion_rate_30d if habit.id in self.summaries else None
        return rate is not None and rate >= DOING_WELL

    def stack_anchor(self, habit: HabitInput | None, not_before: str = "00:00") -> tuple[HabitInput, str] | None:
        """The most reliable steady time of another habit, to hang a new or weak one on; none
        earlier than `not_before` ("HH:MM") for a habit that belongs later in the day."""
        for anchor in sorted(self.anchors.values(), key=lambda f: -f.confidence):
            if (habit is None or anchor.habit.id != habit.id) and anchor.evidence["typical_time"] >= not_before:
                return anchor.habit, anchor.evidence["typical_time"]
        return None

    def rated(self) -> list[HabitSummary]:
        return [s for s in self.summaries.values() if s.completion_rate_30d is not None]

    def strongest(self) -> HabitInput | None:
        best = max(self.rated(), key=lambda s: (s.strength, s.completion_rate_30d), default=None)
        return self.habits[best.habit_id] if best else None

    def weakest(self, number: int) -> list[HabitInput]:
        """The lowest-rated habits that are not going well (period-aware rates)."""
        low = [s for s in self.rated() if s.completion_rate_30d < DOING_WELL]
        return [self.habits[s.habit_id] for s in sorted(low, key=lambda s: (s.completion_rate_30d, s.strength))[:number]]


def compose(advice: Advice, tone: str, position: int) -> str:
    if tone == "gentle":
        opening = GENTLE_OPENINGS[position % len(GENTLE_OPENINGS)]
        return f"{opening}{advice.action[0].lower()}{advice.action[1:]}. {advice.reason}"
    return f"{advice.action}. {advice.reason}"


def score(code: str, confidence: float, effect: float, profile: ProfileInput, weights: dict) -> float:
    entry = kinds.kind(code)
    return entry.impact * (0.6 + 0.4 * effect) * confidence * entry.boost(profile.obstacle) * weights.get(code, 1.0)


def from_findings(findings: list[Finding], ctx: Context, weights: dict) -> list[Advice]:
    advice = []
    for finding in findings:
        entry = kinds.kind(finding.kind)
        habit = finding.habit
        made = entry.advice(kinds.Said(finding.evidence, habit.name if habit else "", habit), ctx)
        if made is None:
            continue
        based_on = [finding.kind, *(k for k in made.also_based_on if k != finding.kind)]
        advice.append(Advice(made.action, made.reason, habit, based_on,
                             score(finding.kind, finding.confidence, entry.effect(finding.evidence), ctx.profile, weights),
                             made.action_key, entry.family))
    return advice


# --- advice from the person's own numbers and answers ----------------------------------------------------

def part_of_day(minute: int) -> str:
    """The chronotype's ends of the day, as the chronotype detector draws them."""
    if MORNING_FROM <= minute < MORNING_UNTIL:
        return "morning"
    if minute >= EVENING_FROM or minute < EVENING_UNTIL:
        return "evening"
    return "afternoon"


def fits_chronotype(clock: str | None, chronotype: str | None) -> bool:
    """A clock time advice may name: any time for someone without a morning/evening chronotype."""
    if clock is None or chronotype not in ("morning", "evening"):
        return True
    hours, minutes = map(int, clock.split(":"))
    return part_of_day(hours * 60 + minutes) in (chronotype, "afternoon")


def _planned(habit: HabitInput | None) -> str | None:
    return habit.planned_time.strftime("%H:%M") if habit and habit.planned_time else None


def _usual(ctx: Context, habit: HabitInput | None) -> str | None:
    if habit is None:
        return None
    return ctx.habit_times.get(habit.id) or ctx.usual_times.get(habit.id)


def _main_time(ctx: Context) -> tuple[str, str] | None:
    """(time, what it is) to name for the main habit: its planned time, else when it is usually done; only if it
    fits the chronotype."""
    planned = _planned(ctx.main) or ctx.profile.main_habit_time
    time, said = (planned, "your planned time") if planned else (_usual(ctx, ctx.main), "when you usually do it")
    return (time, said) if time and fits_chronotype(time, ctx.profile.chronotype) else None


def _rate_words(habit: HabitInput) -> str:
    return "of what it asked" if habit.schedule.is_flexible else "of due days"


def _rate_goal(ctx: Context, habit: HabitInput) -> tuple | None:
    summary = ctx.summaries[habit.id]
    rate = summary.completion_rate_30d
    if rate is None:
        return None
    main = " (your main habit)" if ctx.main is not None and habit.id == ctx.main.id else ""
    window = "In the last 30 days" if summary.rate_days >= 30 else f"In its first {summary.rate_days} days"
    reason = f"{window} you did {habit.name}{main} on {percent(rate)} {_rate_words(habit)}."
    if rate >= DOING_WELL:
        return (f"Keep {habit.name} at {percent(DOING_WELL)} or more: when a day can't happen, a short version still "
                f"counts", reason, ("keep_rate", habit.id))
    return (f"Bring {habit.name} from {percent(rate)} to {percent(DOING_WELL)}: choose the days for it this week and put "
            f"them in your calendar", reason, ("raise_rate", habit.id))


def _days_to(history: HabitHistory, today: date, target: int, since) -> int | None:
    """Scheduled days in a row from tomorrow that take strength to `target`, if within the horizon.

    Folds forward from `since` (yesterday's checkpoint), so the look ahead costs the horizon, not the history."""
    last = today + timedelta(days=MILESTONE_HORIZON)
    future = frozenset(d for d in (today + timedelta(days=n) for n in range(1, MILESTONE_HORIZON + 1))
                       if history.schedule.kind == "daily" or d.weekday() in history.schedule.weekdays)
    ahead = HabitHistory(schedule=history.schedule, start=history.start, done=history.done | future,
                         skipped=history.skipped, paused=history.paused)
    days = 0
    for day, value in stats.fold(ahead, last, since=since).strength_series:
        if day <= today:
            continue
        days += day in future
        if round(value * 100) >= target:
            return days
    return None


def _milestone(ctx: Context, habit: HabitInput) -> tuple[int, tuple] | None:
    """(days needed, advice) for the habit's next strength milestone."""
    history = ctx.histories.get(habit.id)
    if history is None or habit.schedule.is_flexible or history.measure is not None:
        return None
    strength = ctx.summaries[habit.id].strength
    target = next((m for m in STRENGTH_MILESTONES if m > strength), None)
    if target is None:
        return None
    days = _days_to(history, ctx.today, target, ctx.checkpoints.get(habit.id))
    if days is None:
        return None
    unit = "day" if habit.schedule.kind == "daily" else "scheduled day"
    when = f"on its next {unit}" if days == 1 else f"on each of the next {count(days, unit)}"
    return days, (f"Do {habit.name} {when}: that takes its strength past {target}",
                  f"Its strength is {strength} of 100 today.", ("milestone", habit.id))


def _closest_milestone(ctx: Context) -> tuple | None:
    made = [m for habit in ctx.habits.values() if (m := _milestone(ctx, habit))]
    return min(made, key=lambda m: m[0])[1] if made else None


def _stack_on_strongest(ctx: Context) -> tuple | None:
    strongest = ctx.strongest()
    if strongest is None:
        return None
    summary = ctx.summaries[strongest.id]
    time = _usual(ctx, strongest)
    when = f", usually around {time}" if time else ""
    return (f"Stack your next new habit right after {strongest.name}",
            f"{strongest.name} is your strongest habit: strength {summary.strength} of 100, "
            f"{percent(summary.completion_rate_30d)} {_rate_words(strongest)} in the last 30 days{when}.",
            ("stack_new", None, strongest.id))   # about the next habit: it takes no place of the strongest one


def _weekly_target(ctx: Context, habit: HabitInput) -> tuple | None:
    history = ctx.histories.get(habit.id)
    if history is None or not habit.schedule.is_flexible or history.measure is not None:
        return None
    first, last = period_of(habit.schedule, ctx.today, habit.start)
    tally = period_tally(history, first, last)
    left = max(0, tally.needed - tally.done)
    unit = habit.schedule.period_unit
    this = f"this {unit}" if unit in ("week", "month") else "this period"
    reason = f"{habit.name} asks for {habit.schedule.times} {this}; you've done {tally.done} so far, with {count((last - ctx.today).days + 1, 'day')} left."
    if left == 0:
        return (f"Enjoy the rest of {this} for {habit.name}: its target is met, anything more is a bonus", reason,
                ("period_target", habit.id))
    return (f"Put the remaining {left} of {habit.name} for {this} in your calendar now", reason, ("period_target", habit.id))


def _streak(ctx: Context, habit: HabitInput) -> tuple | None:
    summary = ctx.summaries[habit.id]
    unit = habit.schedule.streak_unit
    if summary.best_streak == 0:
        return None
    if summary.current_streak >= summary.best_streak:
        return (f"Check {habit.name} in on its habit page every time you do it: each one sets a new record",
                f"Your streak is {habit.schedule.streak_words(summary.current_streak)}, your best ever.", ("streak", habit.id))
    to_go = summary.best_streak - summary.current_streak + 1
    return (f"Go for a new best streak on {habit.name}: {count(to_go, unit)} more in a row beats it",
            f"Your streak is {habit.schedule.streak_words(summary.current_streak)}; your best is {habit.schedule.streak_words(summary.best_streak)}.",
            ("streak", habit.id))


def _skip(ctx: Context, habit: HabitInput) -> tuple | None:
    history = ctx.histories.get(habit.id)
    rate = ctx.summaries[habit.id].completion_rate_30d
    if history is None or rate is None or rate >= 1 or habit.schedule.is_flexible:
        return None
    since = ctx.today - timedelta(days=29)
    skipped = sum(1 for d in history.skipped if since <= d <= ctx.today)
    return (f"Tap Skip on Today when {habit.name} truly can't happen (travel, illness), so it doesn't count as a miss",
            f"You did it on {percent(rate)} of due days in the last 30 and skipped {count(skipped, 'day')}.",
            ("skip", habit.id))


def _self_check(ctx: Context, habit: HabitInput, days_of_data: int) -> tuple:
    days = (ctx.today - habit.start).days + 1
    return (f"Answer the weekly self-check on the habit page of {habit.name}: after three it shows when it should feel "
            f"automatic", f"You're on day {days} of {habit.name}.", ("self_check", habit.id))


def _obstacle(ctx: Context) -> tuple | None:
    profile, main = ctx.profile, ctx.main
    name = main.name if main else (profile.main_habit or "your main habit")
    obstacle = profile.obstacle
    if obstacle not in OBSTACLE_NAMES:
        if profile.obstacle_other:
            return (f"Decide now what you'll do about it on the day it happens, and write it on the habit page of {name}",
                    f"You told us what gets in the way: “{profile.obstacle_other}”.", ("obstacle",))
        return None
    told = f"You told us {OBSTACLE_NAMES[obstacle]} is what gets in the way"
    if obstacle == "forgetting":
        if timed := _main_time(ctx):
            return (f"Set a daily phone alarm for {name} at {timed[0]}", f"{told}; {timed[0]} is {timed[1]}.",
                    ("alarm", main.id if main else None))
        return (f"Pick something you already do every day and do {name} right after it",
                f"{told}, and a fixed cue works better than remembering.", ("cue", main.id if main else None))
    if obstacle == "time":
        return (f"Decide on a two-minute version of {name} for busy days", f"{told}; a tiny version still counts.",
                ("shrink", main.id if main else None))
    if obstacle == "restarting":
        return (f"Decide now what you'll do the day after a miss: the smallest version of {name}",
                f"{told}; never missing twice keeps a habit alive.", ("after_miss", main.id if main else None))
    if obstacle == "motivation":
        return (f"Check in {name} right after you do it and watch your streak grow on Today",
                f"{told}; seeing progress is its own reward.", ("see_progress", main.id if main else None))
    when = {"morning": "the morning", "evening": "the evening"}.get(profile.chronotype or "", "the time you feel most awake")
    return (f"Do {name} in {when}, before your energy runs low", f"{told}.", ("energy_slot", main.id if main else None))


def _success_factor(ctx: Context) -> tuple | None:
    if not ctx.profile.success_factor:
        return None
    return ("Put a calendar entry on Sunday evenings to check your week against what success means to you",
            f"You told us the next 30 days are a success if: “{ctx.profile.success_factor}”.", ("success_check",))


def _why_now(ctx: Context) -> tuple | None:
    if not ctx.profile.why_now:
        return None
    name = ctx.main.name if ctx.main else (ctx.profile.main_habit or "your habits")
    return (f"Keep your reason where you'll see it on a hard day, e.g. a note next to where you do {name}",
            f"You told us why now: “{ctx.profile.why_now}”.", ("why_now",))


def _chronotype(ctx: Context) -> tuple | None:
    chronotype = ctx.profile.chronotype
    if chronotype not in ("morning", "evening"):
        return None
    main = ctx.main
    name = main.name if main else (ctx.profile.main_habit or "your main habit")
    person = "a morning" if chronotype == "morning" else "an evening"
    planned = _planned(main) or ctx.profile.main_habit_time
    if planned and not fits_chronotype(planned, chronotype):
        return (f"Try {name} in the {chronotype} for a week instead of at {planned}, then keep whichever was easier",
                f"You told us you're {person} person, and {planned} is in the "
                f"{part_of_day(int(planned[:2]) * 60 + int(planned[3:]))}.", ("part_of_day", main.id if main else None))
    slot = f", at {planned} as you planned" if planned else ""
    return (f"Give {name} a fixed slot in the {chronotype}{slot}", f"You told us you're {person} person.",
            ("part_of_day", main.id if main else None))


def _usual_time_alarm(ctx: Context, habit: HabitInput) -> tuple | None:
    time = _usual(ctx, habit)
    if time is None or _planned(habit) or not fits_chronotype(time, ctx.profile.chronotype):
        return None
    return (f"Set a daily phone alarm for {habit.name} at {time}, when you usually do it",
            f"The middle of your check-ins of {habit.name} is {time}.", ("alarm", habit.id))


def _progress(ctx: Context, days_of_data: int, check_ins: int, activation_day: int, activation_check_ins: int) -> tuple:
    name = ctx.main.name if ctx.main else (ctx.profile.main_habit or "your habits")
    so_far = f"you're on day {days_of_data} with {count(check_ins, 'check-in')}" if check_ins else "you haven't checked in yet"
    return (f"Check in {name} every day it happens",
            f"From day {activation_day} and {activation_check_ins} check-ins, Cadence coaches you from your own patterns; "
            f"{so_far}.", ("check_in", ctx.main.id if ctx.main else None))


def grounded(ctx: Context, *, active: bool, days_of_data: int, check_ins: int, goal_findings: list[Finding],
             activation: tuple[int, int]) -> list[Advice]:
    """Advice from the person's own numbers and answers, best first. Claims no pattern."""
    habits = list(ctx.habits.values())
    main_first = sorted(habits, key=lambda h: ctx.main is None or h.id != ctx.main.id)
    numbers, answers = [], []
    if active:
        numbers += [_rate_goal(ctx, h) for h in main_first[:1]]
        numbers += [_closest_milestone(ctx), _stack_on_strongest(ctx)]
        targets = [t for h in main_first if (t := _weekly_target(ctx, h))]
        numbers += sorted(targets, key=lambda t: t[0].startswith("Enjoy"))[:1]
    else:
        answers.append(_progress(ctx, days_of_data, check_ins, *activation))
    answers += [_obstacle(ctx), _success_factor(ctx), _chronotype(ctx), _why_now(ctx)]
    if active:
        later = [f(ctx, h) for f in (_usual_time_alarm, _streak, _skip) for h in main_first]
        later += [_rate_goal(ctx, h) for h in main_first[1:]]
        later += [_self_check(ctx, h, days_of_data) for h in main_first]
    else:
        later = [_self_check(ctx, h, days_of_data) for h in main_first]
    advice = []
    for kind, made in [*((kinds.OWN_NUMBERS, m) for m in numbers), *((kinds.STARTER, m) for m in answers),
                       *((kinds.OWN_NUMBERS, m) for m in later)]:
        if made is None:
            continue
        action, reason, key = made
        habit_id = key[1] if len(key) > 1 else None
        advice.append(Advice(action, reason, ctx.habits.get(habit_id), [kind], GROUNDED_SCORE, key,
                             kinds.kind(kind).family))
    if not active:
        for finding in goal_findings:
            made = kinds.kind(kinds.GOAL_GAP).advice(kinds.Said(finding.evidence), ctx)
            advice.insert(1, Advice(made.action, made.reason, None, [kinds.GOAL_GAP], GROUNDED_SCORE, made.action_key,
                                    "goal"))
    return advice


# --- the five ------------------------------------------------------------------------------------------

def _habit_id(item: Advice):
    return item.habit.id if item.habit else None


def _merge(advice: list[Advice]) -> list[Advice]:
    """One advice per action: a later one with the same key adds its kinds to the first."""
    merged: dict[tuple, Advice] = {}
    for item in advice:
        kept = merged.setdefault(item.action_key, item)
        if kept is not item:
            kept.based_on += [k for k in item.based_on if k not in kept.based_on]
    return list(merged.values())


def _fold_steady_times(advice: list[Advice]) -> list[Advice]:
    """A steady time backs up other advice for the same habit (which already quotes that time) rather than
    being a second item about the same habit and the same time."""
    kept = []
    for item in advice:
        others = [a for a in advice if a is not item and a.habit is not None and _habit_id(a) == _habit_id(item)
                  and a.based_on[0] != kinds.TIME_ANCHOR]
        if item.based_on[0] == kinds.TIME_ANCHOR and others:
            target = max(others, key=lambda a: a.score)
            if kinds.TIME_ANCHOR not in target.based_on:
                target.based_on.append(kinds.TIME_ANCHOR)
        else:
            kept.append(item)
    return kept


def _fits(item: Advice, chosen: list[Advice], cap: bool) -> bool:
    if any(item is c for c in chosen):
        return False
    habit_id = _habit_id(item)
    return not (cap and habit_id is not None and sum(_habit_id(c) == habit_id for c in chosen) >= MAX_PER_HABIT)


def top_five(from_data: list[Advice], from_numbers_and_answers: list[Advice]) -> list[Advice]:
    """Findings first (ranked, one per family while families last, a goal gap kept), then grounded advice in
    its own order; at most two per habit unless nothing else is left; five whenever five actions exist."""
    ranked = _merge(sorted(_fold_steady_times(from_data), key=lambda a: -a.score))
    chosen: list[Advice] = []
    for new_family_only in (True, False):
        for item in ranked:
            if len(chosen) < TOP and _fits(item, chosen, cap=True) and not (
                    new_family_only and item.family in {c.family for c in chosen}):
                chosen.append(item)
    goal = next((item for item in ranked if item.family == "goal"), None)
    if goal is not None and not any(goal is c for c in chosen):
        chosen = chosen[: TOP - 1] + [goal]
    keys = {c.action_key for c in chosen}
    rest = [item for item in _merge(from_numbers_and_answers) if item.action_key not in keys]
    for cap, new_action_only in ((True, True), (True, False), (False, False)):
        for item in rest:
            if len(chosen) < TOP and _fits(item, chosen, cap) and not (
                    new_action_only and item.action_key[0] in {c.action_key[0] for c in chosen}):
                chosen.append(item)
    return chosen


def to_recommendations(advice: list[Advice], tone: str) -> list[Recommendation]:
    return [
        Recommendation(
            rank=position + 1,
            text=compose(item, tone, position),
            habit_id=item.habit.id if item.habit else None,
            habit_name=item.habit.name if item.habit else None,
            based_on=item.based_on,
        )
        for position, item in enumerate(advice)
    ]


# --- strengths and challenges ----------------------------------------------------------------------------

def standing(insights, notes) -> tuple[list[str], list[str]]:
    """"What's working" and "Where it's hard": one line per habit, for one reason.

    `insights` are anything with kind, habit_id, habit_name, confidence and evidence (the core's
    insights, or the stored ones a person may see); `notes` are (habit_id, text) strengths from plain
    numbers. A habit with a challenge is not also listed as a strength; its strongest reason is the
    one shown (impact x confidence, from the registry).
    """
    lines = {kinds.STRENGTH: {}, kinds.CHALLENGE: {}}
    order = sorted(insights, key=lambda i: -kinds.kind(i.kind).impact * i.confidence)
    for insight in order:
        entry = kinds.kind(insight.kind)
        if entry.side is None:
            continue
        key = insight.habit_id if insight.habit_id is not None else ("kind", insight.kind, len(lines[entry.side]))
        said = kinds.Said(insight.evidence, insight.habit_name or "")
        lines[entry.side].setdefault(key, entry.standing(said))
    challenged = set(lines[kinds.CHALLENGE])
    strengths = {key: text for key, text in lines[kinds.STRENGTH].items() if key not in challenged}
    for habit_id, text in notes:
        if habit_id not in challenged and habit_id not in strengths:
            strengths[habit_id] = text
    return list(strengths.values())[:TOP], list(lines[kinds.CHALLENGE].values())[:TOP]


def streak_notes(summaries: list[HabitSummary], habits: dict) -> list[tuple]:
    """Best streaks of a week or more, longest first: strengths that need no insight."""
    return [
        (s.habit_id, f"{s.name}: best streak {habits[s.habit_id].schedule.streak_words(s.best_streak)}")
        for s in sorted(summaries, key=lambda s: -s.best_streak) if s.best_streak >= 7
    ]
