"""Analyse a CSV of check-ins and print the coaching as JSON (one object, or one line per user)."""

import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from coaching.analysis.checkin_csv import CheckinCsvError, CsvOptions, parse_planned, people, read_checkins, to_json

INVALID_INPUT = 2
# The analysis looks back and ahead from --today and --start by weeks; keeping every date well inside
# Python's date range turns 0001-01-01 or 9999-12-31 into a plain "out of range" instead of an OverflowError.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date.max - timedelta(days=366)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=INVALID_INPUT) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise CommandError(
            f"date out of range ({EARLIEST_DAY} to {LATEST_DAY}): {text!r}", returncode=INVALID_INPUT
        )
    return day


class Command(BaseCommand):
    help = (
        "Analyse check-ins from a CSV with header habit,completed_at[,value][,user] and print the coaching as JSON. "
        "With a user column, each user is analysed separately and printed as one JSON object per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file; completed_at is ISO 8601 with a UTC offset")
        parser.add_argument("--tz", required=True, help="IANA time zone the check-ins are counted in, e.g. Europe/Berlin")
        parser.add_argument("--today", required=True, help="the local date to analyse as of (YYYY-MM-DD)")
        parser.add_argument("--start", help="first tracked day for every habit (default: the first check-in)")
        parser.add_argument("--chronotype", choices=["morning", "intermediate", "evening"])
        parser.add_argument("--main-habit", default="", help="name of the main habit from onboarding")
        parser.add_argument("--planned", action="append", default=[], metavar="NAME=HH:MM",
                            help="a habit's planned time; repeat for several habits")

    def handle(self, *args, **options):
        try:
            zone = ZoneInfo(options["tz"])
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise CommandError(f"unknown time zone: {options['tz']!r}", returncode=INVALID_INPUT) from None
        try:
            settings = CsvOptions(
                today=_day(options["today"]),
                start=_day(options["start"]) if options["start"] else None,
                chronotype=options["chronotype"],
                main_habit=options["main_habit"] or "",
                planned=parse_planned(options["planned"]),
            )
            checkins = read_checkins(options["path"], zone)
        except (CheckinCsvError, OSError) as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        if checkins.user is None:
            _, analysis = next(people(checkins, settings))
            self.stdout.write(json.dumps(to_json(analysis), indent=2, ensure_ascii=False))
            return
        for user, analysis in people(checkins, settings):
            self.stdout.write(json.dumps(to_json(analysis, user), ensure_ascii=False, separators=(",", ":")))
