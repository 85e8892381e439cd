"""From findings to a ranked top 5 of things to do, and the short strengths and challenges lists.

A recommendation is an action (what to do next, naming the habit and the time, weekday or
number) and a reason quoting the person's own data. Ranking is expected impact x confidence x
the person's feedback weight for the kind. The top 5 is a spread, not five variations on one
idea: one item per family of kinds while other families have something to say, at most two per
habit, and a goal nothing serves yet always gets a place. A habit that is going well is a
strength (listed under strengths), not something to fix.
"""

from dataclasses import dataclass, field

from . import kinds
from .detectors import Finding
from .inputs import HabitInput, ProfileInput
from .results import HabitSummary, Recommendation
from .wording import direction, minutes_phrase, percent, streak_phrase, weekday_phrase

TOP = 5
MAX_PER_HABIT = 2
DOING_WELL = 0.8            # 30-day completion rate from which a habit's steady time is a strength, not a fix

IMPACT = {
    kinds.WEEKDAY_GAP: 0.9,
    kinds.DECLINING_TREND: 0.9,
    kinds.DOUBLE_MISS: 0.85,
    kinds.MAIN_HABIT_LAGGING: 0.85,
    kinds.OVERLOAD: 0.8,
    kinds.STRUGGLING_HABIT: 0.8,
    kinds.PLANNED_TIME_MISMATCH: 0.7,
    kinds.TIME_DRIFT: 0.65,
    kinds.CHRONOTYPE_MISMATCH: 0.55,
    kinds.GOAL_GAP: 0.45,
    kinds.TIME_ANCHOR: 0.4,
    kinds.IMPROVING_TREND: 0.35,
    kinds.STRONG_HABIT: 0.3,
    kinds.STARTER: 0.2,
}

# What each obstacle makes more useful: forgetting wants cues and fixed times, time wants smaller
# habits on hard days, restarting wants a plan for the day after a miss.
OBSTACLE_BOOST = {
    "forgetting": {kinds.TIME_ANCHOR: 1.4, kinds.PLANNED_TIME_MISMATCH: 1.25, kinds.TIME_DRIFT: 1.25},
    "time": {kinds.WEEKDAY_GAP: 1.2, kinds.OVERLOAD: 1.25, kinds.STRUGGLING_HABIT: 1.15},
    "restarting": {kinds.DOUBLE_MISS: 1.3, kinds.DECLINING_TREND: 1.2},
    "motivation": {kinds.IMPROVING_TREND: 1.4, kinds.STRONG_HABIT: 1.3, kinds.MAIN_HABIT_LAGGING: 1.1},
    "energy": {kinds.CHRONOTYPE_MISMATCH: 1.4, kinds.PLANNED_TIME_MISMATCH: 1.2, kinds.OVERLOAD: 1.15},
}

FAMILY = {
    kinds.TIME_ANCHOR: "timing",
    kinds.TIME_DRIFT: "timing",
    kinds.PLANNED_TIME_MISMATCH: "timing",
    kinds.CHRONOTYPE_MISMATCH: "timing",
    kinds.WEEKDAY_GAP: "weekday",
    kinds.DOUBLE_MISS: "recovery",
    kinds.DECLINING_TREND: "momentum",
    kinds.STRUGGLING_HABIT: "momentum",
    kinds.MAIN_HABIT_LAGGING: "momentum",
    kinds.IMPROVING_TREND: "reinforce",
    kinds.STRONG_HABIT: "reinforce",
    kinds.OVERLOAD: "scope",
    kinds.GOAL_GAP: "goal",
    kinds.STARTER: "starter",
}

GENTLE_OPENINGS = ("You could ", "Try to ", "It may help to ")
# A first habit small enough to start tomorrow, for each goal.
GOAL_EXAMPLES = {
    "health": "a ten-minute walk",
    "learning": "reading five pages",
    "mindfulness": "two minutes of slow breathing",
    "productivity": "writing down tomorrow's top three tasks",
    "relationships": "one message to a friend",
    "creativity": "five minutes of sketching",
    "finances": "noting what you spent today",
    "sleep": "screens off 30 minutes before bed",
}
OBSTACLE_NAMES = {
    "time": "finding time",
    "motivation": "motivation",
    "forgetting": "forgetting",
    "energy": "low energy",
    "restarting": "getting back after a missed day",
}


