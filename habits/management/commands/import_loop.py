from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from habits.loop_import import MAX_UPLOAD_BYTES, LoopImportError, loop_import, unpack

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Import a Loop Habit Tracker backup (the zip from Export as CSV) into a user's account, all of it or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="email of the account")

    def handle(self, *args, path, user, **options):
        account = get_user_model().objects.select_related("coaching_profile").filter(email__iexact=user).first()
        if account is None:
            raise CommandError(f"no user with email {user}", returncode=INVALID_INPUT)
        try:
            with Path(path).open("rb") as archive:
                data = archive.read(MAX_UPLOAD_BYTES + 1)
            result = loop_import(user=account, texts=unpack(data))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=INVALID_INPUT) from None
        except LoopImportError as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        self.stdout.write(result.summary)
        for notice in result.notices:
            self.stdout.write(f"- {notice}")
