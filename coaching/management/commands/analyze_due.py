from django.core.management.base import BaseCommand

from coaching.services import analyse_due_users


class Command(BaseCommand):
    help = "Analyse everyone whose coaching analysis is due now (what the hourly schedule runs)."

    def handle(self, *args, **options):
        count = analyse_due_users()
        self.stdout.write(f"Analysed {count} user{'s' if count != 1 else ''}.")
