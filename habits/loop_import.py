"""Loop Habit Tracker backups in: the zip Loop writes with Settings → Export as CSV.

Two formats, told apart by what Habits.csv's header says (never by file names):
- Loop 2.3.1 and later: Habits.csv has 12 columns (Position, Name, Type, ..., Archived?); each
  habit's `NNN name/Checkmarks.csv` starts with `Date,Value,Notes` and names its values
  (YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN) or, for number habits, writes the amount x 1000.
- Loop 2.3.0 and earlier: Habits.csv has 7 columns and no type; Checkmarks.csv has no header and
  numeric codes (2 YES_MANUAL, 1 YES_AUTO, 0 NO, 3 SKIP, -1 UNKNOWN). A habit with any other
  value is a number habit, imported without a target (the file does not say it).

What the values mean here: YES_MANUAL is a check-in; YES_AUTO is Loop's own fill for k-in-N
habits (also dated after today), never a check-in; SKIP is a skip; NO on a number habit is a
check-in of 0; UNKNOWN is nothing. A note on a day with neither a check-in nor a skip is a
DayNote.

Everything is read and checked first, within the size limits below, counted while
decompressing; any fault stops the import with one line naming the file and line, and nothing
is stored. Then one short transaction inserts it all in bulk.
"""

import csv
import io
import math
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import PurePosixPath

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.tasks import enqueue_after_commit

from .days import local_noon, today_for, utc_offset_minutes
from .models import (
    MAX_PERIOD_DAYS,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    CheckIn,
    Colour,
    DayNote,
    Habit,
    HabitCheckpoint,
    HabitKind,
    LoopImport,
    ScheduleKind,
    Skip,
    TargetType,
)
from .schedule import Schedule

MAX_UPLOAD_BYTES = 20 * 1024 * 1024    # a real Loop backup of years of habits is a few hundred kB
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # counted while decompressing: zip headers can lie
MAX_ROWS = 500_000                     # about 1,400 years of daily check-ins
MAX_HABITS = 1_000
BACKGROUND_ROWS = 5_000                # above this an import runs as a task, not inside the web request
EARLIEST_DAY = date(2000, 1, 1)
MAX_AMOUNT = 1_000_000                 # the same ceiling as a habit's target
DESCRIPTION_MAX_LENGTH = Habit._meta.get_field("description").max_length
UNIT_MAX_LENGTH = Habit._meta.get_field("unit").max_length
FROM_LOOP = "from Loop"

NEW_HABIT_COLUMNS = [
    "Position", "Name", "Type", "Question", "Description", "FrequencyNumerator", "FrequencyDenominator",
    "Color", "Unit", "Target Type", "Target Value", "Archived?",
]
OLD_HABIT_COLUMNS = ["Position", "Name", "Question", "Description", "NumRepetitions", "Interval", "Color"]
CHECKMARK_HEADER = ["Date", "Value", "Notes"]

YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN = 2, 1, 0, 3, -1
VALUE_NAMES = {"YES_MANUAL": YES_MANUAL, "YES_AUTO": YES_AUTO, "NO": NO, "SKIP": SKIP, "UNKNOWN": UNKNOWN}
YES_NO_CODES = set(VALUE_NAMES.values())
HABIT_TYPES = {"YES_NO": False, "NUMERICAL": True, "0": False, "1": True}
TARGET_TYPES = {"AT_LEAST": TargetType.AT_LEAST, "AT_MOST": TargetType.AT_MOST, "0": TargetType.AT_LEAST, "1": TargetType.AT_MOST}
WHOLE_NUMBER = re.compile(r"-?\d{1,12}")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6})")
LOOP_FOLDER_CHARACTERS = re.compile(r"[^ a-zA-Z0-9._-]+")