@dataclass
class Advice:
    action: str                 # starts with a verb: "Plan Run for Saturdays the evening before"
    reason: str                 # a full sentence quoting the data (or the person's answers)
    habit: HabitInput | None
    based_on: list[str]
    score: float
    key: tuple = field(default=())


@dataclass
class Context:
    profile: ProfileInput
    summaries: dict             # habit id -> HabitSummary
    habit_times: dict           # habit id -> "HH:MM" the habit is actually (or else planned to be) done
    anchors: dict               # habit id -> time_anchor Finding
    weak: list                  # (habit, kind) of habits that need help, weakest first


def compose(advice: Advice, tone: str, position: int) -> str:
    if tone == "gentle":
        opening = GENTLE_OPENINGS[position % len(GENTLE_OPENINGS)]
        return f"{opening}{advice.action[0].lower()}{advice.action[1:]}. {advice.reason}"
    return f"{advice.action}. {advice.reason}"


def _at(time: str | None, prefix: str = " at ") -> str:
    return f"{prefix}{time}" if time else ""


def _effect(finding: Finding) -> float:
    """How much there is to win, 0..1, from the finding's own numbers."""
    e = finding.evidence
    if finding.kind == kinds.WEEKDAY_GAP:
        return e["other_rate"] - e["weekday_rate"]
    if finding.kind in (kinds.DECLINING_TREND, kinds.IMPROVING_TREND):
        return min(1.0, abs(e["rate_before"] - e["rate_after"]) / 0.6)
    if finding.kind == kinds.DOUBLE_MISS:
        return min(1.0, e["p_miss_after_miss"])
    if finding.kind == kinds.STRUGGLING_HABIT:
        return 1 - e["completion_rate_30d"]
    if finding.kind == kinds.MAIN_HABIT_LAGGING:
        return min(1.0, (e["others_rate"] - e["main_rate"]) / 0.5)
    if finding.kind == kinds.OVERLOAD:
        return 1 - e["overall_rate"]
    return 1.0


def score(kind: str, confidence: float, effect: float, profile: ProfileInput, weights: dict) -> float:
    boost = OBSTACLE_BOOST.get(profile.obstacle, {}).get(kind, 1.0)
    return IMPACT.get(kind, 0.3) * (0.6 + 0.4 * effect) * confidence * boost * weights.get(kind, 1.0)


