import io

import pytest
from django.core.management import CommandError, call_command

from coaching.models import EvaluationRun


@pytest.mark.django_db
def test_evaluate_coaching_stores_a_run_the_metrics_page_can_read():
    out = io.StringIO()
    call_command("evaluate_coaching", "--users-per-group", "3", "--no-pattern", "10", "--seed", "4", stdout=out)
    run = EvaluationRun.objects.get()
    assert run.true_positives > 0
    assert 0 < run.precision <= 1 and 0 < run.recall <= 1
    assert f"precision {run.precision:.3f}" in out.getvalue()
    assert set(run.per_kind) >= {"weekday_gap", "declining_trend", "double_miss"}


@pytest.mark.django_db
def test_evaluate_coaching_refuses_an_empty_cohort():
    with pytest.raises(CommandError):
        call_command("evaluate_coaching", "--users-per-group", "0")
    assert not EvaluationRun.objects.exists()
