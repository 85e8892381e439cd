"""Everything of mine, as JSON or as a zip of CSVs. Later apps add their own sections."""

import csv
import io
import json
import zipfile
from datetime import date, datetime, time

from django.utils import timezone

from .models import AutomaticityCheck, CheckIn, Habit, Pause, Skip

_extra_sections = []


def register_section(name, rows_for_user):
    """Let an app that builds on habits (coaching, digests) add its rows to the export."""
    _extra_sections.append((name, rows_for_user))


def _profile_rows(user):
    from onboarding.models import CoachingProfile

    rows = list(CoachingProfile.objects.filter(user=user).values())
    for row in rows:
        row.update(email=user.email, first_name=user.first_name, date_joined=user.date_joined)
    return rows


def sections(user) -> dict[str, list[dict]]:
    data = {
        "profile": _profile_rows(user),
        "habits": list(Habit.objects.filter(user=user).values()),
        "check_ins": list(CheckIn.objects.filter(user=user).order_by("habit_id", "local_date").values()),
        "skips": list(Skip.objects.filter(user=user).values()),
        "pauses": list(Pause.objects.filter(user=user).values()),
        "automaticity_checks": list(AutomaticityCheck.objects.filter(user=user).values()),
    }
    for name, rows_for_user in _extra_sections:
        data[name] = rows_for_user(user)
    return data


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def export_json(user) -> str:
    payload = {"exported_at": timezone.now().isoformat(), **sections(user)}
    return json.dumps(payload, default=_plain, indent=2, ensure_ascii=False)


def export_zip(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in sections(user).items():
            text = io.StringIO()
            fields = sorted({key for row in rows for key in row}) or ["id"]
            writer = csv.DictWriter(text, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else _plain(v) for k, v in row.items()})
            zf.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()
