"""The 30-day drip: what each milestone email says, from the person's own numbers and answers.

Milestones are local days since onboarding completed (day 0 = that day): 0, 3, 7, 14, 21, 30.
Pure: no database, no clock. Every sentence is built from the person's data or words; a
milestone with nothing true to say about a topic leaves that sentence out rather than filling
it with a generic number.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from habits import schedule, stats
from habits.analytics import standout_weekday

from .content import HabitFacts, long_date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FALLEN_OFF_DAYS = 5          # no check-in for this many days: the day-21 email offers a way back
GOAL_WORDS = {
    "health": "takes care of their health", "learning": "keeps learning", "mindfulness": "makes room to pause",
    "productivity": "gets the important things done", "relationships": "shows up for the people they love",
    "creativity": "makes things", "finances": "looks after their money", "sleep": "protects their sleep",
}
FIRST_STEPS = {
    # A first step for the main habit when nothing was checked in by day 3, by the obstacle they named.
    "time": "Fit a two-minute version of {habit} right after something you already do every day, like your first coffee.",
    "forgetting": "Set a phone alarm for {habit}{at}, and check it in the moment the alarm goes off.",
    "motivation": "Do the smallest possible version of {habit} today: the aim is to start, not to be good at it.",
    "energy": "Put {habit} at the time of day you usually have the most energy, and make today's version tiny.",
    "restarting": "Forget the last three days: check in {habit} today, any version counts, and the count starts again.",
}


@dataclass(frozen=True)
class DripCoaching:
    """The coaching a day-14 email quotes: never based on a flagged insight."""

    patterns: tuple[str, ...] = ()          # titles of the strongest pattern insights, strongest first
    recommendations: tuple[str, ...] = ()   # the top 5, in rank order
    first_evidence: tuple[str, ...] = ()    # plain-word evidence behind the first recommendation


@dataclass(frozen=True)
class DripFacts:
    milestone: int
    day: date                       # the local day the email goes out
    onboarded_on: date              # day 0
    first_name: str = ""
    goals: tuple[str, ...] = ()     # goal codes from onboarding
    goal_labels: tuple[str, ...] = ()
    goals_other: str = ""
    main_habit: str = ""
    main_habit_time: str = ""       # "HH:MM" or ""
    obstacle: str = ""
    obstacle_other: str = ""
    why_now: str = ""
    success_factor: str = ""
    digest_hour: int | None = None  # None when the digest is off
    habits: tuple[HabitFacts, ...] = ()
    coaching: DripCoaching = field(default_factory=DripCoaching)
    projections: dict = field(default_factory=dict)   # habit name -> date it is projected to feel automatic
    figures: dict = field(default_factory=dict)       # habit name -> (strength 0-100, best streak) over its whole history


@dataclass
class _Tally:
    check_ins: int = 0
    scheduled: int = 0
    met: int = 0
    per_habit: dict = field(default_factory=dict)    # name -> (met, scheduled)
    done_by_weekday: Counter = field(default_factory=Counter)
    due_by_weekday: Counter = field(default_factory=Counter)

    @property
    def consistency(self) -> float | None:
        return self.met / self.scheduled if self.scheduled else None


def _days_over(facts: DripFacts) -> date:
    """The last day a milestone's numbers cover: the day before it goes out. "Your first three days"
    are days 0, 1 and 2; the send day is still running (or, for a morning email, not yet begun)."""
    return facts.day - timedelta(days=1)


def _tally(facts: DripFacts, last: date) -> _Tally:
    """Check-ins against what was scheduled from day 0 to `last`, per habit and per weekday."""
    tally = _Tally()
    for habit in facts.habits:
        history = habit.history
        first = max(facts.onboarded_on, history.start)
        if first > last:
            continue
        met = needed = 0
        for period_first, period_last in schedule.periods(history.schedule, first, last, history.start):
            part = schedule.period_tally(history, max(period_first, first), min(period_last, last))
            met += min(part.done, part.needed)
            needed += part.needed
        tally.check_ins += sum(1 for d in history.done if first <= d <= last)
        tally.met += met
        tally.scheduled += needed
        tally.per_habit[habit.name] = (met, needed)
        for day, done in stats.scored_days(history, last, (last - first).days + 1):
            tally.due_by_weekday[day.weekday()] += 1
            tally.done_by_weekday[day.weekday()] += done
    return tally


def _percent(value: float) -> str:
    return f"{round(100 * value)}%"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _best_habit(tally: _Tally) -> tuple[str, int, int] | None:
    scored = [(met / needed, needed, name, met) for name, (met, needed) in tally.per_habit.items() if needed]
    if not scored:
        return None
    _, needed, name, met = max(scored)
    return name, met, needed


def _best_weekday(tally: _Tally) -> tuple[str, int, int] | None:
    """The weekday that stands out across all habits (the analytics page's rule), or None."""
    best = standout_weekday([(tally.done_by_weekday[w], tally.due_by_weekday[w]) for w in range(7)])
    return (WEEKDAYS[best.weekday], best.done, best.scheduled) if best else None


def _hour(hour: int) -> str:
    return f"{hour:02d}:00"


def _welcome(facts: DripFacts) -> dict:
    named = [label.lower() for label in facts.goal_labels]
    if facts.goals_other:
        named.append(f"“{facts.goals_other}”")
    goals = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else "".join(named)
    lines = []
    if goals and facts.main_habit:
        lines.append(f"You told us you want to work on {goals}, starting with “{facts.main_habit}”"
                     f"{' at ' + facts.main_habit_time if facts.main_habit_time else ''}.")
    elif facts.main_habit:
        lines.append(f"You're starting with “{facts.main_habit}”.")
    if facts.why_now:
        lines.append(f"Why now, in your words: “{facts.why_now}”")
    if facts.success_factor:
        lines.append(f"In 30 days, success for you means: “{facts.success_factor}”")
    if facts.digest_hour is not None:
        lines.append(f"What happens next: one email a day at {_hour(facts.digest_hour)} with your check-ins, and from "
                     f"day 14 your coach looks for patterns in them and suggests five things to do.")
    else:
        lines.append("What happens next: from day 14 your coach looks for patterns in your check-ins and suggests five "
                     "things to do; you'll hear from us on days 3, 7, 14, 21 and 30.")
    return {"subject": f"Welcome to Cadence{', ' + facts.first_name if facts.first_name else ''}",
            "title": "Welcome to Cadence", "lines": lines, "change_settings": True}


def _day_three(facts: DripFacts) -> dict:
    tally = _tally(facts, _days_over(facts))
    if tally.check_ins:
        most = Counter({h.name: sum(1 for d in h.history.done if facts.onboarded_on <= d <= _days_over(facts)) for h in facts.habits})
        name, count = most.most_common(1)[0]
        if count == tally.check_ins:
            lines = [f"{_count(tally.check_ins, 'check-in')} of {name} in your first three days."]
        else:
            lines = [f"{_count(tally.check_ins, 'check-in')} in your first three days, {count} of them for {name}."]
        if tally.consistency is not None:
            lines.append(f"That's {tally.met} of the {tally.scheduled} check-ins your habits asked for so far.")
        return {"subject": f"Day 3: {_count(tally.check_ins, 'check-in')} so far", "title": "Three days in", "lines": lines}
    habit = facts.main_habit or (facts.habits[0].name if facts.habits else "your habit")
    step = FIRST_STEPS.get(facts.obstacle)
    if step:
        line = step.format(habit=habit, at=f" at {facts.main_habit_time}" if facts.main_habit_time else "")
    elif facts.obstacle_other:
        line = f"You said what gets in the way is “{facts.obstacle_other}”. Plan around it with a two-minute version of {habit} today."
    else:
        line = f"Do a two-minute version of {habit} today and check it in: the first check-in is the hardest."
    return {"subject": f"Day 3: a first step for {habit}", "title": "Three days in", "lines": [line]}


def _week_one(facts: DripFacts) -> dict:
    tally = _tally(facts, _days_over(facts))
    lines = [f"{_count(tally.check_ins, 'check-in')} in your first week, against {tally.scheduled} scheduled."]
    if tally.consistency is not None:
        lines.append(f"Consistency: {_percent(tally.consistency)}.")
    if best := _best_habit(tally):
        lines.append(f"Your best habit: {best[0]}, {best[1]} of {best[2]}.")
    if weekday := _best_weekday(tally):
        lines.append(f"Your best day: {weekday[0]}, with {weekday[1]} of {weekday[2]} done.")
    return {"subject": f"Week one: {_count(tally.check_ins, 'check-in')}"
                       f"{', ' + _percent(tally.consistency) + ' consistent' if tally.consistency is not None else ''}",
            "title": "Your first week", "lines": lines}


def _day_fourteen(facts: DripFacts) -> dict:
    coaching = facts.coaching
    lines = []
    if coaching.patterns:
        lines.append("Your strongest patterns: " + "; ".join(coaching.patterns[:3]) + ".")
    else:
        tally = _tally(facts, _days_over(facts))
        lines.append(f"No pattern stands out yet in your {_count(tally.check_ins, 'check-in')}: "
                     "your coach will keep looking as the weeks go on.")
    items = list(coaching.recommendations[:5])
    evidence = list(coaching.first_evidence)
    return {"subject": "Day 14: your coaching starts", "title": "Your coach is switched on", "lines": lines,
            "recommendations": items, "evidence": evidence}


def _last_check_in(facts: DripFacts) -> date | None:
    days = [d for h in facts.habits for d in h.history.done if d <= facts.day]
    return max(days) if days else None


def _day_twenty_one(facts: DripFacts) -> dict:
    tally = _tally(facts, _days_over(facts))
    last = _last_check_in(facts)
    if last is None or (facts.day - last).days >= FALLEN_OFF_DAYS:
        habit = facts.main_habit or (facts.habits[0].name if facts.habits else "your habit")
        since = f"since {long_date(last)}" if last else "yet"
        return {"subject": "Day 21: a way back in", "title": "Three weeks in",
                "lines": [f"No check-ins {since}. That happens to almost everyone, and it doesn't undo what you did.",
                          f"Pick the smallest version of {habit} you can do today, do it, and check it in. "
                          "That's the whole plan."]}
    best = _best_habit(tally)
    goal = next((GOAL_WORDS[g] for g in facts.goals if g in GOAL_WORDS), None)
    lines = []
    if best:
        name, met, needed = best
        who = f"someone who {goal}" if goal else f"someone who does {name}"
        lines.append(f"You're becoming {who}: {name} {met} of {needed} times in three weeks.")
    if tally.consistency is not None:
        lines.append(f"Across all your habits: {_percent(tally.consistency)} of what you planned.")
    return {"subject": f"Day 21: {best[0]} {best[1]} of {best[2]}" if best else "Day 21: three weeks in",
            "title": "Three weeks in", "lines": lines}


def _day_thirty(facts: DripFacts) -> dict:
    tally = _tally(facts, _days_over(facts))
    lines = [f"{_count(tally.check_ins, 'check-in')} in 30 days."]
    if tally.consistency is not None:
        lines.append(f"Consistency: {_percent(tally.consistency)} of what you planned.")
    strengths = []
    schedules = {h.name: h.history.schedule for h in facts.habits}
    best_streak = (0, "")
    for name, (strength, best) in facts.figures.items():
        best_streak = max(best_streak, (best, name))
        when = facts.projections.get(name)
        strengths.append(f"{name}: strength {strength} of 100"
                         + (f", on track to feel automatic around {long_date(when)}" if when else ""))
    if best_streak[0] and best_streak[1] in schedules:
        best, name = best_streak
        lines.append(f"Best streak: {schedules[name].streak_words(best)}, on {name}.")
    return {"subject": f"Your first month: {_count(tally.check_ins, 'check-in')}", "title": "Your first 30 days",
            "lines": lines, "habits": strengths, "invite_analytics": True}


COMPOSERS = {0: _welcome, 3: _day_three, 7: _week_one, 14: _day_fourteen, 21: _day_twenty_one, 30: _day_thirty}


def milestone_day(onboarded_on: date, day: date) -> int:
    return (day - onboarded_on).days


def compose_milestone(facts: DripFacts) -> dict:
    """One milestone's email content, JSON-ready: subject, title, lines, and optional lists."""
    content = COMPOSERS[facts.milestone](facts)
    return {"milestone": facts.milestone, "greeting_name": facts.first_name, **content}
