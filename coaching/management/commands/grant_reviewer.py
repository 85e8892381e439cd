from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from coaching.services import reviewer_grant

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Let a person review coaching insights in the admin (staff, in the 'Coaching reviewers' group)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no user with email {email}", returncode=INVALID_INPUT)
        reviewer_grant(user=user)
        self.stdout.write(f"{user.email} can review coaching insights at /admin/coaching/coachinginsight/")
