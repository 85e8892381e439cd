"""Back up for Loop (.db): the SQLite database Loop's own Import data (LoopDBImporter) reads.

The outside truth is Loop's migrations, copied byte for byte into tests/fixtures/loop/migrations/:
applied in order, as Loop's MigrationHelper applies them, they build the empty database Loop
itself runs on. Our file must have exactly that schema, pass LoopDBImporter.canHandle, and hold
rows that mean, in Loop's terms (core/models/Entry.kt, Timestamp.kt, PaletteColor.kt,
sqlite/records/HabitRecord.kt), what the person recorded.
"""

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
import time_machine

from habits.loop_export import loop_database
from habits.models import DayNote
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory, SkipFactory

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(__file__).resolve().parent.parent / "fixtures" / "loop" / "migrations"
LOOP_DATABASE_VERSION = 25  # DATABASE_VERSION in Loop's core/Constants.kt
ZONE = "America/Los_Angeles"
# 22:30 on Sunday 8 March 2026 in Los Angeles, the evening clocks went forward: already
# 9 March in UTC, and local midnight was 08:00 UTC, not 00:00.
EVENING = dt.datetime(2026, 3, 9, 5, 30, 15, tzinfo=dt.UTC)
SUNDAY = dt.date(2026, 3, 8)
SUNDAY_MS = 1_772_928_000_000  # 2026-03-08T00:00:00Z, Loop's Timestamp of that day
LINE_END = re.compile(r"[\r\n]")


def day(n: int) -> dt.date:
    return SUNDAY - dt.timedelta(days=n)


def ms(n: int) -> int:
    return SUNDAY_MS - n * 86_400_000


def loop_statements(text: str) -> list[str]:
    """A migration file's statements as Loop's SQLParser splits them: comments dropped, split on
    semicolons outside quotes, runs of whitespace outside quotes folded to one space. The folding
    shows: it is the text SQLite keeps in sqlite_master."""
    statements, current, quoted, i = [], [], False, 0
    while i < len(text):
        if not quoted and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        if not quoted and text.startswith("--", i):
            match = LINE_END.search(text, i)
            i = len(text) if match is None else match.end()
            continue
        char = text[i]
        i += 1
        if not quoted and char == ";":
            statements.append("".join(current).strip())
            current = []
            continue
        if char == "'":
            quoted = not quoted
        if not quoted and char in " \t\r\n":
            if current and current[-1] != " ":
                current.append(" ")
        else:
            current.append(char)
    if current:
        statements.append("".join(current).strip())
    return statements


def loops_own_database(path: Path) -> sqlite3.Connection:
    """An empty database as Loop's Android app creates it: version 8, then 09.sql up to 25.sql."""
    db = sqlite3.connect(path, isolation_level=None)  # 22.sql opens and commits its own transaction
    db.execute("PRAGMA user_version = 8")
    for version in range(9, LOOP_DATABASE_VERSION + 1):
        for statement in loop_statements((MIGRATIONS / f"{version:02d}.sql").read_text()):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {LOOP_DATABASE_VERSION}")  # SQLiteOpenHelper's step after the upgrade
    return db


def schema(db: sqlite3.Connection) -> dict:
    entries = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    tables = [name for kind, name, _, _ in entries if kind == "table"]
    return {
        "sqlite_master": entries,
        "columns": {t: db.execute(f"PRAGMA table_info({t})").fetchall() for t in tables},
        "indexes": {
            t: [
                (row[1:], db.execute(f"PRAGMA index_info({row[1]})").fetchall())
                for row in db.execute(f"PRAGMA index_list({t})").fetchall()
            ]
            for t in tables
        },
        "version": db.execute("PRAGMA user_version").fetchone()[0],
    }


@pytest.fixture
def person():
    return ProfileFactory(timezone=ZONE).user