# Each of our colours as a colour of Loop's palette; a Loop colour comes in as the nearest of these.
LOOP_COLOURS = {
    Colour.RED: "#D32F2F",
    Colour.ORANGE: "#F57C00",
    Colour.GREEN: "#388E3C",
    Colour.TEAL: "#00897B",
    Colour.BLUE: "#1976D2",
    Colour.PURPLE: "#8E24AA",
    Colour.GREY: "#757575",
}
# Loop's palette in its order (PaletteColor.toCsvColor): a Loop database stores a colour as its index here.
LOOP_PALETTE = [
    "#D32F2F", "#E64A19", "#F57C00", "#FF8F00", "#F9A825", "#AFB42B", "#7CB342", "#388E3C", "#00897B", "#00ACC1",
    "#039BE5", "#1976D2", "#303F9F", "#5E35B1", "#8E24AA", "#D81B60", "#5D4037", "#303030", "#757575", "#aaaaaa",
]


class LoopImportError(Exception):
    """The file is not a Loop backup we can read, in one line; nothing was imported."""


def _fail(path: str, line: int, problem: str):
    raise LoopImportError(f"{path} line {line}: {problem}")


@dataclass
class Mark:
    day: date
    kind: str                  # "check-in", "skip" or "note"
    value: float | None = None  # number habits: the amount in real units
    note: str = ""


@dataclass
class LoopHabit:
    position: int
    name: str
    description: str
    numerical: bool
    numerator: int
    denominator: int
    colour: str
    unit: str
    target_type: str
    target: float | None
    archived: bool
    first_day: date | None     # the oldest day the file knows about (Loop scores from there)
    marks: list[Mark]


@dataclass
class ImportResult:
    habits_created: int = 0
    habits_merged: int = 0
    checkins: int = 0
    skips: int = 0
    notes: int = 0
    notices: list[str] = field(default_factory=list)  # one line per special case, for the person

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def nothing_new(self) -> bool:
        return not (self.habits_created or self.checkins or self.skips or self.notes)

    @property
    def summary(self) -> str:
        """One sentence for the person: what came in, or that nothing new did."""
        if self.nothing_new:
            are = "is" if self.habits_merged == 1 else "are"
            return f"Nothing new: the {_count(self.habits_merged, 'habit')} in this backup {are} already here, with every day."
        kinds = [f"{self.habits_created:,} new"] if self.habits_created else []
        kinds += [f"{self.habits_merged:,} already here"] if self.habits_merged else []
        marks = [_count(self.checkins, "check-in")]
        marks += [_count(self.skips, "skip")] if self.skips else []
        marks += [_count(self.notes, "note")] if self.notes else []
        listed = ", ".join(marks[:-1]) + " and " + marks[-1] if len(marks) > 1 else marks[0]
        return f"Imported {_count(self.habits_created + self.habits_merged, 'habit')} ({', '.join(kinds)}), {listed}."


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


# Reading the zip ---------------------------------------------------------------------------

