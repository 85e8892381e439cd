"""Back up for Loop, in the two shapes Loop Habit Tracker writes.

loop_backup: a zip laid out as Loop's Export as CSV lays it out. Habits.csv in Loop's current
12 columns; one `NNN name/` folder per habit with Checkmarks.csv and Scores.csv (our strength,
which is Loop's score); and the Checkmarks.csv and Scores.csv tables of all habits by day. CSV
as Loop's writer (opencsv) writes it: a field is quoted only when it holds a comma, quote or
line break, quotes doubled, lines end with "\n". Cadence imports it; Loop cannot.

loop_database: Loop's own SQLite database at version 25, the file Loop's Export full backup
writes and its Import data (LoopDBImporter) reads: a Habits row per habit and a Repetitions row
per day. Loop computes scores and streaks itself, so none are written.

Both write the same days (loop_entries): a check-in is YES_MANUAL or a number habit's amount
x 1000, a skip is SKIP, and a note on a day with neither is UNKNOWN with the note, which is
what Loop keeps when a note is saved on an empty day (NO would read back as a check-in of 0 on
a number habit). Loop cannot say "on these weekdays": such habits go out as k times in 7 days.
"""

import io
import sqlite3
import tempfile
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import stats
from .loop_import import (
    LOOP_COLOURS,
    LOOP_PALETTE,
    NEW_HABIT_COLUMNS,
    SKIP,
    UNKNOWN,
    VALUE_NAMES,
    YES_MANUAL,
    loop_folder_name,
)
from .models import CheckIn, Colour, DayNote, Habit, Pause, Skip, TargetType
from .selectors import build_history

VALUE_CODES = {code: name for name, code in VALUE_NAMES.items()}
DAY_MILLISECONDS = 86_400_000
EPOCH = date(1970, 1, 1)
LOOP_DATABASE_VERSION = 25  # DATABASE_VERSION in Loop's core/Constants.kt

# Loop's tables as SQLite records them once Loop's migrations 09.sql to 25.sql have run (the
# spacing is what ALTER TABLE ... ADD COLUMN leaves), created in the order those migrations
# create them, so the file reads the same as a database Loop migrated itself.
LOOP_SCHEMA = (
    (
        "CREATE TABLE Habits ( id integer primary key autoincrement, archived integer, color integer,"
        " description text, freq_den integer, freq_num integer, highlight integer, name text, position integer,"
        " reminder_hour integer, reminder_min integer , reminder_days integer not null default 127,"
        " type integer not null default 0, target_type integer not null default 0,"
        ' target_value real not null default 0, unit text not null default "", question text, uuid text)'
    ),
    "CREATE TABLE Events ( id integer primary key autoincrement, timestamp integer, message text, server_id integer )",
    (
        "CREATE TABLE Repetitions ( id integer primary key autoincrement, habit integer not null references habits(id),"
        " timestamp integer not null, value integer not null, notes text)"
    ),
    "CREATE UNIQUE INDEX idx_repetitions_habit_timestamp on Repetitions( habit, timestamp)",
)
HABIT_COLUMNS = (
    "id", "archived", "color", "description", "freq_den", "freq_num", "highlight", "name", "position",
    "reminder_hour", "reminder_min", "reminder_days", "type", "target_type", "target_value", "unit", "question", "uuid",
)


@dataclass(frozen=True)
class LoopEntry:
    """One day of one habit as Loop stores it (its Entry)."""

    value: int       # YES_MANUAL, SKIP, UNKNOWN, or a number habit's amount x 1000
    notes: str
    is_amount: bool  # value is an amount, not one of Loop's codes (an amount can equal a code)


@dataclass(frozen=True)
class LoopHabitRow:
    """One habit in Loop's terms: what Habits.csv and the Habits table both say."""

    numerical: bool
    question: str            # Loop's prompt; ours is empty, the description carries our text
    description: str
    numerator: int
    denominator: int
    colour: str              # a colour of LOOP_PALETTE
    unit: str                # empty unless numerical
    at_most: bool            # a numerical habit's target is a ceiling
    target: float | None     # numerical habits only
    archived: bool


def loop_habit_row(habit: Habit) -> LoopHabitRow:
    numerator, denominator = habit.schedule.loop_frequency
    numerical = habit.is_measurable
    return LoopHabitRow(
        numerical=numerical, question="", description=habit.description,
        numerator=numerator, denominator=denominator,
        colour=LOOP_COLOURS.get(habit.colour, LOOP_COLOURS[Colour.GREEN]),
        unit=habit.unit if numerical else "",
        at_most=numerical and habit.target_type == TargetType.AT_MOST,
        target=float(habit.target) if numerical and habit.target is not None else None,
        archived=habit.archived_at is not None,
    )