@pytest.fixture
def habits(person):
    def habit(name, position, **fields):
        return HabitFactory(user=person, name=name, position=position, start_date=dt.date(2026, 1, 1), **fields)

    def check_in(habit, local_date, **fields):
        return CheckInFactory(habit=habit, local_date=local_date, timezone=ZONE, utc_offset_minutes=-420, **fields)

    meditate = habit("Meditate", 0, colour="blue", description="Ten quiet minutes")
    sugar = habit("Sugar", 1, colour="red", kind="measurable", unit="g", target=25, target_type="at_most")
    stretch = habit("Stretch", 2, colour="teal", schedule_kind="frequency", frequency_numerator=2, frequency_denominator=3)
    swim = habit("Swim", 3, colour="purple", schedule_kind="weekdays", weekdays=[0, 2, 4])
    guitar = habit("Guitar", 4, colour="grey", archived_at=EVENING - dt.timedelta(days=30))

    check_in(meditate, day(0), completed_at=EVENING, note="Calm, mostly")
    check_in(meditate, day(2), completed_at=EVENING - dt.timedelta(days=2))
    SkipFactory(habit=meditate, local_date=day(1), note="Ill")
    DayNote.objects.create(user=person, habit=meditate, local_date=day(3), text="Forgot; wrote this instead")
    check_in(sugar, day(0), completed_at=EVENING, value=40.5)
    check_in(sugar, day(1), completed_at=EVENING - dt.timedelta(days=1), value=0.0, note="None at all")
    DayNote.objects.create(user=person, habit=sugar, local_date=day(2), text="Party tomorrow")
    check_in(stretch, day(4), completed_at=EVENING - dt.timedelta(days=4))
    check_in(swim, day(5), completed_at=EVENING - dt.timedelta(days=5))  # Monday
    check_in(guitar, day(30), completed_at=EVENING - dt.timedelta(days=30), note="Last time")
    return meditate, sugar, stretch, swim, guitar


def opened(data: bytes, tmp_path: Path, name: str = "backup.db") -> sqlite3.Connection:
    path = tmp_path / name
    path.write_bytes(data)
    return sqlite3.connect(path)


def test_database_has_the_schema_loop_migrations_leave(person, habits, tmp_path):
    ours = opened(loop_database(person), tmp_path)
    loops = loops_own_database(tmp_path / "loop.db")

    assert schema(ours) == schema(loops)
    assert set(schema(ours)["columns"]) == {"Habits", "Repetitions", "Events", "sqlite_sequence"}
    assert schema(ours)["indexes"]["Repetitions"][0][0] == ("idx_repetitions_habit_timestamp", 1, "c", 0)


def test_loop_importer_accepts_the_file(person, habits, tmp_path):
    data = loop_database(person)
    db = opened(data, tmp_path)

    # LoopDBImporter.canHandle: an SQLite 3 header, both tables, a version it can migrate from.
    assert data[:15] == b"SQLite format 3"
    assert db.execute("select count(*) from SQLITE_MASTER where name='Habits' or name='Repetitions'").fetchone()[0] == 2
    assert db.execute("PRAGMA user_version").fetchone()[0] == LOOP_DATABASE_VERSION  # no migration runs on import
    # HabitRecord.copyTo and EntryRecord read these with `!!`: a NULL stops Loop's import.
    for column in ("name", "description", "question", "freq_num", "freq_den", "color", "archived", "type",
                   "target_type", "target_value", "unit", "position", "uuid"):
        assert db.execute(f"SELECT count(*) FROM Habits WHERE {column} IS NULL").fetchone()[0] == 0, column
    assert db.execute("SELECT count(*) FROM Repetitions WHERE timestamp IS NULL OR value IS NULL").fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_habits_rows_say_what_loop_means(person, habits, tmp_path):
    db = opened(loop_database(person), tmp_path)

    rows = db.execute(
        "SELECT name, position, archived, color, description, question, freq_num, freq_den, type, target_type,"
        " target_value, unit, reminder_hour, reminder_min, reminder_days, highlight FROM Habits ORDER BY position"
    ).fetchall()

    # Colours are indexes into Loop's PaletteColor: 11 blue, 0 red, 8 teal, 14 purple, 18 grey.
    assert rows == [
        ("Meditate", 0, 0, 11, "Ten quiet minutes", "", 1, 1, 0, 0, 0.0, "", None, None, 0, 0),
        ("Sugar", 1, 0, 0, "", "", 1, 1, 1, 1, 25.0, "g", None, None, 0, 0),
        ("Stretch", 2, 0, 8, "", "", 2, 3, 0, 0, 0.0, "", None, None, 0, 0),
        ("Swim", 3, 0, 14, "", "", 3, 7, 0, 0, 0.0, "", None, None, 0, 0),  # Mon, Wed, Fri as 3 times in 7 days
        ("Guitar", 4, 1, 18, "", "", 1, 1, 0, 0, 0.0, "", None, None, 0, 0),
    ]
    uuids = [u for (u,) in db.execute("SELECT uuid FROM Habits")]
    assert len(set(uuids)) == 5 and all(re.fullmatch(r"[0-9a-f]{32}", u) for u in uuids)