def unpack(data: bytes) -> dict[str, str]:
    """Habits.csv and every habit's Checkmarks.csv as text, keyed by path inside the zip.

    Only these are decompressed, and only up to MAX_UNPACKED_BYTES in all, counted as the
    bytes come out.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise LoopImportError("That file is larger than 20 MB; a Loop backup is much smaller.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise LoopImportError("That is not a zip file. In Loop, choose Settings → Export as CSV and upload the zip it makes.") from None
    texts = {}
    budget = MAX_UNPACKED_BYTES
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name not in ("Habits.csv", "Checkmarks.csv"):
            continue
        if info.flag_bits & 0x1:
            raise LoopImportError(f"{info.filename} is encrypted; export from Loop again without a password.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LoopImportError(f"{info.filename} is compressed in a way Loop never uses; export from Loop again.")
        chunks = []
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise LoopImportError("That zip unpacks to more than 20 MB; a Loop backup is much smaller.")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise LoopImportError(f"{info.filename} is damaged inside the zip; export from Loop again.") from None
        try:
            texts[info.filename] = b"".join(chunks).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = b"".join(chunks)[: error.start].count(b"\n") + 1
            _fail(info.filename, line, "this is not UTF-8 text, so not a file Loop wrote")
    return texts


def estimated_rows(texts: dict[str, str]) -> int:
    return sum(text.count("\n") for text in texts.values())


class _Reader:
    """Parses the unpacked files, counting rows against the limit as it goes."""

    def __init__(self, texts: dict[str, str], today: date):
        self.texts = texts
        self.today = today
        self.rows = 0
        self.notices: list[str] = []
        self.shortened_notes = 0

    def records(self, path: str):
        """(line number where the record starts, cells) for every non-blank CSV record."""
        text = self.texts[path]
        if "\x00" in text:
            _fail(path, text.count("\n", 0, text.index("\x00")) + 1, "contains a NUL character, which is not text; remove it and try again")
        reader = csv.reader(io.StringIO(text, newline=""))
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                problem = "a field is longer than 131,072 characters" if "field limit" in str(error) else f"this is not valid CSV ({error})"
                _fail(path, line, problem)
            if any(cell.strip() for cell in cells):
                self.rows += 1
                if self.rows > MAX_ROWS:
                    _fail(path, line, f"the backup has more than {MAX_ROWS:,} rows, more than we import at once")
                yield line, cells
            line = reader.line_num + 1

    def habits(self) -> list[LoopHabit]:
        habits_path = self._habits_path()
        root = PurePosixPath(habits_path).parent
        folders = {
            PurePosixPath(path).parent.name: path for path in self.texts
            if PurePosixPath(path).name == "Checkmarks.csv" and PurePosixPath(path).parent.parent == root
        }
        records = self.records(habits_path)
        first = next(records, None)
        if first is None:
            raise LoopImportError(f"{habits_path} is empty.")
        header = [cell.strip() for cell in first[1]]
        if header not in (NEW_HABIT_COLUMNS, OLD_HABIT_COLUMNS):
            _fail(habits_path, first[0], "these are not Loop's columns (Position, Name, Type, Question, … or Position, Name, Question, …)")
        habits, positions = [], set()
        for line, cells in records:
            if len(habits) == MAX_HABITS:
                _fail(habits_path, line, f"more than {MAX_HABITS:,} habits, more than we import at once")
            if len(cells) != len(header):
                _fail(habits_path, line, f"expected {len(header)} columns, found {len(cells)}")
            habit = self._habit(habits_path, line, dict(zip(header, cells)))
            if habit.position in positions:
                _fail(habits_path, line, f"position {habit.position:03d} appears twice")
            positions.add(habit.position)
            folder = _folder_for(habit, folders)
            if folder is not None:
                self._read_checkmarks(folders[folder], habit, old_format=header == OLD_HABIT_COLUMNS)
            habits.append(habit)
        if not habits:
            raise LoopImportError(f"{habits_path} lists no habits, so there is nothing to import.")
        return habits

    def _habits_path(self) -> str:
        candidates = sorted((p for p in self.texts if PurePosixPath(p).name == "Habits.csv"), key=lambda p: len(PurePosixPath(p).parts))
        if not candidates:
            raise LoopImportError("This zip has no Habits.csv, so it is not a Loop Habit Tracker backup.")
        return candidates[0]

    def _habit(self, path: str, line: int, row: dict) -> LoopHabit:
        old = "NumRepetitions" in row
        position = _whole_number(path, line, row["Position"], "position", 1, 10 * MAX_HABITS)
        name = row["Name"].strip()
        if not name:
            _fail(path, line, "the habit has no name")
        if len(name) > NAME_MAX_LENGTH:
            self.notices.append(f"“{name[:60]}…” has a name of {len(name):,} characters; it is shortened to {NAME_MAX_LENGTH}.")
            name = _shorten(name, NAME_MAX_LENGTH)
        numerator = _whole_number(path, line, row["NumRepetitions" if old else "FrequencyNumerator"], "frequency", 1, MAX_PERIOD_DAYS)
        denominator = _whole_number(path, line, row["Interval" if old else "FrequencyDenominator"], "frequency", 1, MAX_PERIOD_DAYS)
        if numerator > denominator:
            _fail(path, line, f"{numerator} times in {denominator} days is more times than days")
        description = "\n\n".join(part.strip() for part in (row["Question"], row["Description"]) if part.strip())
        if len(description) > DESCRIPTION_MAX_LENGTH:
            self.notices.append(f"“{name}”: the question and description are shortened to {DESCRIPTION_MAX_LENGTH:,} characters.")
            description = _shorten(description, DESCRIPTION_MAX_LENGTH)
        colour = HEX_COLOUR.fullmatch(row["Color"].strip())
        if colour is None:
            _fail(path, line, f"“{row['Color']}” is not a colour (#RRGGBB)")
        habit = LoopHabit(
            position=position, name=name, description=description, numerical=False,
            numerator=numerator, denominator=denominator, colour=_nearest_colour(colour.group(1)),
            unit="", target_type=TargetType.AT_LEAST, target=None, archived=False, first_day=None, marks=[],
        )
        if old:
            return habit
        if row["Type"].strip() not in HABIT_TYPES:
            _fail(path, line, f"“{row['Type']}” is not a habit type (YES_NO or NUMERICAL)")
        archived = row["Archived?"].strip().lower()
        if archived not in ("true", "false"):
            _fail(path, line, f"“{row['Archived?']}” is not true or false")
        habit.archived = archived == "true"
        habit.numerical = HABIT_TYPES[row["Type"].strip()]
        if habit.numerical:
            if row["Target Type"].strip() not in TARGET_TYPES:
                _fail(path, line, f"“{row['Target Type']}” is not a target type (AT_LEAST or AT_MOST)")
            habit.target_type = TARGET_TYPES[row["Target Type"].strip()]
            habit.target = _target(path, line, row["Target Value"])
            habit.unit = row["Unit"].strip()
            if len(habit.unit) > UNIT_MAX_LENGTH:
                self.notices.append(f"“{name}”: the unit is shortened to {UNIT_MAX_LENGTH} characters.")
                habit.unit = _shorten(habit.unit, UNIT_MAX_LENGTH)
        return habit

    def _read_checkmarks(self, path: str, habit: LoopHabit, old_format: bool):
        rows = []
        seen = {}
        for line, cells in self.records(path):
            if [cell.strip() for cell in cells] == CHECKMARK_HEADER and not rows and not seen:
                continue
            if len(cells) not in (2, 3):
                _fail(path, line, f"expected {'date,value' if old_format else 'Date,Value,Notes'}, found {len(cells)} columns")
            day = _day(path, line, cells[0].strip())
            if day in seen:
                _fail(path, line, f"{day} appears twice (first on line {seen[day]})")
            seen[day] = line
            rows.append((line, day, _code(path, line, cells[1].strip()), cells[2] if len(cells) == 3 else ""))
        if old_format and any(code not in YES_NO_CODES for _, _, code, _ in rows):
            habit.numerical = True
            self.notices.append(
                f"“{habit.name}” is a number habit from an older Loop backup, which does not say its target or unit; "
                "it came in without a target: set one on the habit's page."
            )
        known = [day for _, day, code, _ in rows if code != UNKNOWN and day <= self.today]
        habit.first_day = min(known, default=None)
        for line, day, code, note in rows:
            mark = self._mark(path, line, habit, day, code, note)
            if mark is not None:
                habit.marks.append(mark)

    def _mark(self, path: str, line: int, habit: LoopHabit, day: date, code: int, note: str) -> Mark | None:
        if len(note) > NOTE_MAX_LENGTH:
            self.shortened_notes += 1
            note = _shorten(note, NOTE_MAX_LENGTH)
        if habit.numerical and code not in (UNKNOWN, YES_AUTO, SKIP):
            # Loop writes a number habit's amounts x 1000, naming the few that collide with its codes.
            mark = Mark(day, "check-in", value=code / 1000, note=note)
        elif not habit.numerical and code not in YES_NO_CODES:
            _fail(path, line, f"“{code}” is not a yes/no value (YES_MANUAL, YES_AUTO, NO, SKIP or UNKNOWN)")
        elif code == YES_MANUAL:
            mark = Mark(day, "check-in", note=note)
        elif code == SKIP:
            mark = Mark(day, "skip", note=note)
        elif note:
            mark = Mark(day, "note", note=note)
        else:
            return None
        if mark.kind != "note" and day > self.today:
            _fail(path, line, f"{day} is after today ({self.today}); a check-in or skip cannot be in the future")
        return mark


def _shorten(text: str, length: int) -> str:
    return text[: length - 1] + "…"


def _whole_number(path, line, text, what, low, high) -> int:
    text = text.strip()
    if not WHOLE_NUMBER.fullmatch(text) or not low <= int(text) <= high:
        _fail(path, line, f"“{text}” is not a {what} from {low} to {high:,}")
    return int(text)


def _target(path, line, text) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        target = float(text)
    except ValueError:
        target = math.nan
    if not math.isfinite(target) or not 0 <= target <= MAX_AMOUNT:
        _fail(path, line, f"target “{text}” is not a number from 0 to {MAX_AMOUNT:,}")
    return target


def _day(path, line, text) -> date:
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        _fail(path, line, f"“{text}” is not a date (YYYY-MM-DD)")
    if day < EARLIEST_DAY:
        _fail(path, line, f"{text} is before {EARLIEST_DAY}")
    return day


def _code(path, line, text) -> int:
    """A value as Loop's integer: a name, a code or a number habit's amount x 1000."""
    if text in VALUE_NAMES:
        return VALUE_NAMES[text]
    if not WHOLE_NUMBER.fullmatch(text) or not UNKNOWN <= int(text) <= MAX_AMOUNT * 1000:
        _fail(path, line, f"“{text}” is not a Loop value (a value name, or a whole number from 0 to {MAX_AMOUNT * 1000:,})")
    return int(text)


def loop_folder_name(position: int, name: str) -> str:
    """The folder Loop gives a habit: its position and its name without characters that are unsafe in file names."""
    return f"{position:03d} {LOOP_FOLDER_CHARACTERS.sub('', name)[:100]}".strip()


def _folder_for(habit: LoopHabit, folders: dict[str, str]) -> str | None:
    """Loop's folder for the habit; failing an exact match (an older Loop's file-name rules), the one with its position."""
    exact = loop_folder_name(habit.position, habit.name)
    if exact in folders:
        return exact
    same_position = [f for f in folders if f.split(" ", 1)[0] == f"{habit.position:03d}"]
    return same_position[0] if len(same_position) == 1 else None


def _nearest_colour(hex_digits: str) -> str:
    def rgb(digits):
        return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))

    wanted = rgb(hex_digits)
    return min(LOOP_COLOURS, key=lambda c: sum((a - b) ** 2 for a, b in zip(rgb(LOOP_COLOURS[c][1:]), wanted)))


@dataclass
class Backup:
    habits: list[LoopHabit]
    notices: list[str]


def read_backup(texts: dict[str, str], today: date) -> Backup:
    reader = _Reader(texts, today)
    habits = reader.habits()
    notices = reader.notices
    if reader.shortened_notes:
        notices.append(f"{reader.shortened_notes} notes longer than {NOTE_MAX_LENGTH:,} characters are shortened.")
    return Backup(habits, notices)


# Storing it --------------------------------------------------------------------------------

def _same_habit(habit: Habit, loop_habit: LoopHabit) -> bool:
    """Whether Loop's habit may add days to ours: same kind, frequency and (number habits) target type."""
    loop_schedule = Schedule(times=loop_habit.numerator, days=loop_habit.denominator)
    ours = habit.schedule
    kind = HabitKind.MEASURABLE if loop_habit.numerical else HabitKind.BOOLEAN
    return (
        habit.kind == kind
        and not ours.weekdays
        and (ours.times, ours.days) == (loop_schedule.times, loop_schedule.days)
        and (not loop_habit.numerical or habit.target_type == loop_habit.target_type)
    )