def _advice_for(finding: Finding, ctx: Context) -> tuple[str, str, list[str]] | None:
    """(action, reason, extra based_on kinds) for one finding."""
    e, habit, obstacle = finding.evidence, finding.habit, ctx.profile.obstacle
    name = habit.name if habit else ""
    time = ctx.habit_times.get(habit.id) if habit else None
    timed = [kinds.TIME_ANCHOR] if time else []     # the time quoted is the habit's steady time
    kind = finding.kind
    if kind == kinds.WEEKDAY_GAP:
        days = weekday_phrase(e["weekdays"])
        reason = f"You did {name} on {percent(e['weekday_rate'])} of {days} and {percent(e['other_rate'])} of other days."
        if obstacle == "time":
            return f"Shrink {name} on {days} to a two-minute version{_at(time)} so those days still count", reason, timed
        if obstacle == "forgetting":
            return f"Set a reminder for {name} on {days}{_at(time)}", reason, timed
        if obstacle == "restarting":
            return f"Keep {days} small for {name}: a short version{_at(time)} beats a miss", reason, timed
        example = f", e.g. your usual {time}," if time else ""
        return f"Plan {name} for {days} the evening before: choose a time{example} and write it down", reason, timed
    if kind == kinds.DOUBLE_MISS:
        reason = (f"After a missed day you missed {name} again {percent(e['p_miss_after_miss'])} of the time, "
                  f"while you miss it on {percent(e['p_miss'])} of days overall.")
        if obstacle == "restarting":
            return (f"Use a never-miss-twice rule for {name}: the day after a miss, do the smallest version{_at(time)}",
                    reason, timed)
        return f"Make the day after a missed {name} non-negotiable, even if it's only two minutes", reason, []
    if kind == kinds.DECLINING_TREND:
        reason = f"{name} went from {percent(e['rate_before'])} of days to {percent(e['rate_after'])} recently."
        if obstacle == "time":
            return f"Cut {name} to a version that fits your busiest day and do that every day this week", reason, []
        if obstacle == "motivation":
            return f"Restart {name} with three days you pick now for this week, and tick them off", reason, []
        return f"Restart {name} tomorrow{_at(time)} with the smallest version you can't say no to", reason, timed
    if kind == kinds.STRUGGLING_HABIT:
        reason = f"You did {name} on {percent(e['completion_rate_30d'])} of due days in the last 30."
        anchor = _stack_anchor(ctx, habit)
        if anchor is not None and obstacle in ("forgetting", "time", "other", "energy"):
            anchor_habit, anchor_time = anchor
            return (f"Do {name} right after {anchor_habit.name} at {anchor_time}, in a two-minute version",
                    reason, [kinds.TIME_ANCHOR])
        return f"Shrink {name} to a two-minute version{_at(time)} until it sticks", reason, timed
    if kind == kinds.MAIN_HABIT_LAGGING:
        reason = (f"In the last 30 days you did it on {percent(e['main_rate'])} of due days, "
                  f"your other habits on {percent(e['others_rate'])}.")
        return (f"Put {name}, your main habit, first: do it before any other habit each day{_at(time, ', around ')}",
                reason, timed)
    if kind == kinds.OVERLOAD:
        weakest = [h.name for h, _ in ctx.weak[:2]] or _lowest(ctx, 2)
        keep = _strongest(ctx)
        reason = (f"You're tracking {e['habit_count']} habits and did them on {percent(e['overall_rate'])} "
                  f"of due days in the last 30.")
        pause = " and ".join(weakest)
        return f"Pause {pause} for two weeks and put that energy into {keep}", reason, []
    if kind == kinds.PLANNED_TIME_MISMATCH:
        gap = e["difference_minutes"]
        reason = (f"You planned {e['planned_time']} but usually do it around {e['typical_time']}, "
                  f"{minutes_phrase(gap)} {direction(gap)}.")
        extra = [kinds.TIME_ANCHOR] if habit.id in ctx.anchors else []
        if obstacle == "forgetting":
            return f"Move the planned time and reminder for {name} to {e['typical_time']}", reason, extra
        return (f"Move the planned time for {name} from {e['planned_time']} to {e['typical_time']}, "
                f"when you actually do it", reason, extra)
    if kind == kinds.TIME_DRIFT:
        later = direction(e["minutes_per_week"])
        reason = (f"It moved from about {e['from_time']} to {e['to_time']}, "
                  f"{minutes_phrase(e['minutes_per_week'])} {later} each week.")
        return f"Pin {name} to one fixed time, e.g. {e['from_time']}, before it slips out of your day", reason, []
    if kind == kinds.CHRONOTYPE_MISMATCH:
        morning = e["chronotype"] == "morning"
        reason = (f"You told us you're {'a morning' if morning else 'an evening'} person, but "
                  f"{percent(e['share_other_end'])} of your check-ins were {'after 17:00' if morning else 'before noon'}.")
        when = "the morning" if morning else "the evening"
        return (f"Move {e['habit_other_end']} to {when} for a week to see if it's easier, "
                f"or update your chronotype in your profile", reason, [])
    if kind == kinds.TIME_ANCHOR:
        rate = ctx.summaries[habit.id].completion_rate_30d if habit.id in ctx.summaries else None
        if rate is not None and rate >= DOING_WELL:
            return None
        reason = f"{percent(e['share_within_hour'])} of your check-ins came within an hour of {e['typical_time']}."
        if obstacle == "forgetting":
            return f"Set the reminder for {name} to {e['typical_time']}, the time you already keep", reason, []
        return f"Keep {name} at {e['typical_time']}: the same time every day is what makes it automatic", reason, []
    if kind == kinds.IMPROVING_TREND:
        reason = f"It went from {percent(e['rate_before'])} of days to {percent(e['rate_after'])} recently."
        return f"Write down what changed for {name} so you can keep doing it", reason, []
    if kind == kinds.STRONG_HABIT:
        reason = f"Strength {e['strength']}/100, best streak {streak_phrase(e['best_streak'], habit)}."
        return f"Protect {name}: on a hard day do a short version rather than skip it", reason, []
    if kind == kinds.GOAL_GAP:
        return goal_gap_advice(e["goal"], ctx.profile, _stack_anchor(ctx, None)), _goal_reason(e["goal"]), []
    return None


