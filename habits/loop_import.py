"""Import history from Loop Habit Tracker's CSV export (a zip with Habits.csv and one folder per habit)."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath

from django.db import transaction
from django.utils import timezone

from .days import today_for, utc_offset_minutes, zone
from .models import CheckIn, Habit, HabitKind, ScheduleKind, Skip, TargetType

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
EARLIEST_DAY = date(2000, 1, 1)
MAX_HABITS = 200
YES_VALUES = {"2", "YES_MANUAL"}
SKIP_VALUES = {"3", "SKIP"}
NEW_HEADER = {"Position", "Name", "Type", "FrequencyNumerator", "FrequencyDenominator"}
OLD_HEADER = {"Position", "Name", "NumRepetitions", "Interval"}


class LoopImportError(Exception):
    """The file is not a Loop export we can read; nothing was imported."""


@dataclass
class ImportResult:
    habits: int = 0
    checkins: int = 0
    skips: int = 0


@dataclass
class LoopHabit:
    position: int
    name: str
    description: str
    numerical: bool
    numerator: int
    denominator: int
    unit: str
    target_type: str
    target: float | None
    archived: bool
    checkmarks: list


def _open_zip(archive) -> zipfile.ZipFile:
    size = getattr(archive, "size", None)
    if size is not None and size > MAX_ARCHIVE_BYTES:
        raise LoopImportError("That file is larger than 20 MB; a Loop export is much smaller.")
    data = archive.read(MAX_ARCHIVE_BYTES + 1)
    if len(data) > MAX_ARCHIVE_BYTES:
        raise LoopImportError("That file is larger than 20 MB; a Loop export is much smaller.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise LoopImportError("That is not a zip file. In Loop, use Settings → Export as CSV and upload the zip it makes.")
    if sum(info.file_size for info in zf.infolist()) > MAX_UNPACKED_BYTES:
        raise LoopImportError("That zip unpacks to more than 50 MB; a Loop export is much smaller.")
    return zf


def _read_csv(zf, name) -> list[list[str]]:
    try:
        text = zf.read(name).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoopImportError(f"{name} is not a text file.")
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def _parse_int(value, field, default=None):
    try:
        return int(float(value))
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise LoopImportError(f"Habits.csv has an invalid {field}: “{value}”.")


def _parse_habits(zf, latest_day) -> list[LoopHabit]:
    habits_file = next((n for n in zf.namelist() if PurePosixPath(n).name == "Habits.csv"), None)
    if habits_file is None:
        raise LoopImportError("This zip has no Habits.csv, so it is not a Loop Habit Tracker export.")
    rows = _read_csv(zf, habits_file)
    if not rows:
        raise LoopImportError("Habits.csv is empty.")
    header = [h.strip() for h in rows[0]]
    if not (NEW_HEADER <= set(header) or OLD_HEADER <= set(header)):
        raise LoopImportError("Habits.csv does not have Loop's columns (Position, Name, …).")
    if len(rows) - 1 > MAX_HABITS:
        raise LoopImportError(f"More than {MAX_HABITS} habits in one file.")
    folders = {PurePosixPath(n).parent.name: n for n in zf.namelist() if PurePosixPath(n).name == "Checkmarks.csv"}
    habits = []
    for number, raw in enumerate(rows[1:], start=1):
        row = dict(zip(header, [c.strip() for c in raw]))
        name = row.get("Name", "")
        if not name or len(name) > 80:
            raise LoopImportError(f"Habit {number} in Habits.csv has no name or a name over 80 characters.")
        position = _parse_int(row.get("Position"), "Position")
        numerator = _parse_int(row.get("FrequencyNumerator", row.get("NumRepetitions")), "frequency")
        denominator = _parse_int(row.get("FrequencyDenominator", row.get("Interval")), "frequency")
        if numerator < 1 or denominator < 1:
            raise LoopImportError(f"“{name}” has an invalid frequency {numerator}/{denominator}.")
        numerical = row.get("Type", "0") in {"1", "NUMERICAL"}
        target = row.get("Target Value") or None
        try:
            target = float(target) if target is not None else None
        except ValueError:
            raise LoopImportError(f"“{name}” has an invalid target value.")
        folder = next((f for f in folders if f.startswith(f"{position:03d} ") or f == f"{position:03d} {name}"), None)
        checkmarks = _parse_checkmarks(zf, folders[folder], name, numerical, latest_day) if folder else []
        habits.append(LoopHabit(
            position=position, name=name, description=row.get("Description") or row.get("Question", ""),
            numerical=numerical, numerator=numerator, denominator=denominator, unit=row.get("Unit", "")[:20],
            target_type=TargetType.AT_MOST if row.get("Target Type") in {"1", "AT_MOST"} else TargetType.AT_LEAST,
            target=target, archived=row.get("Archived?", "").lower() == "true", checkmarks=checkmarks,
        ))
    return habits


def _parse_checkmarks(zf, path, habit_name, numerical, latest_day) -> list[tuple[date, str, float | None]]:
    marks = []
    for row in _read_csv(zf, path):
        if len(row) < 2:
            raise LoopImportError(f"{path}: every line needs a date and a value.")
        raw_date, raw_value = row[0].strip(), row[1].strip()
        if raw_date.lower() == "date":
            continue
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise LoopImportError(f"{path}: “{raw_date}” is not a date (YYYY-MM-DD).")
        if not EARLIEST_DAY <= day <= latest_day:
            raise LoopImportError(f"{path}: {raw_date} is outside 2000-01-01 to today.")
        if numerical:
            if raw_value in SKIP_VALUES - {"3"}:
                marks.append((day, "skip", None))
                continue
            try:
                value = float(raw_value)
            except ValueError:
                raise LoopImportError(f"{path}: “{raw_value}” is not a number.")
            if value < 0 or value > 1_000_000:
                raise LoopImportError(f"{path}: value {raw_value} is out of range.")
            if value > 0:
                marks.append((day, "done", value))
        elif raw_value in YES_VALUES:
            marks.append((day, "done", None))
        elif raw_value in SKIP_VALUES:
            marks.append((day, "skip", None))
        elif raw_value not in {"0", "1", "-1", "NO", "YES_AUTO", "UNKNOWN"}:
            raise LoopImportError(f"{path}: unknown check-in value “{raw_value}” for {habit_name}.")
    return marks


def _schedule(habit: LoopHabit) -> dict:
    if habit.numerator == habit.denominator:
        return {"schedule_kind": ScheduleKind.DAILY, "times_per_week": 7}
    per_week = max(1, min(7, round(habit.numerator * 7 / habit.denominator)))
    return {"schedule_kind": ScheduleKind.PER_WEEK, "times_per_week": per_week}


@transaction.atomic
def import_loop_archive(*, user, archive) -> ImportResult:
    """All or nothing: a file that fails anywhere imports nothing."""
    profile = user.coaching_profile
    with _open_zip(archive) as zf:
        loop_habits = _parse_habits(zf, today_for(profile, timezone.now()))
    tz = profile.timezone
    existing = {h.name.lower(): h for h in Habit.objects.filter(user=user)}
    result = ImportResult()
    next_position = max([h.position for h in existing.values()], default=0)
    checkins, skips = [], []
    for loop_habit in sorted(loop_habits, key=lambda h: h.position):
        habit = existing.get(loop_habit.name.lower())
        days = [d for d, _, _ in loop_habit.checkmarks]
        if habit is None:
            next_position += 1
            habit = Habit.objects.create(
                user=user, name=loop_habit.name, description=loop_habit.description[:300],
                kind=HabitKind.MEASURABLE if loop_habit.numerical else HabitKind.BOOLEAN,
                unit=loop_habit.unit if loop_habit.numerical else "", target=loop_habit.target if loop_habit.numerical else None,
                target_type=loop_habit.target_type, position=next_position, start_date=min(days, default=date.today()),
                archived_at=datetime.now(tz=zone("UTC")) if loop_habit.archived else None, **_schedule(loop_habit),
            )
            result.habits += 1
        elif days and min(days) < habit.start_date:
            habit.start_date = min(days)
            habit.save(update_fields=["start_date"])
        taken = set(CheckIn.objects.filter(habit=habit).values_list("local_date", flat=True))
        taken |= set(Skip.objects.filter(habit=habit).values_list("local_date", flat=True))
        for day, status, value in loop_habit.checkmarks:
            if day in taken:
                continue
            taken.add(day)
            if status == "skip":
                skips.append(Skip(user=user, habit=habit, local_date=day))
                continue
            moment = datetime.combine(day, time(12), tzinfo=zone(tz))
            checkins.append(CheckIn(
                user=user, habit=habit, local_date=day, completed_at=moment, timezone=tz,
                utc_offset_minutes=utc_offset_minutes(moment, tz), time_known=False, value=value,
            ))
    CheckIn.objects.bulk_create(checkins, batch_size=1000)
    Skip.objects.bulk_create(skips, batch_size=1000)
    result.checkins, result.skips = len(checkins), len(skips)
    return result