def test_repetitions_are_loop_entries_at_utc_midnight_of_the_local_day(person, habits, tmp_path):
    db = opened(loop_database(person), tmp_path)

    rows = db.execute(
        "SELECT h.name, r.timestamp, r.value, r.notes FROM Repetitions r JOIN Habits h ON h.id = r.habit"
        " ORDER BY h.position, r.timestamp"
    ).fetchall()

    yes, skip, unknown = 2, 3, -1  # Entry.YES_MANUAL, Entry.SKIP, Entry.UNKNOWN
    assert rows == [
        ("Meditate", ms(3), unknown, "Forgot; wrote this instead"),
        ("Meditate", ms(2), yes, ""),
        ("Meditate", ms(1), skip, "Ill"),
        ("Meditate", ms(0), yes, "Calm, mostly"),
        ("Sugar", ms(2), unknown, "Party tomorrow"),  # not NO: Loop would read NO as 0 g
        ("Sugar", ms(1), 0, "None at all"),
        ("Sugar", ms(0), 40_500, ""),  # 40.5 g x 1000
        ("Stretch", ms(4), yes, ""),
        ("Swim", ms(5), yes, ""),
        ("Guitar", ms(30), yes, "Last time"),
    ]
    assert dt.datetime.fromtimestamp(ms(0) / 1000, dt.UTC) == dt.datetime(2026, 3, 8, tzinfo=dt.UTC)


def test_export_page_needs_a_login(client):
    response = client.get("/profile/export-loop.db")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@time_machine.travel(EVENING, tick=False)
def test_export_page_sends_only_my_habits_named_as_loop_names_backups(client, person, habits, tmp_path, django_assert_max_num_queries):
    stranger = HabitFactory(name="Secret", user=ProfileFactory(timezone="Asia/Kolkata").user)
    CheckInFactory(habit=stranger, local_date=SUNDAY, note="Not yours")
    client.force_login(person)

    with django_assert_max_num_queries(7):  # session, user, profile, then habits, check-ins, skips, notes
        response = client.get("/profile/export-loop.db")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-sqlite3"
    assert response["Content-Disposition"] == 'attachment; filename="Loop Habits Backup 2026-03-08 223015.db"'
    assert response["Cache-Control"] == "private, no-store"
    db = opened(response.content, tmp_path)
    assert [n for (n,) in db.execute("SELECT name FROM Habits ORDER BY position")] == ["Meditate", "Sugar", "Stretch", "Swim", "Guitar"]
    assert db.execute("SELECT count(*) FROM Repetitions WHERE notes = 'Not yours'").fetchone()[0] == 0


def test_your_data_page_offers_the_database_first(client, person):
    client.force_login(person)

    page = client.get("/profile/data/").content.decode()

    assert page.index("/profile/export-loop.db") < page.index("/profile/export-loop.zip")
    assert "In Loop: Settings → Import data, then choose the .db file." in page