def goal_gap_advice(goal: str, profile: ProfileInput, anchor: tuple[HabitInput, str] | None = None) -> str:
    """A first habit for a goal nothing serves yet, small and shaped by what gets in the person's way."""
    label, example = kinds.GOAL_LABELS[goal], GOAL_EXAMPLES[goal]
    obstacle = profile.obstacle
    if obstacle == "time":
        return f"Add a two-minute {label} habit, such as {example}"
    action = f"Add a small {label} habit, such as {example}"
    if obstacle == "forgetting":
        if anchor is not None:
            return f"{action}, right after {anchor[0].name} at {anchor[1]}"
        return f"{action}, and set a reminder for it"
    if obstacle == "motivation":
        return f"{action}, and check it in right after so you see it add up"
    if obstacle == "restarting":
        return f"{action}, small enough to do even the day after a miss"
    if obstacle == "energy":
        when = {"morning": "in the morning", "evening": "in the evening"}.get(profile.chronotype or "",
                                                                            "when you feel most awake")
        return f"{action}, {when}"
    return action


def _goal_reason(goal: str) -> str:
    label = kinds.GOAL_LABELS[goal]
    return f"You chose {label} as a goal, and none of your habits serves it yet."


def _stack_anchor(ctx: Context, habit: HabitInput | None) -> tuple[HabitInput, str] | None:
    """The most reliable steady time of another habit, to hang a new or weak one on."""
    for anchor in sorted(ctx.anchors.values(), key=lambda f: -f.confidence):
        if habit is None or anchor.habit.id != habit.id:
            return anchor.habit, anchor.evidence["typical_time"]
    return None


def _lowest(ctx: Context, count: int) -> list[str]:
    rated = [s for s in ctx.summaries.values() if s.completion_rate_30d is not None]
    return [s.name for s in sorted(rated, key=lambda s: s.completion_rate_30d)[:count]]


def _strongest(ctx: Context) -> str:
    best = max(ctx.summaries.values(), key=lambda s: (s.strength, s.completion_rate_30d or 0), default=None)
    return best.name if best else "the rest"


def _key(finding: Finding) -> tuple:
    if finding.kind == kinds.GOAL_GAP:
        return ("goal", finding.evidence["goal"])
    return (finding.habit.id if finding.habit else None, FAMILY.get(finding.kind, finding.kind))


def _family(item: Advice) -> str:
    return FAMILY.get(item.based_on[0], item.based_on[0])


def _habit_id(item: Advice):
    return item.habit.id if item.habit else None


def _fold(kept: Advice, item: Advice):
    if item.based_on[0] not in kept.based_on:
        kept.based_on.append(item.based_on[0])