def _candidate_names(name: str):
    yield name
    for number in range(1, MAX_HABITS + 2):
        suffix = f" ({FROM_LOOP})" if number == 1 else f" ({FROM_LOOP} {number})"
        yield (_shorten(name, NAME_MAX_LENGTH - len(suffix)) if len(name) + len(suffix) > NAME_MAX_LENGTH else name) + suffix


@dataclass
class Plan:
    """What an import will write: built outside the transaction, so the write lock is short."""

    new_habits: list[Habit]
    start_dates: list[Habit]   # existing habits whose start moves earlier
    touched: list[Habit]
    checkins: list[CheckIn]
    skips: list[Skip]
    notes: list[DayNote]
    result: ImportResult
    rows: list = field(default_factory=list)  # (model, fields, values) ready for the database, see _prepared


def plan_import(*, user, backup: Backup, now) -> Plan:
    tz = user.coaching_profile.timezone
    existing = list(Habit.objects.filter(user=user))
    by_name = defaultdict(list)
    for habit in existing:
        by_name[habit.name.casefold()].append(habit)
    merged = {}
    claimed = set()
    result = ImportResult(notices=list(backup.notices))
    position = max((h.position for h in existing), default=0)
    new_habits, targets = [], []
    for loop_habit in sorted(backup.habits, key=lambda h: h.position):
        habit = None
        for name in _candidate_names(loop_habit.name):
            matches = [h for h in by_name[name.casefold()] if id(h) not in claimed]
            habit = next((h for h in matches if _same_habit(h, loop_habit)), None)
            if habit is not None or not matches:
                break
        if habit is None:
            position += 1
            habit = _new_habit(user, loop_habit, name, position, now)
            new_habits.append(habit)
            by_name[name.casefold()].append(habit)
            if name != loop_habit.name:
                result.notices.append(
                    f"You already have “{loop_habit.name}” with another kind, frequency or target, "
                    f"so Loop's “{loop_habit.name}” came in as its own habit, “{name}”."
                )
        elif habit.pk is not None:
            merged[habit.pk] = habit
        claimed.add(id(habit))
        targets.append((loop_habit, habit))
    taken, noted = _days_taken(merged)
    plan = Plan(new_habits=new_habits, start_dates=[], touched=[*merged.values(), *new_habits], checkins=[], skips=[], notes=[], result=result)
    result.habits_created, result.habits_merged = len(new_habits), len(merged)
    noons = {}
    for loop_habit, habit in targets:
        days, note_days = (set(taken[habit.pk]), noted[habit.pk]) if habit.pk is not None else (set(), set())
        if habit.pk is not None and loop_habit.first_day and loop_habit.first_day < habit.start_date:
            habit.start_date = loop_habit.first_day
            plan.start_dates.append(habit)
        for mark in loop_habit.marks:
            if mark.kind == "note":
                if mark.day not in days and mark.day not in note_days:
                    plan.notes.append(DayNote(user=user, habit=habit, local_date=mark.day, text=mark.note))
                continue
            if mark.day in days:
                continue
            days.add(mark.day)
            if mark.kind == "skip":
                plan.skips.append(Skip(user=user, habit=habit, local_date=mark.day, note=mark.note))
                continue
            if mark.day not in noons:
                noon = local_noon(mark.day, tz)
                noons[mark.day] = (noon, utc_offset_minutes(noon, tz))
            noon, offset = noons[mark.day]
            plan.checkins.append(CheckIn(
                user=user, habit=habit, local_date=mark.day, completed_at=noon, timezone=tz,
                utc_offset_minutes=offset, time_known=False, value=mark.value, note=mark.note,
            ))
    result.checkins, result.skips, result.notes = len(plan.checkins), len(plan.skips), len(plan.notes)
    plan.rows = [_prepared(model, objects) for model, objects in ((CheckIn, plan.checkins), (Skip, plan.skips), (DayNote, plan.notes))]
    return plan


