"""Everything of mine, as JSON or as a zip of CSVs. Later apps add their own sections."""

import csv
import io
import json
import math
import zipfile
from datetime import date, datetime, time

from django.utils import timezone

from .days import today_for
from .models import AutomaticityCheck, CheckIn, DayNote, Habit, Pause, Skip
from .selectors import habit_views

_extra_sections = []
_columns = {}


def register_section(name, rows_for_user, columns):
    """Let an app that builds on habits (coaching, digests) add its rows to the export, and name
    its columns, so a section with no rows yet still says what it would hold."""
    _extra_sections.append((name, rows_for_user))
    _columns[name] = list(columns)


def model_columns(model, *extra) -> list[str]:
    """A model's stored columns, as `.values()` names them, then any added ones."""
    return [field.attname for field in model._meta.concrete_fields] + list(extra)


def _builtin_columns() -> dict[str, list[str]]:
    from onboarding.models import CoachingProfile

    return {
        "profile": model_columns(CoachingProfile, "email", "first_name", "date_joined"),
        "habits": model_columns(Habit, "strength", "current_streak", "best_streak"),
        "check_ins": model_columns(CheckIn),
        "skips": model_columns(Skip),
        "day_notes": model_columns(DayNote),
        "pauses": model_columns(Pause),
        "automaticity_checks": model_columns(AutomaticityCheck),
    }


def _profile_rows(user):
    from onboarding.models import CoachingProfile

    rows = list(CoachingProfile.objects.filter(user=user).values())
    for row in rows:
        row.update(email=user.email, first_name=user.first_name, date_joined=user.date_joined)
    return rows


def _habit_rows(user):
    """Each habit with its strength (0-100, unrounded) and streaks as of the person's local today."""
    habits = list(Habit.objects.filter(user=user))
    if not habits:
        return []
    views = {view.habit.pk: view for view in habit_views(habits, today_for(user.coaching_profile, timezone.now()), recent_days=0)}
    rows = list(Habit.objects.filter(user=user).values())
    for row in rows:
        view = views[row["id"]]
        row.update(strength=view.figures.strength * 100, current_streak=view.current_streak, best_streak=view.best_streak)
    return rows


def _finite(rows: list[dict]) -> list[dict]:
    """JSON has no NaN or Infinity: such a number (only ever from a bad import) exports as null."""
    return [
        {key: None if isinstance(value, float) and not math.isfinite(value) else value for key, value in row.items()}
        for row in rows
    ]


def sections(user) -> dict[str, list[dict]]:
    data = {
        "profile": _profile_rows(user),
        "habits": _habit_rows(user),
        "check_ins": list(CheckIn.objects.filter(user=user).order_by("habit_id", "local_date").values()),
        "skips": list(Skip.objects.filter(user=user).values()),
        "day_notes": list(DayNote.objects.filter(user=user).values()),
        "pauses": list(Pause.objects.filter(user=user).values()),
        "automaticity_checks": list(AutomaticityCheck.objects.filter(user=user).values()),
    }
    for name, rows_for_user in _extra_sections:
        data[name] = rows_for_user(user)
    return {name: _finite(rows) for name, rows in data.items()}


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def export_json(user) -> str:
    payload = {"exported_at": timezone.now().isoformat(), **sections(user)}
    return json.dumps(payload, default=_plain, indent=2, ensure_ascii=False, allow_nan=False)


def export_zip(user) -> bytes:
    buffer = io.BytesIO()
    columns = {**_builtin_columns(), **_columns}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in sections(user).items():
            text = io.StringIO()
            fields = columns[name] + sorted({key for row in rows for key in row} - set(columns[name]))
            writer = csv.DictWriter(text, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else _plain(v) for k, v in row.items()})
            zf.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()