def rank(advice: list[Advice]) -> list[Advice]:
    """The top 5, best first and varied.

    A later advice with the same key adds its insight to the earlier one instead of repeating it.
    Then one item per family of kinds, best first; only when the families run out does a second
    item of a family get in. No habit gets more than two places from its data (starter advice,
    which is all about the main habit before coaching starts, is exempt), and a goal gap keeps a place.
    """
    merged: dict[tuple, Advice] = {}
    for item in sorted(advice, key=lambda a: -a.score):
        if item.key in merged:
            _fold(merged[item.key], item)
        else:
            merged[item.key] = item
    ordered = list(merged.values())
    chosen: list[Advice] = []
    for new_family_only in (True, False):
        for item in ordered:
            if len(chosen) == TOP:
                break
            if any(item is c for c in chosen):
                continue
            if new_family_only and _family(item) in {_family(c) for c in chosen}:
                continue
            habit_id = _habit_id(item)
            if (habit_id is not None and item.based_on[0] != kinds.STARTER
                    and sum(_habit_id(c) == habit_id for c in chosen) >= MAX_PER_HABIT):
                continue
            chosen.append(item)
    goal = next((item for item in ordered if _family(item) == "goal"), None)
    if goal is not None and not any(goal is c for c in chosen):
        chosen = chosen[: TOP - 1] + [goal]
    return chosen


def _fold_time_anchors(advice: list[Advice]) -> list[Advice]:
    """A steady time backs up other advice for the same habit (which already quotes that time) rather than
    being a second item about the same habit and the same time."""
    kept = []
    for item in advice:
        others = [a for a in advice if a is not item and a.habit is not None and _habit_id(a) == _habit_id(item)
                  and a.based_on[0] != kinds.TIME_ANCHOR]
        if item.based_on[0] == kinds.TIME_ANCHOR and others:
            _fold(max(others, key=lambda a: a.score), item)
        else:
            kept.append(item)
    return kept


def recommendations(findings: list[Finding], ctx: Context, weights: dict) -> list[Advice]:
    advice = []
    for finding in findings:
        made = _advice_for(finding, ctx)
        if made is None:
            continue
        action, reason, extra = made
        based_on = [finding.kind, *(k for k in extra if k != finding.kind)]
        advice.append(Advice(action, reason, finding.habit, based_on,
                             score(finding.kind, finding.confidence, _effect(finding), ctx.profile, weights), _key(finding)))
    return rank(_fold_time_anchors(advice))


def starter(profile: ProfileInput, main: HabitInput | None, goal_findings: list[Finding], days_of_data: int,
            check_ins: int, weights: dict, progress: bool = True) -> list[Advice]:
    """Advice from the onboarding answers alone: it claims no pattern.

    Before coaching switches on it is all there is; afterwards it tops up a short list (without the
    progress note, which only makes sense while waiting for day 14).
    """
    name = main.name if main else (profile.main_habit or "your habits")
    planned = main.planned_time.strftime("%H:%M") if main and main.planned_time else None
    obstacle = profile.obstacle
    told = f"You told us {OBSTACLE_NAMES[obstacle]} is what gets in the way" if obstacle in OBSTACLE_NAMES else ""
    advice = []

    def add(action, reason, kind=kinds.STARTER, habit=main, weight=1.0, key=None):
        base = score(kind, 1.0, 1.0, profile, weights) * weight
        advice.append(Advice(action, reason, habit, [kind], base, key or (len(advice),)))

    if obstacle == "forgetting":
        add(f"Pick something you already do every day and do {name} right after it{_at(planned)}",
            f"{told}, and a fixed cue works better than remembering.", weight=1.3)
    elif obstacle == "time":
        add(f"Decide on a two-minute version of {name} for busy days", f"{told}; a tiny version still counts.", weight=1.3)
    elif obstacle == "restarting":
        add(f"Decide now what you'll do the day after a miss: the smallest version of {name}",
            f"{told}; never missing twice keeps a habit alive.", weight=1.3)
    elif obstacle == "motivation":
        add(f"Check in {name} right after you do it and watch your streak grow",
            f"{told}; seeing progress is its own reward.", weight=1.3)
    elif obstacle == "energy":
        when = {"morning": "the morning", "evening": "the evening"}.get(profile.chronotype or "", "the time you feel most awake")
        add(f"Do {name} in {when}, before your energy runs low", f"{told}.", weight=1.3)

    if profile.chronotype in ("morning", "evening"):
        part = profile.chronotype
        add(f"Give {name} a fixed slot in the {part}{_at(planned, ', like ')}",
            f"You told us you're {'a morning' if part == 'morning' else 'an evening'} person.", weight=1.1)

    for finding in goal_findings[:2]:
        goal = finding.evidence["goal"]
        add(goal_gap_advice(goal, profile), _goal_reason(goal), kind=kinds.GOAL_GAP, habit=None, key=("goal", goal))

    if progress:
        so_far = (f"you're on day {days_of_data} with {check_ins} check-in{'s' if check_ins != 1 else ''}"
                  if check_ins else "you haven't checked in yet")
        add(f"Check in {name} every day it happens",
            f"From day 14 and 7 check-ins, Cadence coaches you from your own patterns; {so_far}.", habit=main, weight=0.9)
    return rank(advice)


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


