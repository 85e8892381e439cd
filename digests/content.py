"""What a digest says: a pure function from plain data to a JSON-ready context.

No database, no clock. The loader (digests.selectors) gathers `DigestInputs` for a whole batch
of people; `compose_digest` turns one of them into the dict the email templates render and the
DigestSend row stores, so a digest can be shown again exactly as it was sent.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from coaching.analysis import ACTIVATION_DAY
from habits import schedule, stats
from habits.schedule import HabitHistory, Schedule

from .prompts import choose_prompt

WEEK_LETTERS = "MTWTFSS"
COLOURS = {
    "green": "#2f6f5e", "blue": "#2f5f9e", "purple": "#6b4fa0", "orange": "#c0641a",
    "red": "#b42318", "teal": "#1d8a8a", "grey": "#6b7178",
}

MOODS = {
    # mood: (headline, emoji)
    "perfect": ("Perfect day!", "🔥"),
    "zero": ("Let's get back on track", "🌱"),
    "not_yet": ("Still time today", "⏳"),   # an evening email, nothing done yet: the day is not over
    "rest": ("A rest day", ""),
}

INTROS = {
    ("perfect", "gentle"): "Every habit you planned got done. This is exactly how habits take root.",
    ("perfect", "direct"): "Everything you planned, done. Same again tomorrow.",
    ("partial", "gentle"): "Good progress: every check-in makes the next one easier.",
    ("partial", "direct"): "Some done, some not. Look at what's left and pick the easiest one first.",
    # Fewer than half done is a start, not "good progress".
    ("partial_few", "gentle"): "A start: every check-in makes the next one easier. Aim for one more next time.",
    ("partial_few", "direct"): "Fewer than half done. Pick the easiest one left and do the smallest version of it.",
    ("zero", "gentle"): "Days like this happen to everyone. One small check-in is all it takes to restart.",
    ("zero", "direct"): "Nothing checked in. Pick your easiest habit and do the smallest version of it.",
    ("not_yet", "gentle"): "Nothing checked in yet. One small check-in before the day ends is all today needs.",
    ("not_yet", "direct"): "Nothing checked in yet. Pick your easiest habit and do it before the day ends.",
    ("rest", "gentle"): "Nothing was due this day. Enjoy the breather.",
    ("rest", "direct"): "Nothing was due this day.",
}

# A morning digest reports on yesterday and previews today, so "tomorrow" is today and what is
# left of yesterday can no longer be done.
MORNING_INTROS = {
    **INTROS,
    ("perfect", "direct"): "Everything you planned, done. Same again today.",
    ("partial", "direct"): "Some done, some not. Look at what's planned today and pick the easiest one first.",
    ("partial_few", "direct"): "Fewer than half done. Pick the easiest one planned today and do the smallest version of it.",
    ("zero", "direct"): "Nothing checked in. Pick your easiest habit today and do the smallest version of it.",
}


@dataclass(frozen=True)
class HabitFacts:
    name: str
    history: HabitHistory
    icon: str = ""
    colour: str = "green"
    unit: str = ""
    target_label: str = ""
    planned_time: time | None = None
    # The check-in on the covered day, if any: local time (None when not known), value, note.
    covered_at: time | None = None
    covered_value: float | None = None   # shown even when below target
    covered_note: str = ""


@dataclass(frozen=True)
class DigestInputs:
    day: date                  # the person's local day this digest belongs to
    covered: date              # the day it reports on (yesterday for a morning digest)
    is_morning: bool
    first_name: str = ""
    tone: str = "gentle"
    goals: tuple[str, ...] = ()
    obstacle: str = ""
    coaching_day: int | None = None  # as coaching counts: 1 on the day of the first check-in; None before it
    habits: tuple[HabitFacts, ...] = ()
    tips: tuple = ()           # coaching.selectors.Tip, ranked, flagged insights already excluded
    last_tip_key: str = ""     # the tip the previous digest showed


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def greeting(first_name: str) -> str:
    name = " ".join((first_name or "").split())
    return f"Hi {name}," if name else "Hi there,"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:g} {unit}".strip()


def streak_text(streak: int, habit_schedule: Schedule) -> str:
    if streak <= 0:
        return ""
    unit = habit_schedule.streak_unit
    if unit == "time":
        return f"{streak} in a row"
    return f"{streak}-{unit} streak"


# Days the habit asked for and did not get (yet): an empty circle. Days it asked nothing (before it
# started, not scheduled, skipped, paused) show as a dot, never as a miss.
ASKED_STATES = frozenset({"missed", "open"})


def counts_toward_day(history: HabitHistory, day: date, today: date, still_running: bool = False) -> bool:
    """Does this habit count towards the covered day's "N of M"?

    While the day is still running (an evening email about today) the answer is the Today page's
    own, `schedule.is_due`, so the email and the page give the same "N of M". For a day that is
    over: done always counts, excused never does, and a day off from a flexible habit (3 times a
    week) is no miss while its period can still reach the target, so such a habit counts only when
    done that day or when its period has already failed.
    """
    if still_running:
        return schedule.is_due(history, day)
    if day in history.done:
        return True
    if day < history.start or schedule.is_excused(history, day):
        return False
    if history.schedule.is_flexible:
        return schedule.period_out_of_reach(history, day, today)
    return schedule.is_scheduled(history.schedule, day)


def is_due(history: HabitHistory, day: date) -> bool:
    """Is this habit on the day's list of things to do? Done always is; the rest is the schedule's call."""
    return day in history.done or schedule.is_due(history, day)


def pick_tip(tips, last_key: str):
    """The next tip in rank order after the one sent last time; never the same one twice in a row."""
    if not tips:
        return None
    keys = [tip.key for tip in tips]
    if last_key in keys:
        following = tips[(keys.index(last_key) + 1) % len(tips)]
        return None if following.key == last_key else following
    return tips[0]


def patterns_line(inputs: DigestInputs) -> str:
    """The countdown to pattern coaching, only while it is still ahead.

    The tips say whether coaching already reads patterns, so they decide; the day counts from
    the first check-in, as coaching's activation does.
    """
    if any(tip.is_pattern for tip in inputs.tips):
        return ""
    if inputs.coaching_day is None:
        return f"Your first check-in starts the count: from day {ACTIVATION_DAY} your coach starts spotting patterns in your check-ins."
    if inputs.coaching_day >= ACTIVATION_DAY:
        return ""
    # A count of days to go, not "Day 4": the email's own day numbers count from onboarding.
    left = ACTIVATION_DAY - inputs.coaching_day
    return f"In {left} day{'' if left == 1 else 's'} your coach starts spotting patterns in your check-ins."


def mood_for(done: int, due: int, still_running: bool = False) -> str:
    if due == 0:
        return "rest"
    if done == 0:
        return "not_yet" if still_running else "zero"
    return "perfect" if done >= due else "partial"


def intro_key(mood: str, done: int, due: int) -> str:
    return "partial_few" if mood == "partial" and 2 * done < due else mood


def _covered_status(facts: HabitFacts, covered: date, done: bool, due: bool, state: str, still_running: bool) -> str:
    if done:
        parts = [f"Done at {facts.covered_at:%H:%M}" if facts.covered_at else "Done"]
        if facts.covered_value is not None:
            parts.append(format_value(facts.covered_value, facts.unit))
        return " · ".join(parts)
    if facts.covered_value is not None:
        return f"{format_value(facts.covered_value, facts.unit)} (target {facts.target_label})"
    if state in ("skipped", "paused"):
        return state.capitalize()
    if facts.history.schedule.is_flexible and (still_running or not due):
        return schedule.progress_text(facts.history, covered)   # "1 of 3 this week", as Today shows it
    if not due:
        return "Not planned"
    return "Not done yet" if still_running else "Missed"


def _habit_summary(facts: HabitFacts, inputs: DigestInputs, streak: int, week_days: list[tuple[date, str]]) -> dict:
    history, covered = facts.history, inputs.covered
    done = covered in history.done
    due = counts_toward_day(history, covered, inputs.day, still_running=not inputs.is_morning)
    states = [stats.day_state(history, day, inputs.day) for day, _ in week_days]
    week = [
        {"letter": WEEK_LETTERS[day.weekday()], "label": f"{label}: {stats.DAY_STATE_WORDS[state]}", "filled": state == "done",
         "asked": state in ASKED_STATES}
        for (day, label), state in zip(week_days, states)
    ]
    return {
        "name": facts.name,
        "icon": facts.icon,
        "colour": COLOURS.get(facts.colour, COLOURS["green"]),
        "done": done,
        "due": due,
        "status": _covered_status(facts, covered, done, due, states[-1], still_running=not inputs.is_morning),
        "note": facts.covered_note,
        "streak": streak,
        "streak_text": streak_text(streak, history.schedule),
        "week": week,
        "week_text": "".join("●" if cell["filled"] else "○" if cell["asked"] else "·" for cell in week),
    }


def _at_risk(inputs: DigestInputs, streaks: list[int]) -> dict | None:
    """The longest daily streak that breaks if today goes by without a check-in."""
    candidates = [
        (streak, facts) for facts, streak in zip(inputs.habits, streaks)
        if streak >= 2 and not facts.history.schedule.is_flexible
        and inputs.day not in facts.history.done and schedule.is_due(facts.history, inputs.day)
    ]
    if not candidates:
        return None
    streak, facts = max(candidates, key=lambda pair: pair[0])
    when = "today" if inputs.is_morning else "before the day ends"
    text = streak_text(streak, facts.history.schedule)
    return {"name": facts.name, "streak_text": text, "text": f"Check in {facts.name} {when} to keep your {text} alive."}


def _preview(inputs: DigestInputs, streaks: list[int]) -> list[dict]:
    preview = []
    for facts, streak in zip(inputs.habits, streaks):
        if is_due(facts.history, inputs.day):
            preview.append({
                "name": facts.name, "icon": facts.icon, "done": inputs.day in facts.history.done,
                "planned": f"{facts.planned_time:%H:%M}" if facts.planned_time else "",
                "streak_text": streak_text(streak, facts.history.schedule),
            })
    return preview


def compose_digest(inputs: DigestInputs) -> dict:
    """The whole digest for one person and one day, as plain JSON-ready data."""
    streaks = [stats.current_streak(facts.history, inputs.day) for facts in inputs.habits]
    week_days = [(day, short_date(day)) for day in (inputs.covered - timedelta(days=n) for n in range(6, -1, -1))]
    habits = [
        _habit_summary(facts, inputs, streak, week_days)
        for facts, streak in zip(inputs.habits, streaks)
        if inputs.covered >= facts.history.start or inputs.covered in facts.history.done
    ]
    due = sum(1 for h in habits if h["due"])
    done = sum(1 for h in habits if h["due"] and h["done"])
    mood = mood_for(done, due, still_running=not inputs.is_morning)
    headline, emoji = MOODS.get(mood, (f"{done} of {due} done", ""))
    tone = inputs.tone if inputs.tone in ("gentle", "direct") else "gentle"
    tip = pick_tip(inputs.tips, inputs.last_tip_key)
    prompt_key, prompt_text = choose_prompt(inputs.goals, inputs.obstacle, inputs.day, is_morning=inputs.is_morning)
    if inputs.is_morning:
        covered_label = f"Yesterday, {long_date(inputs.covered)}"
    else:
        covered_label = f"Today, {long_date(inputs.covered)}"
    return {
        "day": inputs.day.isoformat(),
        "covered": inputs.covered.isoformat(),
        "is_morning": inputs.is_morning,
        "mood": mood,
        "headline": headline,
        "emoji": emoji,
        "short_date": short_date(inputs.day),
        "covered_day": f"{inputs.covered:%A}",   # the day the numbers cover names the email: "Monday: 3 of 6 done"
        "covered_label": covered_label,
        "greeting": greeting(inputs.first_name),
        "intro": (MORNING_INTROS if inputs.is_morning else INTROS)[(intro_key(mood, done, due), tone)],
        "still_time": mood in ("zero", "partial") and not inputs.is_morning,
        "done_count": done,
        "due_count": due,
        "percent": round(100 * done / due) if due else 0,
        "habits": habits,
        "at_risk": _at_risk(inputs, streaks),
        "today": _preview(inputs, streaks) if inputs.is_morning else [],
        "today_label": long_date(inputs.day),
        "tip": {"key": tip.key, "title": tip.title, "text": tip.text, "is_pattern": tip.is_pattern} if tip else None,
        "coaching_day": inputs.coaching_day,
        "activation_day": ACTIVATION_DAY,
        "patterns_line": patterns_line(inputs),
        "prompt": {"key": prompt_key, "text": prompt_text},
    }
