from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coaching import evaluation
from coaching.models import EvaluationRun


class Command(BaseCommand):
    help = ("Measure the pattern detectors' precision and recall on a synthetic cohort and store the result "
            "(the staff metrics page shows the latest run).")

    def add_arguments(self, parser):
        parser.add_argument("--users-per-group", type=int, default=40)
        parser.add_argument("--no-pattern", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--cohort", choices=("realistic", "classic"), default="realistic")

    def handle(self, *args, users_per_group, no_pattern, seed, cohort, **options):
        if users_per_group < 1 or no_pattern < 0:
            raise CommandError("--users-per-group must be at least 1 and --no-pattern at least 0.")
        results = evaluation.run(users_per_group, no_pattern, seed, realistic=cohort == "realistic")
        summary = evaluation.summary(results)
        run = EvaluationRun.objects.create(
            ran_at=timezone.now(), cohort=cohort, seed=seed,
            users=users_per_group * len(evaluation.cohorts.PLANTED_GROUPS) + no_pattern,
            true_positives=summary["true_positives"], false_positives=summary["false_positives"],
            false_negatives=summary["false_negatives"], no_pattern_hit=summary["no_pattern_hit"],
            per_kind=summary["per_kind"],
        )
        self.stdout.write(
            f"Pattern detection on {run.users} synthetic people ({cohort}): precision {_share(run.precision)}, "
            f"recall {_share(run.recall)}, no-pattern people told a pattern {run.no_pattern_hit:.1%}. Stored."
        )


def _share(value):
    return "n/a" if value is None else f"{value:.3f}"
