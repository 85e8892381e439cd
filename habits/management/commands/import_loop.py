from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from habits.loop_import import LoopImportError, import_loop_archive


class Command(BaseCommand):
    help = "Import a Loop Habit Tracker CSV export (zip) into a user's account."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="email of the account")

    def handle(self, *args, path, user, **options):
        account = get_user_model().objects.filter(email__iexact=user).first()
        if account is None:
            raise CommandError(f"No user with email {user}.")
        try:
            with open(path, "rb") as archive:
                result = import_loop_archive(user=account, archive=archive)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}")
        except LoopImportError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Imported {result.habits} habits, {result.checkins} check-ins and {result.skips} skips.")