def strengths_and_challenges(findings: list[Finding], summaries: list[HabitSummary], habits: dict) -> tuple[list[str], list[str]]:
    strengths, challenges = [], []
    for f in findings:
        e, name = f.evidence, f.habit.name if f.habit else ""
        if f.kind == kinds.STRONG_HABIT:
            strengths.append(f"{name}: strength {e['strength']}/100")
        elif f.kind == kinds.IMPROVING_TREND:
            strengths.append(f"{name}: up from {percent(e['rate_before'])} to {percent(e['rate_after'])} of days")
        elif f.kind == kinds.TIME_ANCHOR:
            strengths.append(f"{name}: a steady time, around {e['typical_time']}")
        elif f.kind == kinds.STRUGGLING_HABIT:
            challenges.append(f"{name}: done on {percent(e['completion_rate_30d'])} of days in the last 30")
        elif f.kind == kinds.DECLINING_TREND:
            challenges.append(f"{name}: down from {percent(e['rate_before'])} to {percent(e['rate_after'])} of days")
        elif f.kind == kinds.WEEKDAY_GAP:
            challenges.append(f"{name} on {weekday_phrase(e['weekdays'])}: {percent(e['weekday_rate'])} against "
                              f"{percent(e['other_rate'])} on other days")
        elif f.kind == kinds.DOUBLE_MISS:
            challenges.append(f"{name}: {percent(e['p_miss_after_miss'])} of misses followed by another")
        elif f.kind == kinds.MAIN_HABIT_LAGGING:
            challenges.append(f"{name}, your main habit: {percent(e['main_rate'])} against "
                              f"{percent(e['others_rate'])} for the others")
        elif f.kind == kinds.OVERLOAD:
            challenges.append(f"{e['habit_count']} habits at {percent(e['overall_rate'])} overall")
        elif f.kind == kinds.TIME_DRIFT:
            challenges.append(f"{name}: drifting {direction(e['minutes_per_week'])}, from {e['from_time']} to {e['to_time']}")
        elif f.kind == kinds.PLANNED_TIME_MISMATCH:
            challenges.append(f"{name}: planned for {e['planned_time']}, usually done around {e['typical_time']}")
        elif f.kind == kinds.CHRONOTYPE_MISMATCH:
            challenges.append(f"Check-ins centre on {e['median_time']}, unlike your {e['chronotype']} chronotype")
        elif f.kind == kinds.GOAL_GAP:
            challenges.append(f"No habit for your {e['goal_label']} goal yet")
    noted = {s.split(":")[0] for s in strengths}
    for summary in sorted(summaries, key=lambda s: -s.best_streak):
        if summary.best_streak >= 7 and summary.name not in noted:
            strengths.append(f"{summary.name}: best streak {streak_phrase(summary.best_streak, habits[summary.habit_id])}")
            noted.add(summary.name)
    return strengths[:TOP], challenges[:TOP]
