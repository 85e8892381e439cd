from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from digests.services import digests_sweep


class Command(BaseCommand):
    help = "Run one digest sweep now (or as if at --now) and report how many were sent, skipped and failed."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO 8601 instant, e.g. 2026-03-08T20:00:00+00:00 (UTC if no offset)")

    def handle(self, *args, now=None, **options):
        at = timezone.now()
        if now:
            at = parse_datetime(now)
            if at is None:
                raise CommandError(f"--now must be an ISO 8601 date and time, got {now!r}.")
            if timezone.is_naive(at):
                at = at.replace(tzinfo=UTC)
        try:
            result = digests_sweep(now=at)
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"The sweep stopped: the database went away ({first_line}). Nothing is sent twice; "
                "emails it had not handed to the mailer go out with the next sweep."
            ) from error
        self.stdout.write(
            f"Sent {result.sent}, skipped {result.skipped}, failed {result.failed} "
            f"({result.retrying} to retry, {result.unknown} unknown)."
        )