def loop_entries(habit: Habit, checkins: dict, skips: dict, notes: dict) -> dict[date, LoopEntry]:
    """Each day the habit knows something about, as Loop's value and notes."""
    days = {day: LoopEntry(UNKNOWN, text, False) for day, text in notes.items()}
    days.update({day: LoopEntry(SKIP, note, False) for day, note in skips.items()})
    for day, (value, note) in checkins.items():
        days[day] = LoopEntry(round((value or 0.0) * 1000), note, True) if habit.is_measurable else LoopEntry(YES_MANUAL, note, False)
    return days


def _load(user):
    """Every habit of the person in our order, with its check-ins, skips and notes by habit id and day."""
    habits = list(Habit.objects.for_user(user).order_by("position", "id"))
    ids = [h.pk for h in habits]
    checkins, skips, notes = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    for habit_id, day, value, note in CheckIn.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "value", "note"):
        checkins[habit_id][day] = (value, note)
    for habit_id, day, note in Skip.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "note"):
        skips[habit_id][day] = note
    for habit_id, day, text in DayNote.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "text"):
        notes[habit_id][day] = text
    return habits, checkins, skips, notes


# The CSV zip ------------------------------------------------------------------------------

def _field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(rows) -> str:
    return "".join(",".join(_field(cell) for cell in row) + "\n" for row in rows)


def _habit_row(number: int, habit: Habit) -> list[str]:
    loop = loop_habit_row(habit)
    return [
        f"{number:03d}", habit.name, "NUMERICAL" if loop.numerical else "YES_NO", loop.question, loop.description,
        str(loop.numerator), str(loop.denominator), loop.colour, loop.unit,
        ("AT_MOST" if loop.at_most else "AT_LEAST") if loop.numerical else "",
        repr(loop.target) if loop.target is not None else "",
        "true" if loop.archived else "false",
    ]


def _csv_value(entry: LoopEntry) -> str:
    return str(entry.value) if entry.is_amount else VALUE_CODES[entry.value]


def loop_backup(user, today: date) -> bytes:
    habits, checkins, skips, notes = _load(user)
    pauses = defaultdict(list)
    for habit_id, start, end in Pause.objects.filter(habit_id__in=[h.pk for h in habits]).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Habits.csv", _csv([NEW_HABIT_COLUMNS, *(_habit_row(n, h) for n, h in enumerate(habits, start=1))]))
        values, scores = [], []
        for number, habit in enumerate(habits, start=1):
            days = {day: (_csv_value(e), e.notes) for day, e in loop_entries(habit, checkins[habit.pk], skips[habit.pk], notes[habit.pk]).items()}
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


def _table(habits: list[Habit], first: date | None, today: date, cells) -> str:
    """Loop's all-habits table: a header of names and a row per day, newest first, each cell followed by a comma."""
    lines = ["Date," + "".join(f"{h.name}," for h in habits)]
    day = today
    while first is not None and day >= first:
        lines.append(f"{day.isoformat()}," + "".join(f"{cell(day)}," for cell in cells))
        day -= timedelta(days=1)
    return "\n".join(lines) + "\n"


# The Loop database ------------------------------------------------------------------------

def loop_timestamp(day: date) -> int:
    """Loop's Timestamp of a day: milliseconds since the epoch at UTC midnight of that date."""
    return (day - EPOCH).days * DAY_MILLISECONDS


def _database_habit_row(habit_id: int, position: int, habit: Habit) -> tuple:
    loop = loop_habit_row(habit)
    # No reminder is reminder_days 0 with no hour and minute, as Loop's HabitRecord writes it.
    return (
        habit_id, int(loop.archived), LOOP_PALETTE.index(loop.colour), loop.description, loop.denominator, loop.numerator,
        0, habit.name, position, None, None, 0, int(loop.numerical), int(loop.at_most), loop.target or 0.0, loop.unit,
        loop.question, uuid.uuid4().hex,
    )


def loop_database(user) -> bytes:
    habits, checkins, skips, notes = _load(user)
    habit_rows, repetitions = [], []
    for position, habit in enumerate(habits):
        habit_id = position + 1
        habit_rows.append(_database_habit_row(habit_id, position, habit))
        entries = loop_entries(habit, checkins[habit.pk], skips[habit.pk], notes[habit.pk])
        repetitions.extend((habit_id, loop_timestamp(day), e.value, e.notes) for day, e in sorted(entries.items()))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "loop.db"
        database = sqlite3.connect(path)
        try:
            with database:
                for statement in LOOP_SCHEMA:
                    database.execute(statement)
                database.executemany(f"INSERT INTO Habits ({', '.join(HABIT_COLUMNS)}) VALUES ({', '.join('?' * len(HABIT_COLUMNS))})", habit_rows)
                database.executemany("INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)", repetitions)
            database.execute(f"PRAGMA user_version = {LOOP_DATABASE_VERSION}")
        finally:
            database.close()
        return path.read_bytes()
