"""Loop import: 100,000 check-ins (100 habits x 1,000 days) from a backup written as Loop writes it.

Reports the whole import (unzip, parse, check, plan, store) and how long the write transaction
holds SQLite's write lock, against the budgets of 10 s and 2 s.
"""

import datetime as dt
import io
import sys
import time
import zipfile

from _django import QueryCounter, setup

setup("loop")

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from habits.days import today_for  # noqa: E402
from habits.loop_import import loop_folder_name, plan_import, read_backup, unpack, write_plan  # noqa: E402
from habits.models import CheckIn  # noqa: E402
from onboarding.models import CoachingProfile  # noqa: E402

HABITS, DAYS = 100, 1_000
IMPORT_BUDGET_S, LOCK_BUDGET_S = 10.0, 2.0
HEADER = "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,Unit,Target Type,Target Value,Archived?\n"


def backup(today: dt.date) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        rows = [HEADER]
        for n in range(1, HABITS + 1):
            numerical = n % 4 == 0
            name = f"Habit {n}"
            rows.append(f"{n:03d},{name},{'NUMERICAL' if numerical else 'YES_NO'},,,{1 + n % 3},{3 + n % 5},#388E3C,"
                        f"{'km' if numerical else ''},{'AT_LEAST' if numerical else ''},{'5.0' if numerical else ''},false\n")
            days = (today - dt.timedelta(days=d) for d in range(DAYS))
            value = "4200" if numerical else "YES_MANUAL"
            body = "Date,Value,Notes\n" + "".join(f"{day.isoformat()},{value},{'a note, quoted' if i % 50 == 0 else ''}\n".replace("a note, quoted", '"a note, quoted"') for i, day in enumerate(days))
            archive.writestr(f"{loop_folder_name(n, name)}/Checkmarks.csv", body)
        archive.writestr("Habits.csv", "".join(rows))
    return buffer.getvalue()


def main():
    user = get_user_model().objects.create_user(username="loop@example.com", email="loop@example.com", password="x")
    CoachingProfile.objects.create(user=user, timezone="Europe/Berlin", onboarding_completed_at=timezone.now())
    now = timezone.now()
    data = backup(today_for(user.coaching_profile, now))

    started = time.perf_counter()
    texts = unpack(data)
    parsed = read_backup(texts, today_for(user.coaching_profile, now))
    read_s = time.perf_counter() - started
    plan = plan_import(user=user, backup=parsed, now=now)
    planned_s = time.perf_counter() - started
    with QueryCounter() as queries:
        locked = time.perf_counter()
        write_plan(plan)
        lock_s = time.perf_counter() - locked
    total_s = time.perf_counter() - started

    stored = CheckIn.objects.filter(user=user).count()
    print(f"Loop import of {stored:,} check-ins ({HABITS} habits x {DAYS:,} days, zip {len(data) / 1024:.0f} kB)")
    print(f"  unzip + parse + check   {read_s:6.2f} s")
    print(f"  plan (outside the lock) {planned_s - read_s:6.2f} s")
    print(f"  write transaction       {lock_s:6.2f} s  ({queries.count} queries)   budget {LOCK_BUDGET_S:.0f} s")
    print(f"  whole import            {total_s:6.2f} s                   budget {IMPORT_BUDGET_S:.0f} s")
    ok = stored == HABITS * DAYS and total_s < IMPORT_BUDGET_S and lock_s < LOCK_BUDGET_S
    print("  OK" if ok else "  OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
