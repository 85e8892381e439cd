"""`manage.py analyze_checkins`: the CSV contract, local time in the given zone, one line per user, exit 2 on bad input."""

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 29)
BERLIN = ZoneInfo("Europe/Berlin")


def stamps(days, at, zone=BERLIN, skip=lambda day: False, end=TODAY):
    """ISO 8601 instants with the zone's offset for a daily check-in at local time `at`."""
    out = []
    for n in range(days):
        day = end - timedelta(days=days - 1 - n)
        if not skip(day):
            out.append(datetime.combine(day, at, tzinfo=zone).isoformat())
    return out


def write_csv(tmp_path, lines, name="checkins.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def analyse(path, *args, today=TODAY, tz="Europe/Berlin"):
    out = io.StringIO()
    call_command("analyze_checkins", path, "--tz", tz, "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def one(path, *args, **kwargs):
    return json.loads(analyse(path, *args, **kwargs))


def test_prints_the_json_contract_for_one_person(tmp_path):
    lines = ["habit,completed_at,value"]
    lines += [f"Run,{s},5" for s in stamps(28, time(6, 15), skip=lambda d: d.weekday() == 5)]
    lines += [f"Read,{s}," for s in stamps(28, time(21, 0), skip=lambda d: d.day % 3 == 0)]
    result = one(write_csv(tmp_path, lines))
    assert set(result) == {"active", "days_of_data", "habits", "insights", "recommendations", "strengths", "challenges"}
    assert result["active"] is True and result["days_of_data"] == 28
    assert [h["habit"] for h in result["habits"]] == ["Run", "Read"]
    assert set(result["habits"][0]) == {"habit", "strength", "current_streak", "best_streak", "completion_rate_30d"}
    for item in result["insights"]:
        assert set(item) == {"kind", "habit", "confidence", "title", "evidence"}
    for item in result["recommendations"]:
        assert set(item) == {"rank", "text", "habit", "based_on"}
    anchor = next(i for i in result["insights"] if i["kind"] == "time_anchor" and i["habit"] == "Run")
    assert anchor["evidence"]["typical_time"] == "06:15"


def test_times_are_read_in_the_given_zone(tmp_path):
    lines = ["habit,completed_at"] + [f"Run,{s}" for s in stamps(28, time(4, 15), zone=timezone.utc)]
    berlin = one(write_csv(tmp_path, lines))
    tokyo = one(write_csv(tmp_path, lines), tz="Asia/Tokyo")
    assert next(i for i in berlin["insights"] if i["kind"] == "time_anchor")["evidence"]["typical_time"] == "06:15"
    assert next(i for i in tokyo["insights"] if i["kind"] == "time_anchor")["evidence"]["typical_time"] == "13:15"


def test_a_late_utc_check_in_counts_for_the_next_local_day(tmp_path):
    path = write_csv(tmp_path, ["habit,completed_at", "Run,2025-06-28T22:30:00+00:00"])
    result = one(path)
    assert result["days_of_data"] == 1  # 00:30 on 29 June in Berlin, which is today
    assert result["habits"][0]["current_streak"] == 1


def test_check_ins_across_a_dst_change_keep_their_local_time(tmp_path):
    spring_forward = date(2025, 3, 30)
    end = spring_forward + timedelta(days=13)
    lines = ["habit,completed_at"] + [f"Run,{s}" for s in stamps(28, time(6, 30), end=end)]
    assert any("+01:00" in line for line in lines) and any("+02:00" in line for line in lines)
    result = one(write_csv(tmp_path, lines), today=end)
    kinds = {i["kind"]: i for i in result["insights"]}
    assert kinds["time_anchor"]["evidence"]["typical_time"] == "06:30"
    assert kinds["time_anchor"]["evidence"]["spread_minutes"] == 0
    assert "time_drift" not in kinds
    assert result["habits"][0]["current_streak"] == 28


def test_check_ins_from_a_trip_in_another_zone_land_on_home_time(tmp_path):
    home = stamps(20, time(7, 0))
    trip = [datetime.combine(TODAY - timedelta(days=n), time(1, 0), tzinfo=ZoneInfo("America/New_York")).isoformat()
            for n in range(3)]
    lines = ["habit,completed_at"] + [f"Run,{s}" for s in home[:-3] + trip]
    result = one(write_csv(tmp_path, lines))
    assert result["days_of_data"] == 20
    assert result["habits"][0]["current_streak"] == 20  # 01:00 in New York is 07:00 in Berlin, the same days


def test_half_hour_zone(tmp_path):
    lines = ["habit,completed_at"] + [f"Meditate,{s}" for s in stamps(21, time(1, 0), zone=timezone.utc)]
    result = one(write_csv(tmp_path, lines), tz="Asia/Kolkata")
    assert next(i for i in result["insights"] if i["kind"] == "time_anchor")["evidence"]["typical_time"] == "06:30"


def test_start_option_counts_untracked_days_before_the_first_check_in(tmp_path):
    lines = ["habit,completed_at"] + [f"Run,{s}" for s in stamps(14, time(7, 0))]
    default = one(write_csv(tmp_path, lines))
    earlier = one(write_csv(tmp_path, lines), "--start", (TODAY - timedelta(days=27)).isoformat())
    assert default["habits"][0]["completion_rate_30d"] == 1.0
    assert earlier["habits"][0]["completion_rate_30d"] == pytest.approx(0.5)
    assert earlier["days_of_data"] == default["days_of_data"] == 14


def test_profile_options_planned_time_main_habit_and_chronotype(tmp_path):
    lines = ["habit,completed_at"]
    lines += [f"Run,{s}" for s in stamps(28, time(21, 0))]
    lines += [f"Read,{s}" for s in stamps(28, time(22, 0), skip=lambda d: d.day % 4 != 0)]
    result = one(write_csv(tmp_path, lines), "--planned", "Run=07:00", "--planned", "read=22:00",
                 "--main-habit", "Read", "--chronotype", "morning")
    kinds = {i["kind"]: i for i in result["insights"]}
    assert kinds["planned_time_mismatch"]["habit"] == "Run"
    assert kinds["planned_time_mismatch"]["evidence"]["planned_time"] == "07:00"
    assert kinds["chronotype_mismatch"]["evidence"]["chronotype"] == "morning"
    assert kinds["main_habit_lagging"]["habit"] == "Read"


def test_a_user_column_analyses_each_user_separately_one_json_per_line(tmp_path):
    lines = ["user,habit,completed_at"]
    lines += [f"ana,Run,{s}" for s in stamps(20, time(6, 0))]
    lines += [f"bo,Read,{s}" for s in stamps(5, time(22, 0))]
    lines += [f"ana,Stretch,{s}" for s in stamps(3, time(8, 0))]
    output = analyse(write_csv(tmp_path, lines))
    results = [json.loads(line) for line in output.strip().splitlines()]
    assert [r["user"] for r in results] == ["ana", "bo"]
    assert [h["habit"] for h in results[0]["habits"]] == ["Run", "Stretch"]
    assert results[0]["active"] is True and results[1]["active"] is False
    assert results[1]["days_of_data"] == 5


def test_header_only_file_is_an_empty_analysis(tmp_path):
    result = one(write_csv(tmp_path, ["habit,completed_at"]))
    assert result["active"] is False and result["days_of_data"] == 0 and result["habits"] == []


@pytest.mark.parametrize("lines", [
    ["habit,when", "Run,2025-06-01T07:00:00+02:00"],
    ["habit,completed_at", "Run,not a time"],
    ["habit,completed_at", ",2025-06-01T07:00:00+02:00"],
    ["habit,completed_at,value", "Run,2025-06-01T07:00:00+02:00,lots"],
    ["habit,completed_at", 'Run,"2025-06-01T07:00:00+02:00,x,y'],
    [""],
])
def test_malformed_csv_exits_with_status_2(tmp_path, lines):
    with pytest.raises(CommandError) as error:
        analyse(write_csv(tmp_path, lines))
    assert error.value.returncode == 2


@pytest.mark.parametrize("args", [("--tz", "Mars/Olympus"), ("--planned", "Run at seven")])
def test_unknown_zone_or_bad_option_exits_with_status_2(tmp_path, args):
    path = write_csv(tmp_path, ["habit,completed_at", "Run,2025-06-01T07:00:00+02:00"])
    with pytest.raises(CommandError) as error:
        call_command("analyze_checkins", path, "--today", TODAY.isoformat(), *(("--tz", "UTC") if args[0] != "--tz" else ()),
                     *args, stdout=io.StringIO())
    assert error.value.returncode == 2


@pytest.mark.parametrize("today, start", [
    ("0001-01-01", None),
    ("9999-12-31", None),
    (TODAY.isoformat(), "0001-01-01"),
    (TODAY.isoformat(), "9999-12-31"),
])
def test_a_date_at_the_edge_of_the_calendar_exits_with_status_2(tmp_path, today, start):
    path = write_csv(tmp_path, ["habit,completed_at", "Run,2025-06-01T07:00:00+02:00"])
    with pytest.raises(CommandError, match="out of range") as error:
        call_command("analyze_checkins", path, "--tz", "UTC", "--today", today,
                     *(("--start", start) if start else ()), stdout=io.StringIO())
    assert error.value.returncode == 2


def test_missing_file_exits_with_status_2(tmp_path):
    with pytest.raises(CommandError) as error:
        analyse(str(tmp_path / "nope.csv"))
    assert error.value.returncode == 2


def test_from_the_shell_an_error_is_one_line_on_stderr_and_status_2(tmp_path):
    path = write_csv(tmp_path, ["habit,completed_at", "Run,2025-06-01T07:00:00+02:00"])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run([sys.executable, "manage.py", "analyze_checkins", path, "--tz", "Nowhere/City", "--today",
                           "2025-06-29"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Nowhere/City" in done.stderr
