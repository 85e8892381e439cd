"""Back up for Loop: a zip laid out as Loop Habit Tracker's Export as CSV lays it out.

Habits.csv in Loop's current 12 columns; one `NNN name/` folder per habit with Checkmarks.csv
(newest first: YES_MANUAL, SKIP, a number habit's amount x 1000, and a note on a day with
neither as NO, or UNKNOWN on a number habit where NO would read back as a check-in of 0) and
Scores.csv (our strength, which is Loop's score); and the Checkmarks.csv and Scores.csv tables
of all habits by day. CSV as Loop's writer (opencsv) writes it: a field is quoted only when it
holds a comma, quote or line break, quotes doubled, lines end with "\n".

Loop cannot say "on these weekdays": such habits go out as k times in 7 days.
"""

import io
import zipfile
from collections import defaultdict
from datetime import date, timedelta

from . import stats
from .loop_import import LOOP_COLOURS, NEW_HABIT_COLUMNS, loop_folder_name
from .models import CheckIn, DayNote, Habit, Pause, Skip, TargetType
from .selectors import build_history


def _field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(rows) -> str:
    return "".join(",".join(_field(cell) for cell in row) + "\n" for row in rows)


def _amount(value: float) -> str:
    return str(round(value * 1000))


def _habit_row(number: int, habit: Habit) -> list[str]:
    numerator, denominator = habit.schedule.loop_frequency
    numerical = habit.is_measurable
    return [
        f"{number:03d}", habit.name, "NUMERICAL" if numerical else "YES_NO", "", habit.description,
        str(numerator), str(denominator), LOOP_COLOURS.get(habit.colour, LOOP_COLOURS["green"]),
        habit.unit if numerical else "",
        ("AT_MOST" if habit.target_type == TargetType.AT_MOST else "AT_LEAST") if numerical else "",
        repr(float(habit.target)) if numerical and habit.target is not None else "",
        "true" if habit.archived_at else "false",
    ]


def loop_backup(user, today: date) -> bytes:
    habits = list(Habit.objects.for_user(user).order_by("position", "id"))
    ids = [h.pk for h in habits]
    checkins, skips, notes = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    pauses = defaultdict(list)
    for habit_id, day, value, note in CheckIn.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "value", "note"):
        checkins[habit_id][day] = (value, note)
    for habit_id, day, note in Skip.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "note"):
        skips[habit_id][day] = note
    for habit_id, day, text in DayNote.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "text"):
        notes[habit_id][day] = text
    for habit_id, start, end in Pause.objects.filter(habit_id__in=ids).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Habits.csv", _csv([NEW_HABIT_COLUMNS, *(_habit_row(n, h) for n, h in enumerate(habits, start=1))]))
        values, scores = [], []
        for number, habit in enumerate(habits, start=1):
            days = _day_values(habit, checkins[habit.pk], skips[habit.pk], notes[habit.pk])
            history = build_history(habit, {d: v for d, (v, _) in checkins[habit.pk].items()}, skips[habit.pk], pauses[habit.pk])
            series = dict(stats.strength_series(history, today))
            folder = loop_folder_name(number, habit.name)
            archive.writestr(f"{folder}/Scores.csv", _csv([["Date", "Score"], *([d.isoformat(), f"{s:.4f}"] for d, s in sorted(series.items(), reverse=True))]))
            archive.writestr(f"{folder}/Checkmarks.csv", _csv([["Date", "Value", "Notes"], *([d.isoformat(), v, n] for d, (v, n) in sorted(days.items(), reverse=True))]))
            values.append(days)
            scores.append(series)
        first = min((min(days) for days in values if days), default=None)
        archive.writestr("Scores.csv", _table(habits, first, today, [lambda d, s=s: f"{s.get(d, 0.0):.4f}" for s in scores]))
        archive.writestr("Checkmarks.csv", _table(habits, first, today, [lambda d, v=v: v.get(d, ("UNKNOWN",))[0] for v in values]))
    return buffer.getvalue()


def _day_values(habit: Habit, checkins: dict, skips: dict, notes: dict) -> dict[date, tuple[str, str]]:
    """Each day the habit knows something about, as Loop's (Value, Notes)."""
    days = {day: ("UNKNOWN" if habit.is_measurable else "NO", text) for day, text in notes.items()}
    days.update({day: ("SKIP", note) for day, note in skips.items()})
    for day, (value, note) in checkins.items():
        days[day] = (_amount(value or 0.0) if habit.is_measurable else "YES_MANUAL", note)
    return days


def _table(habits: list[Habit], first: date | None, today: date, cells) -> str:
    """Loop's all-habits table: a header of names and a row per day, newest first, each cell followed by a comma."""
    lines = ["Date," + "".join(f"{h.name}," for h in habits)]
    day = today
    while first is not None and day >= first:
        lines.append(f"{day.isoformat()}," + "".join(f"{cell(day)}," for cell in cells))
        day -= timedelta(days=1)
    return "\n".join(lines) + "\n"