def _prepared(model, objects) -> tuple:
    """Each object's column values as the database takes them, computed before the write lock.

    bulk_create does this work per object inside the transaction, which for 100,000 check-ins
    held SQLite's write lock for 4 s; here only the habit column waits, as its Habit (a new
    habit has no id until it is inserted).
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = [
        [obj.habit if f.name == "habit" else f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        for obj in objects
    ]
    return model, fields, values


def _insert(model, fields, values):
    habit_column = [f.name for f in fields].index("habit")
    for row in values:
        row[habit_column] = row[habit_column].pk
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", values[start:start + BATCH])


def _new_habit(user, loop_habit: LoopHabit, name: str, position: int, now) -> Habit:
    daily = Schedule(times=loop_habit.numerator, days=loop_habit.denominator).kind == "daily"
    return Habit(
        user=user, name=name, description=loop_habit.description, colour=loop_habit.colour,
        kind=HabitKind.MEASURABLE if loop_habit.numerical else HabitKind.BOOLEAN,
        unit=loop_habit.unit, target=loop_habit.target, target_type=loop_habit.target_type,
        schedule_kind=ScheduleKind.DAILY if daily else ScheduleKind.FREQUENCY,
        frequency_numerator=1 if daily else loop_habit.numerator,
        frequency_denominator=1 if daily else loop_habit.denominator,
        position=position, start_date=loop_habit.first_day or today_for(user.coaching_profile, now),
        archived_at=now if loop_habit.archived else None,
    )


def _days_taken(habits: dict[int, Habit]) -> tuple[dict, dict]:
    """Days that already have a check-in or skip, and days with a day note, per existing habit id."""
    taken, noted = defaultdict(set), defaultdict(set)
    ids = list(habits)
    for model, days in ((CheckIn, taken), (Skip, taken), (DayNote, noted)):
        for habit_id, day in model.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date"):
            days[habit_id].add(day)
    return taken, noted


BATCH = 5_000


def write_plan(plan: Plan, record: LoopImport | None = None):
    """The only writes, in one transaction; the upload's `record` is saved as done in the same one."""
    try:
        with transaction.atomic():
            Habit.objects.bulk_create(plan.new_habits, batch_size=BATCH)
            Habit.objects.bulk_update(plan.start_dates, ["start_date"], batch_size=BATCH)
            for model, fields, values in plan.rows:
                _insert(model, fields, values)
            HabitCheckpoint.objects.filter(habit__in=[h.pk for h in plan.touched]).delete()
            if record is not None and record.pk is None:
                record.save()
            elif record is not None:
                record.save(update_fields=["status", "result", "archive"])
    except IntegrityError:
        raise LoopImportError("Your habits changed while the backup was importing; nothing was imported. Please try again.") from None


