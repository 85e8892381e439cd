"""Every insight kind, defined once: what it is called, how it ranks, how it reads, what it advises.

`KINDS` is the registry the rest of coaching reads: ranking (family, impact, obstacle boosts,
effect), the words (title, body, one-line standing, evidence in plain words), the advice and
the evidence chart. A detector's thresholds and false-positive budget stay beside its test in
`detectors.py` (each a named constant with its reason; the budget split is in the README).
Adding a kind is adding one `Kind` here and its detector. Kind codes are stable identifiers: they are stored and used for feedback.

Sentences quote only the evidence the detector put in the finding, so a sentence never says
more than the data. Advice names only things a person can do: a phone alarm, a calendar entry,
or a Cadence feature (skip, pause, the weekly self-check, the habit page). Cadence sends no
reminders, so advice never mentions one.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from habits.schedule import WEEKDAY_NAMES  # noqa: F401  (detectors read kinds.WEEKDAY_NAMES)

from .wording import WEEKDAY_PLURALS, count, direction, minutes_phrase, percent, weekday_phrase  # noqa: F401

TIME_ANCHOR = "time_anchor"
TIME_DRIFT = "time_drift"
WEEKDAY_GAP = "weekday_gap"
DECLINING_TREND = "declining_trend"
IMPROVING_TREND = "improving_trend"
DOUBLE_MISS = "double_miss"
CHRONOTYPE_MISMATCH = "chronotype_mismatch"
PLANNED_TIME_MISMATCH = "planned_time_mismatch"
MAIN_HABIT_LAGGING = "main_habit_lagging"
STRONG_HABIT = "strong_habit"
STRUGGLING_HABIT = "struggling_habit"
OVERLOAD = "overload"
GOAL_GAP = "goal_gap"
# Sources of advice that are not insights: the onboarding answers, and the person's own numbers.
STARTER = "starter"
OWN_NUMBERS = "own_numbers"

GOALS = ("health", "learning", "mindfulness", "productivity", "relationships", "creativity", "finances", "sleep")
GOAL_LABELS = {
    "health": "health & fitness", "learning": "learning", "mindfulness": "mindfulness",
    "productivity": "productivity", "relationships": "relationships", "creativity": "creativity",
    "finances": "finances", "sleep": "sleep",
}

FAMILY_LABELS = {
    "timing": "When you do them",
    "weekday": "Weekdays",
    "recovery": "After a missed day",
    "momentum": "Momentum",
    "reinforce": "What's going well",
    "scope": "How much at once",
    "goal": "Your goals",
    "answers": "What you told us",
    "numbers": "Your numbers",
}

STRENGTH, CHALLENGE = "strength", "challenge"


@dataclass(frozen=True)
class Said:
    """What a kind's words are built from: the evidence, the habit's name, and (in the core) the habit itself."""

    evidence: dict
    name: str = ""
    habit: object = None
    tone: str = "direct"

    def pick(self, direct: str, gentle: str) -> str:
        return gentle if self.tone == "gentle" else direct


@dataclass(frozen=True)
class Advised:
    action: str                 # starts with a verb: "Plan Run for Saturdays the evening before"
    reason: str                 # a full sentence quoting the data
    action_key: tuple           # what is being done to what: two advice with one key are one advice
    also_based_on: tuple = ()   # other kinds the advice quotes (a steady time it names)


def _none(said: Said):
    return None


def _full(e: dict) -> float:
    return 1.0


@dataclass(frozen=True)
class Kind:
    code: str
    label: str                                  # "Based on <label>."
    family: str                                 # one top-5 place per family first; one page section
    impact: float                               # how much acting on it tends to help, 0..1
    pattern: bool = False                       # claims a behaviour pattern, so it needs a statistical test
    source: str = "from your numbers"           # how sure we are, for a kind that is not a tested pattern
    side: str | None = None                     # STRENGTH or CHALLENGE in "What's working" / "Where it's hard"
    obstacle_boost: Mapping[str, float] = field(default_factory=dict)
    card: str = ""                              # heading of the page's card listing every habit with this kind
    title: Callable[[Said], str] = lambda said: ""
    body: Callable[[Said], str] = lambda said: ""
    standing: Callable[[Said], str] = lambda said: ""      # the one line under strengths or challenges
    evidence: Callable[[Said], list[str]] = lambda said: []  # "why am I seeing this", in plain words
    chart: Callable[[Said], dict | None] = _none            # numbers for coaching.charts to draw
    effect: Callable[[dict], float] = _full                  # how much there is to win, 0..1
    advice: Callable[[Said, object], Advised | None] = lambda said, ctx: None

    def boost(self, obstacle: str) -> float:
        return self.obstacle_boost.get(obstacle, 1.0)


def _at(time: str | None, prefix: str = " at ") -> str:
    return f"{prefix}{time}" if time else ""


def _bars(*bars) -> dict:
    """Rate bars: (label, rate 0..1, caption)."""
    return {"type": "bars", "bars": [{"label": label, "rate": rate, "caption": caption} for label, rate, caption in bars]}


def _times(*marks, spread=None) -> dict:
    """Clock times on a day axis: (label, "HH:MM"); `spread` minutes draws a band round the usual time."""
    return {"type": "timeline", "marks": [{"label": label, "time": time} for label, time in marks], "spread": spread}


def _of(done, days, rate) -> str:
    return f"{done} of {days}" if done is not None and days is not None else percent(rate)


# --- timing ---------------------------------------------------------------------------------------------

def _anchor_advice(said: Said, ctx) -> Advised | None:
    e, name, habit = said.evidence, said.name, said.habit
    if ctx.doing_well(habit):
        return None     # a steady time on a habit going well is a strength, not something to fix
    reason = f"{percent(e['share_within_hour'])} of your check-ins came within an hour of {e['typical_time']}."
    if ctx.profile.obstacle == "forgetting":
        return Advised(f"Set a daily phone alarm for {name} at {e['typical_time']}, the time you already keep", reason,
                       ("alarm", habit.id))
    return Advised(f"Keep {name} at {e['typical_time']}: the same time every day is what makes it automatic", reason,
                   ("fixed_time", habit.id))


def _drift_advice(said: Said, ctx) -> Advised:
    e, name = said.evidence, said.name
    reason = (f"It moved from about {e['from_time']} to {e['to_time']}, "
              f"{minutes_phrase(e['minutes_per_week'])} {direction(e['minutes_per_week'])} each week.")
    return Advised(f"Pin {name} to one fixed time, e.g. {e['from_time']}, with a calendar entry, before it slips out of "
                   f"your day", reason, ("fixed_time", said.habit.id))


def _planned_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    gap = e["difference_minutes"]
    reason = (f"You planned {e['planned_time']} but usually do it around {e['typical_time']}, "
              f"{minutes_phrase(gap)} {direction(gap)}.")
    extra = (TIME_ANCHOR,) if habit.id in ctx.anchors else ()
    return Advised(f"Change the planned time of {name} on its habit page from {e['planned_time']} to {e['typical_time']}, "
                   f"when you actually do it", reason, ("planned_time", habit.id), extra)


def _chronotype_words(e: dict) -> tuple[str, str, str]:
    morning = e["chronotype"] == "morning"
    return ("a morning" if morning else "an evening"), ("after 17:00" if morning else "before noon"), \
        ("the morning" if morning else "the evening")


def _chronotype_advice(said: Said, ctx) -> Advised:
    e = said.evidence
    person, other_end, own_part = _chronotype_words(e)
    reason = f"You told us you're {person} person, but {percent(e['share_other_end'])} of your check-ins were {other_end}."
    return Advised(f"Try {e['habit_other_end']} in {own_part} for a week to see if it's easier, or update your chronotype "
                   f"in your profile", reason, ("chronotype",))


# --- weekdays, recovery, momentum ------------------------------------------------------------------------

def _weekday_evidence(said: Said) -> list[str]:
    e, days = said.evidence, weekday_phrase(said.evidence["weekdays"])
    other = (f"{e['other_done']} of {e['other_days']} other days" if "other_done" in e and "other_days" in e
             else f"{percent(e['other_rate'])} of other days")
    return [f"You did it on {e['weekday_done']} of {e['weekday_days']} {days}, against {other}."]


def _weekday_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    days = weekday_phrase(e["weekdays"])
    time = ctx.habit_times.get(habit.id)
    timed = (TIME_ANCHOR,) if time else ()
    reason = f"You did {name} on {_of(e['weekday_done'], e['weekday_days'], e['weekday_rate'])} {days}, and on " \
             f"{percent(e['other_rate'])} of other days."
    obstacle = ctx.profile.obstacle
    if obstacle == "time":
        return Advised(f"Shrink {name} on {days} to a two-minute version{_at(time)} so those days still count", reason,
                       ("shrink", habit.id), timed)
    if obstacle == "forgetting":
        return Advised(f"Set a phone alarm for {name} on {days}{_at(time)}", reason, ("alarm", habit.id), timed)
    if obstacle == "restarting":
        return Advised(f"Keep {days} small for {name}: a short version{_at(time)} beats a miss", reason,
                       ("shrink", habit.id), timed)
    example = f", such as your usual {time}" if time else ""
    return Advised(f"Plan {name} for {days} the evening before: put it in your calendar at a set time{example}", reason,
                   ("plan_weekday", habit.id), timed)


def _double_miss_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    time = ctx.habit_times.get(habit.id)
    reason = (f"After a missed day you missed {name} again {percent(e['p_miss_after_miss'])} of the time, "
              f"while you miss it on {percent(e['p_miss'])} of days overall.")
    if ctx.profile.obstacle == "restarting":
        return Advised(f"Use a never-miss-twice rule for {name}: the day after a miss, do the smallest version{_at(time)}",
                       reason, ("after_miss", habit.id), (TIME_ANCHOR,) if time else ())
    return Advised(f"Make the day after a missed {name} non-negotiable, even if it's only two minutes", reason,
                   ("after_miss", habit.id))


def _since(e: dict) -> str:
    changed = e.get("changed_on")
    return f" since {date.fromisoformat(changed):%-d %B}" if changed else " recently"


def _trend_title(declining: bool) -> Callable[[Said], str]:
    def title(said: Said) -> str:
        if declining:
            return said.pick(f"{said.name} is slipping", f"{said.name} has been harder lately")
        return said.pick(f"{said.name} is picking up", f"{said.name} is going better and better")
    return title


def _trend_body(said: Said) -> str:
    e = said.evidence
    return (f"Over the last {e['days']} due days, you did {said.name} on {percent(e['rate_before'])} of days at first "
            f"and on {percent(e['rate_after'])}{_since(e)}.")


def _trend_chart(said: Said) -> dict:
    e = said.evidence
    return _bars(("Before", e["rate_before"], percent(e["rate_before"])),
                 ("Recently" if not e.get("changed_on") else f"Since {date.fromisoformat(e['changed_on']):%-d %b}",
                  e["rate_after"], percent(e["rate_after"])))


def _declining_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    time = ctx.habit_times.get(habit.id)
    reason = f"{name} went from {percent(e['rate_before'])} of days to {percent(e['rate_after'])}{_since(e)}."
    if ctx.profile.obstacle == "time":
        return Advised(f"Cut {name} to a version that fits your busiest day and do that every day this week", reason,
                       ("shrink", habit.id))
    if ctx.profile.obstacle == "motivation":
        return Advised(f"Restart {name} with three days you put in your calendar now for this week", reason,
                       ("restart", habit.id))
    return Advised(f"Restart {name} on its next day{_at(time)} with the smallest version you can't say no to", reason,
                   ("restart", habit.id), (TIME_ANCHOR,) if time else ())


def _improving_advice(said: Said, ctx) -> Advised:
    e = said.evidence
    reason = f"It went from {percent(e['rate_before'])} of days to {percent(e['rate_after'])}{_since(e)}."
    return Advised(f"Write down what changed for {said.name} so you can keep doing it", reason,
                   ("keep_change", said.habit.id))


def _struggling_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    reason = f"You did {name} on {percent(e['completion_rate_30d'])} of what it asked in the last 30 days."
    anchor = ctx.stack_anchor(habit)
    if anchor is not None and ctx.profile.obstacle in ("forgetting", "time", "other", "energy"):
        anchor_habit, anchor_time = anchor
        return Advised(f"Do {name} right after {anchor_habit.name} at {anchor_time}, in a two-minute version", reason,
                       ("stack", habit.id), (TIME_ANCHOR,))
    time = ctx.habit_times.get(habit.id)
    return Advised(f"Shrink {name} to a two-minute version{_at(time)} until it sticks", reason, ("shrink", habit.id),
                   (TIME_ANCHOR,) if time else ())


def _main_lagging_advice(said: Said, ctx) -> Advised:
    e, name, habit = said.evidence, said.name, said.habit
    time = ctx.habit_times.get(habit.id)
    reason = (f"In the last 30 days you did it on {percent(e['main_rate'])} of due days, "
              f"your other habits on {percent(e['others_rate'])}.")
    return Advised(f"Put {name}, your main habit, first: do it before any other habit each day{_at(time, ', around ')}",
                   reason, ("first", habit.id), (TIME_ANCHOR,) if time else ())


def _overload_advice(said: Said, ctx) -> Advised | None:
    e = said.evidence
    keep = ctx.strongest()
    pause = [h for h in ctx.weakest(2) if keep is None or h.id != keep.id]
    if not pause or keep is None:
        return None
    reason = f"You're tracking {e['habit_count']} habits and met {percent(e['overall_rate'])} of what they asked in the " \
             f"last 30 days."
    names = " and ".join(h.name for h in pause)
    return Advised(f"Pause {names} for two weeks (Pause on the habit page) and put that energy into {keep.name}", reason,
                   ("pause",) + tuple(h.id for h in pause))


def _strong_advice(said: Said, ctx) -> Advised:
    e = said.evidence
    return Advised(f"Protect {said.name}: on a hard day do a short version rather than skip it",
                   f"Its strength is {e['strength']} of 100, best run {e['best_streak']} in a row.", ("protect", said.habit.id))


def _goal_gap_advice(said: Said, ctx) -> Advised:
    goal = said.evidence["goal"]
    anchor = ctx.stack_anchor(None, not_before=EVENING_STARTS if goal in EVENING_GOALS else "00:00")
    return Advised(goal_gap_action(goal, ctx.profile, anchor), goal_reason(goal), ("goal", goal))


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
# Examples that belong to the evening: no morning anchor or "in the morning" may be hung on them.
EVENING_GOALS = {"productivity", "finances", "sleep"}
EVENING_STARTS = "17:00"


def goal_gap_action(goal: str, profile, anchor=None) -> str:
    """A first habit for a goal nothing serves yet, small and shaped by what gets in the person's way.
    `anchor` is (habit, "HH:MM"), already at a fitting time of day (evening for EVENING_GOALS)."""
    label, example = GOAL_LABELS[goal], GOAL_EXAMPLES[goal]
    obstacle = profile.obstacle
    if obstacle == "time":
        return f"Add a two-minute {label} habit, such as {example}"
    action = f"Add a small {label} habit, such as {example}"
    if obstacle == "forgetting":
        if anchor is not None:
            return f"{action}, right after {anchor[0].name} at {anchor[1]}"
        return f"{action}, and put a daily phone alarm on for it"
    if obstacle == "motivation":
        return f"{action}, and check it in right after so you see it add up"
    if obstacle == "restarting":
        return f"{action}, small enough to do even the day after a miss"
    if obstacle == "energy" and goal in EVENING_GOALS:
        return f"{action}: it asks almost nothing of a tired evening"
    if obstacle == "energy":
        when = {"morning": "in the morning", "evening": "in the evening"}.get(profile.chronotype or "",
                                                                            "when you feel most awake")
        return f"{action}, {when}"
    return action


def goal_reason(goal: str) -> str:
    return f"You chose {GOAL_LABELS[goal]} as a goal, and none of your habits serves it yet."


def _effect_gap(e):
    return e["other_rate"] - e["weekday_rate"]


def _effect_trend(e):
    return min(1.0, abs(e["rate_before"] - e["rate_after"]) / 0.6)


REGISTRY = [
    Kind(
        TIME_ANCHOR, "a steady time of day", "timing", 0.4, pattern=True, side=STRENGTH, card="Steady times",
        obstacle_boost={"forgetting": 1.4},
        title=lambda s: s.pick(f"{s.name} happens at {s.evidence['typical_time']}",
                               f"{s.name} has a steady time: around {s.evidence['typical_time']}"),
        body=lambda s: (f"{percent(s.evidence['share_within_hour'])} of your last {s.evidence['check_ins']} check-ins came "
                        f"within an hour of {s.evidence['typical_time']}. That time is your cue."),
        standing=lambda s: f"{s.name}: a steady time, around {s.evidence['typical_time']}",
        evidence=lambda s: [
            f"{round(s.evidence['share_within_hour'] * s.evidence['check_ins'])} of your last {s.evidence['check_ins']} "
            f"check-ins came within an hour of {s.evidence['typical_time']}.",
            f"Most of them came at exactly {s.evidence['typical_time']}." if s.evidence['spread_minutes'] < 1 else
            f"Most of them fell within {s.evidence['spread_minutes']} minutes of it."],
        chart=lambda s: _times(("Usual", s.evidence["typical_time"]), spread=s.evidence.get("spread_minutes")),
        advice=_anchor_advice,
    ),
    Kind(
        TIME_DRIFT, "a drifting time of day", "timing", 0.65, pattern=True, side=CHALLENGE, card="Drifting times",
        obstacle_boost={"forgetting": 1.25},
        title=lambda s: s.pick(f"{s.name} is drifting {direction(s.evidence['minutes_per_week'])}",
                               f"{s.name} has been moving {direction(s.evidence['minutes_per_week'])} in the day"),
        body=lambda s: (f"You checked in {s.name} around {s.evidence['from_time']} at first and around "
                        f"{s.evidence['to_time']} lately: about {minutes_phrase(s.evidence['minutes_per_week'])} "
                        f"{direction(s.evidence['minutes_per_week'])} each week over {s.evidence['weeks']:g} weeks."),
        standing=lambda s: (f"{s.name}: drifting {direction(s.evidence['minutes_per_week'])}, from "
                            f"{s.evidence['from_time']} to {s.evidence['to_time']}"),
        evidence=lambda s: [f"Around {s.evidence['from_time']} at first, around {s.evidence['to_time']} lately, over "
                            f"{s.evidence['weeks']:g} weeks."],
        chart=lambda s: _times(("At first", s.evidence["from_time"]), ("Lately", s.evidence["to_time"])),
        advice=_drift_advice,
    ),
    Kind(
        PLANNED_TIME_MISMATCH, "planned vs actual time", "timing", 0.7, pattern=True,
        card="Planned and actual times", obstacle_boost={"forgetting": 1.25, "energy": 1.2},
        title=lambda s: s.pick(f"{s.name} happens at {s.evidence['typical_time']}, not {s.evidence['planned_time']}",
                               f"{s.name} tends to happen away from its planned time"),
        body=lambda s: (f"You planned {s.name} for {s.evidence['planned_time']}, but you usually check it in around "
                        f"{s.evidence['typical_time']}, {minutes_phrase(s.evidence['difference_minutes'])} "
                        f"{direction(s.evidence['difference_minutes'])}."),
        standing=lambda s: f"{s.name}: planned for {s.evidence['planned_time']}, usually done around {s.evidence['typical_time']}",
        evidence=lambda s: [f"Planned for {s.evidence['planned_time']}; usually checked in around "
                            f"{s.evidence['typical_time']}, {minutes_phrase(s.evidence['difference_minutes'])} "
                            f"{direction(s.evidence['difference_minutes'])}."],
        chart=lambda s: _times(("Planned", s.evidence["planned_time"]), ("Usual", s.evidence["typical_time"])),
        advice=_planned_advice,
    ),
    Kind(
        CHRONOTYPE_MISMATCH, "your chronotype", "timing", 0.55, pattern=True, side=CHALLENGE, card="Your time of day",
        obstacle_boost={"energy": 1.4},
        title=lambda s: s.pick(f"Most check-ins come in the {'evening' if s.evidence['chronotype'] == 'morning' else 'morning'}",
                               f"Your day seems to run {'late' if s.evidence['chronotype'] == 'morning' else 'early'}"),
        body=lambda s: (f"You told us you're {_chronotype_words(s.evidence)[0]} person, but "
                        f"{percent(s.evidence['share_other_end'])} of your last {s.evidence['check_ins']} check-ins were "
                        f"{_chronotype_words(s.evidence)[1]} (middle of your check-ins: {s.evidence['median_time']})."),
        standing=lambda s: (f"Check-ins centre on {s.evidence['median_time']}, unlike the "
                            f"{s.evidence['chronotype']} person you told us you are"),
        evidence=lambda s: [f"{round(s.evidence['share_other_end'] * s.evidence['check_ins'])} of your last "
                            f"{s.evidence['check_ins']} check-ins were {_chronotype_words(s.evidence)[1]}; the middle of "
                            f"them is {s.evidence['median_time']}."],
        chart=lambda s: _times(("Middle of your check-ins", s.evidence["median_time"])),
        advice=_chronotype_advice,
    ),
    Kind(
        WEEKDAY_GAP, "a weak weekday", "weekday", 0.9, pattern=True, side=CHALLENGE, card="Weekdays that slip",
        obstacle_boost={"time": 1.2}, effect=_effect_gap,
        title=lambda s: s.pick(f"{s.name} slips on {weekday_phrase(s.evidence['weekdays'])}",
                               f"{weekday_phrase(s.evidence['weekdays'])} are harder for {s.name}"),
        body=lambda s: (f"You did {s.name} on {s.evidence['weekday_done']} of the last {s.evidence['weekday_days']} "
                        f"{weekday_phrase(s.evidence['weekdays'])}, against {percent(s.evidence['other_rate'])} of other days."),
        standing=lambda s: (f"{s.name} on {weekday_phrase(s.evidence['weekdays'])}: {s.evidence['weekday_done']} of "
                            f"{s.evidence['weekday_days']}, against {percent(s.evidence['other_rate'])} on other days"),
        evidence=_weekday_evidence,
        chart=lambda s: _bars((", ".join(s.evidence["weekdays"]), s.evidence["weekday_rate"],
                               f"{s.evidence['weekday_done']} of {s.evidence['weekday_days']}"),
                              ("Other days", s.evidence["other_rate"],
                               _of(s.evidence.get("other_done"), s.evidence.get("other_days"), s.evidence["other_rate"]))),
        advice=_weekday_advice,
    ),
    Kind(
        DOUBLE_MISS, "misses that come in pairs", "recovery", 0.85, pattern=True, side=CHALLENGE,
        card="One miss becoming two", obstacle_boost={"restarting": 1.3},
        effect=lambda e: min(1.0, e["p_miss_after_miss"]),
        title=lambda s: s.pick(f"One missed {s.name} tends to become two", f"After a missed {s.name}, the next day gets harder"),
        body=lambda s: (f"After a missed day you also missed the next one {percent(s.evidence['p_miss_after_miss'])} of "
                        f"the time, while you miss {s.name} on {percent(s.evidence['p_miss'])} of days overall."),
        standing=lambda s: f"{s.name}: {percent(s.evidence['p_miss_after_miss'])} of misses followed by another",
        evidence=lambda s: [f"After a missed day, the next was missed too {percent(s.evidence['p_miss_after_miss'])} of "
                            f"the time; on an average day, {percent(s.evidence['p_miss'])}.",
                            f"Counted over {count(s.evidence['misses'], 'missed day')}."],
        chart=lambda s: _bars(("Any day", s.evidence["p_miss"], percent(s.evidence["p_miss"])),
                              ("After a miss", s.evidence["p_miss_after_miss"], percent(s.evidence["p_miss_after_miss"]))),
        advice=_double_miss_advice,
    ),
    Kind(
        DECLINING_TREND, "a declining trend", "momentum", 0.9, pattern=True, side=CHALLENGE, card="Slipping lately",
        obstacle_boost={"restarting": 1.2}, effect=_effect_trend,
        title=_trend_title(True), body=_trend_body,
        standing=lambda s: f"{s.name}: down from {percent(s.evidence['rate_before'])} to {percent(s.evidence['rate_after'])} of days",
        evidence=lambda s: [_trend_body(s)], chart=_trend_chart, advice=_declining_advice,
    ),
    Kind(
        IMPROVING_TREND, "an improving trend", "reinforce", 0.35, pattern=True, side=STRENGTH, card="Picking up",
        obstacle_boost={"motivation": 1.4}, effect=_effect_trend,
        title=_trend_title(False), body=_trend_body,
        standing=lambda s: f"{s.name}: up from {percent(s.evidence['rate_before'])} to {percent(s.evidence['rate_after'])} of days",
        evidence=lambda s: [_trend_body(s)], chart=_trend_chart, advice=_improving_advice,
    ),
    Kind(
        MAIN_HABIT_LAGGING, "your main habit lagging", "momentum", 0.85, side=CHALLENGE, card="Your main habit",
        obstacle_boost={"motivation": 1.1}, effect=lambda e: min(1.0, (e["others_rate"] - e["main_rate"]) / 0.5),
        title=lambda s: s.pick(f"Your main habit, {s.name}, is behind", f"{s.name}, your main habit, could use some care"),
        body=lambda s: (f"In the last 30 days you did {s.name} on {percent(s.evidence['main_rate'])} of due days and your "
                        f"other habits on {percent(s.evidence['others_rate'])}."),
        standing=lambda s: (f"{s.name}, your main habit: {percent(s.evidence['main_rate'])} against "
                            f"{percent(s.evidence['others_rate'])} for the others"),
        evidence=lambda s: [f"Last 30 days: {percent(s.evidence['main_rate'])} of due days for {s.name}, "
                            f"{percent(s.evidence['others_rate'])} for your other habits."],
        chart=lambda s: _bars((s.name[:14], s.evidence["main_rate"], percent(s.evidence["main_rate"])),
                              ("Other habits", s.evidence["others_rate"], percent(s.evidence["others_rate"]))),
        advice=_main_lagging_advice,
    ),
    Kind(
        STRUGGLING_HABIT, "a struggling habit", "momentum", 0.8, side=CHALLENGE, card="Hard to fit in",
        obstacle_boost={"time": 1.15}, effect=lambda e: 1 - e["completion_rate_30d"],
        title=lambda s: s.pick(f"{s.name} is struggling", f"{s.name} hasn't found its place yet"),
        body=lambda s: (f"You did {s.name} on {percent(s.evidence['completion_rate_30d'])} of what it asked in the last "
                        f"30 days."),
        standing=lambda s: f"{s.name}: {percent(s.evidence['completion_rate_30d'])} of what it asked in the last 30 days",
        evidence=lambda s: [f"Done on {percent(s.evidence['completion_rate_30d'])} of what it asked in the last 30 days."],
        chart=lambda s: _bars(("Last 30 days", s.evidence["completion_rate_30d"], percent(s.evidence["completion_rate_30d"]))),
        advice=_struggling_advice,
    ),
    Kind(
        STRONG_HABIT, "a strong habit", "reinforce", 0.3, side=STRENGTH, card="Strong habits",
        obstacle_boost={"motivation": 1.3},
        title=lambda s: s.pick(f"{s.name} is strong", f"{s.name} is becoming part of you"),
        body=lambda s: f"Strength {s.evidence['strength']} of 100, best run {s.evidence['best_streak']} in a row.",
        standing=lambda s: f"{s.name}: strength {s.evidence['strength']} of 100",
        evidence=lambda s: [f"Strength {s.evidence['strength']} of 100; best run {s.evidence['best_streak']} in a row."],
        chart=lambda s: _bars(("Strength", s.evidence["strength"] / 100, f"{s.evidence['strength']} of 100")),
        advice=_strong_advice,
    ),
    Kind(
        OVERLOAD, "too many habits at once", "scope", 0.8, side=CHALLENGE, card="How much at once",
        obstacle_boost={"time": 1.25, "energy": 1.15}, effect=lambda e: 1 - e["overall_rate"],
        title=lambda s: s.pick(f"{s.evidence['habit_count']} habits at once is a lot",
                               f"You're carrying {s.evidence['habit_count']} habits"),
        body=lambda s: f"Together they met {percent(s.evidence['overall_rate'])} of what they asked in the last 30 days.",
        standing=lambda s: f"{s.evidence['habit_count']} habits at {percent(s.evidence['overall_rate'])} of what they asked",
        evidence=lambda s: [f"{s.evidence['habit_count']} habits together met {percent(s.evidence['overall_rate'])} of "
                            f"what they asked in the last 30 days."],
        chart=lambda s: _bars(("All habits", s.evidence["overall_rate"], percent(s.evidence["overall_rate"]))),
        advice=_overload_advice,
    ),
    Kind(
        GOAL_GAP, "a goal without a habit", "goal", 0.45, side=CHALLENGE, card="Goals without a habit",
        source="from your onboarding answers and your habits",
        title=lambda s: f"No habit for {s.evidence['goal_label']} yet",
        body=lambda s: f"You chose {s.evidence['goal_label']} as a goal, but none of your habits serves it yet.",
        standing=lambda s: f"No habit for your {s.evidence['goal_label']} goal yet",
        evidence=lambda s: [f"You chose {s.evidence['goal_label']} in onboarding; none of your habits is in that area "
                            f"or named for it."],
        advice=_goal_gap_advice,
    ),
    Kind(STARTER, "your onboarding answers", "answers", 0.2),
    Kind(OWN_NUMBERS, "your own numbers", "numbers", 0.2),
]

KINDS: dict[str, Kind] = {entry.code: entry for entry in REGISTRY}

PATTERN_KINDS = frozenset(code for code, entry in KINDS.items() if entry.pattern)
DESCRIPTIVE_KINDS = frozenset({MAIN_HABIT_LAGGING, STRONG_HABIT, STRUGGLING_HABIT, OVERLOAD, GOAL_GAP})
INSIGHT_KINDS = PATTERN_KINDS | DESCRIPTIVE_KINDS


def kind(code: str) -> Kind:
    """The registry entry; a code no longer defined (old stored rows) reads as its own words."""
    return KINDS.get(code) or Kind(code, code.replace("_", " "), "other", 0.3, card=code.replace("_", " ").capitalize())


def kind_label(code: str) -> str:
    return kind(code).label
