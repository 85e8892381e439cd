import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests.metrics import DEFAULT_WINDOW_DAYS, EARLIEST, LATEST, METRICS, Window, success_metrics

INVALID_INPUT = 2


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=INVALID_INPUT) from None
    if not EARLIEST <= day <= LATEST:
        raise CommandError(f"{text} is outside {EARLIEST}..{LATEST}", returncode=INVALID_INPUT)
    return day


class Command(BaseCommand):
    help = (f"The product's success metrics against their targets for a signup window (default: the last "
            f"{DEFAULT_WINDOW_DAYS} days, UTC dates, both ends included).")

    def add_arguments(self, parser):
        parser.add_argument("--since", type=str, help="first day of the window, YYYY-MM-DD")
        parser.add_argument("--until", type=str, help="last day of the window, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print one JSON object (the keys are a contract)")

    def handle(self, *args, since, until, json: bool, **options):
        now = timezone.now()
        last = _date(until) if until else now.date()
        window = Window(_date(since), last) if since else Window.ending(last)
        if window.since > window.until:
            raise CommandError("--since is after --until.", returncode=INVALID_INPUT)
        figures = success_metrics(window, now)
        if json:
            self.stdout.write(_json(figures))
            return
        self.stdout.write(f"Success metrics for people and events from {window.since} to {window.until} (UTC):")
        for metric in METRICS:
            value = figures[metric.key]
            shown = "n/a" if value is None else (f"{value:.1%}" if metric.is_fraction else f"{value:.2f}")
            target = f"{metric.target:.0%}" if metric.is_fraction else f"{metric.target:g}"
            verdict = "" if value is None else ("  meets target" if value >= metric.target else "  BELOW target")
            self.stdout.write(f"  {metric.label:<28}{shown:>8}   target {target:>4}{verdict}")


def _json(figures: dict) -> str:
    return json.dumps(figures, indent=2)