def loop_import(*, user, texts: dict[str, str], now=None, record: LoopImport | None = None) -> ImportResult:
    """Read, check and store a whole backup: all of it, or (raising LoopImportError) nothing."""
    now = now or timezone.now()
    backup = read_backup(texts, today_for(user.coaching_profile, now))
    plan = plan_import(user=user, backup=backup, now=now)
    if record is not None:
        record.status, record.result, record.archive = LoopImport.Status.DONE, plan.result.as_dict(), b""
    write_plan(plan, record)
    return plan.result


def loop_import_start(*, user, data: bytes) -> LoopImport:
    """The import page's entry: a small backup is imported now, a large one is queued for the worker.

    Raises LoopImportError for a file that is not a readable zip, or (when imported now) any fault.
    """
    texts = unpack(data)
    if estimated_rows(texts) <= BACKGROUND_ROWS:
        record = LoopImport(user=user)
        loop_import(user=user, texts=texts, record=record)
        return record
    record = LoopImport.objects.create(user=user, archive=data)
    enqueue_after_commit("habits.tasks.run_loop_import", record.pk)
    return record


def loop_import_run(*, loop_import_id: int):
    """The worker's step: claims a queued upload, imports it, and records the outcome on it."""
    claimed = LoopImport.objects.filter(pk=loop_import_id, status=LoopImport.Status.QUEUED).update(status=LoopImport.Status.RUNNING)
    if not claimed:
        return
    record = LoopImport.objects.select_related("user__coaching_profile").get(pk=loop_import_id)
    try:
        loop_import(user=record.user, texts=unpack(bytes(record.archive)), record=record)
    except LoopImportError as error:
        _record_failure(record, str(error))
    except Exception:
        _record_failure(record, "Something went wrong on our side; nothing was imported. Please try again later.")
        raise


def _record_failure(record: LoopImport, message: str):
    record.status, record.error, record.archive = LoopImport.Status.FAILED, message[:1000], b""
    record.save(update_fields=["status", "error", "archive"])
