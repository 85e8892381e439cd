"""`seed_users`: a realistic population for the staff metrics (and the steady one the benchmarks use)."""

import datetime as dt
import random
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F, Max

from coaching.models import AnalysisRun, CoachingInsight, InsightFeedback
from digests.management.commands.seed_users import (
    CHURN_TAIL_FROM,
    NEVER_CHURN_SHARE,
    churn_day,
)
from digests.models import DigestSend, EmailSchedule
from habits.days import local_day
from habits.models import CheckIn, Habit
from onboarding.models import CoachingProfile

pytestmark = pytest.mark.django_db

# The day after Europe's spring-forward change: the last 40 days cross it.
NOW = dt.datetime(2026, 3, 30, 9, 30, tzinfo=dt.UTC)


def seed(prefix, **options):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_users", count=60, days=40, seed=3, prefix=prefix, stdout=out, **options)
    return out.getvalue()


def profiles(prefix):
    return CoachingProfile.objects.filter(user__username__startswith=f"{prefix}-")


def last_check_in_age(prefix) -> dict[int, int]:
    """Days between each onboarded person's last check-in and their today (people who never checked in left out)."""
    zones = dict(profiles(prefix).values_list("user_id", "timezone"))
    last = CheckIn.objects.filter(user_id__in=zones).values("user_id").annotate(last=Max("local_date"))
    return {row["user_id"]: (local_day(NOW, zones[row["user_id"]]) - row["last"]).days for row in last}


def population_counts(prefix) -> tuple:
    people = profiles(prefix)
    users = people.values("user_id")
    sends = DigestSend.objects.filter(user_id__in=users)
    return (
        people.count(), people.filter(onboarding_completed_at__isnull=True).count(),
        Habit.objects.filter(user_id__in=users).count(), CheckIn.objects.filter(user_id__in=users).count(),
        sends.count(), sends.filter(opened_at__isnull=False).count(), sends.filter(clicked_at__isnull=False).count(),
        sends.filter(bounced_at__isnull=False).count(), CoachingInsight.objects.filter(user_id__in=users).count(),
        InsightFeedback.objects.filter(user_id__in=users, helpful=True).count(),
        InsightFeedback.objects.filter(user_id__in=users, helpful=False).count(),
    )


def test_realistic_population_starts_onboarding_and_some_never_finish():
    output = seed("crowd")

    people = profiles("crowd")
    assert people.count() == 60
    assert not people.filter(onboarding_started_at__isnull=True).exists()
    unfinished = people.filter(onboarding_completed_at__isnull=True)
    assert 0 < unfinished.count() < 20
    assert not Habit.objects.filter(user__coaching_profile__in=unfinished).exists()
    assert not CheckIn.objects.filter(user__coaching_profile__in=unfinished).exists()
    assert not DigestSend.objects.filter(user__coaching_profile__in=unfinished).exists()
    signup_days = {joined.date() for joined in people.values_list("user__date_joined", flat=True)}
    assert len(signup_days) > 20, "signups are spread over the window, not all on one day"
    assert f"Created 60 users ({unfinished.count()} started onboarding without finishing)" in output


def test_realistic_population_has_churners_and_people_still_going():
    seed("crowd")

    ages = last_check_in_age("crowd")
    assert sum(1 for age in ages.values() if age >= 10) >= 5, "people who stopped weeks ago"
    assert sum(1 for age in ages.values() if age <= 1) >= 5, "people still checking in"
    check_ins = CheckIn.objects.filter(user__username__startswith="crowd-")
    assert not check_ins.filter(completed_at__gt=NOW).exists()
    assert not check_ins.filter(completed_at__lt=F("user__coaching_profile__onboarding_completed_at")).exists()
    assert not check_ins.filter(local_date__lt=F("habit__start_date")).exists()
    habits = Habit.objects.filter(user__username__startswith="crowd-")
    assert set(habits.values_list("schedule_kind", flat=True)) == {"daily", "weekdays", "frequency"}
    assert habits.filter(kind="measurable", target__isnull=False).exists()
    assert check_ins.filter(habit__kind="measurable", value__isnull=False).exists()


def test_realistic_population_has_digests_with_delivery_open_click_and_bounce_events():
    seed("crowd")

    sends = DigestSend.objects.filter(user__username__startswith="crowd-")
    assert sends.count() > 500
    assert sends.filter(delivered_at__isnull=False).count() > 0.9 * sends.count()
    assert sends.filter(opened_at__isnull=False).exists()
    assert sends.filter(clicked_at__isnull=False).exists()
    assert 0 < sends.filter(bounced_at__isnull=False).count() < 0.1 * sends.count()
    assert not sends.filter(opened_at__isnull=False, delivered_at__isnull=True).exists()
    assert not sends.filter(clicked_at__isnull=False, opened_at__isnull=True).exists()
    assert not sends.filter(opened_at__lt=F("delivered_at")).exists()
    assert not sends.filter(sent_at__gt=NOW).exists()
    assert not sends.filter(sent_at__lt=F("user__coaching_profile__onboarding_completed_at")).exists()
    assert not sends.exclude(status="sent").exists() and not sends.filter(milestone__isnull=False).exists()
    assert not sends.filter(subject="").exists()
    # The digest schedule continues after the seeded days: nobody is due a second email for one of them.
    onboarded = profiles("crowd").filter(onboarding_completed_at__isnull=False)
    schedules = EmailSchedule.objects.filter(user__coaching_profile__in=onboarded)
    assert schedules.count() == onboarded.count()
    assert not schedules.filter(next_digest_at__lte=NOW).exists()


def test_realistic_population_has_current_coaching_with_helpful_and_unhelpful_answers():
    seed("crowd")

    runs = AnalysisRun.objects.filter(user__username__startswith="crowd-")
    assert runs.exists() and not runs.filter(is_current=False).exists()
    assert runs.values("user_id").distinct().count() == runs.count()
    insights = CoachingInsight.objects.filter(user__username__startswith="crowd-")
    assert insights.count() >= 2 * runs.count()
    assert not insights.exclude(habit__user_id=F("user_id")).exists()
    answers = Counter(InsightFeedback.objects.filter(user__username__startswith="crowd-").values_list("helpful", flat=True))
    assert answers[True] > answers[False] > 0


def test_same_seed_gives_the_same_population():
    seed("first")
    seed("second")

    assert population_counts("first") == population_counts("second")
    assert sorted(last_check_in_age("first").values()) == sorted(last_check_in_age("second").values())


def test_steady_population_is_everyone_onboarded_with_daily_check_ins_and_no_emails():
    output = seed("steady", population="steady")

    people = profiles("steady")
    assert people.count() == 60
    assert set(people.values_list("onboarding_completed_at", flat=True)) == {NOW - dt.timedelta(days=40)}
    assert CheckIn.objects.filter(user__username__startswith="steady-").count() > 60 * 40 * 0.3
    assert not Habit.objects.filter(user__username__startswith="steady-").exclude(schedule_kind="daily").exists()
    assert not DigestSend.objects.filter(user__username__startswith="steady-").exists()
    assert not CoachingInsight.objects.filter(user__username__startswith="steady-").exists()
    assert "(0 started onboarding without finishing)" in output


def test_churn_days_bunch_in_week_two_with_a_long_tail():
    rng = random.Random(3)
    days = [churn_day(rng) for _ in range(20000)]
    never = days.count(None) / len(days)
    weeks = Counter((day - 1) // 7 for day in days if day is not None)

    assert never == pytest.approx(NEVER_CHURN_SHARE, abs=0.02)
    assert weeks[1] > weeks[0] and weeks[1] > weeks[2]
    assert max(day for day in days if day is not None) > 4 * CHURN_TAIL_FROM


def test_some_seeded_people_are_on_the_leaderboard_under_made_up_names():
    from habits.leaderboard import standings
    from habits.models import LeaderboardMember

    seed("board")
    members = LeaderboardMember.objects.select_related("user")
    assert 0 < members.count() < profiles("board").count()
    for member in members:
        assert member.user.email.split("@")[0] not in member.display_name
    with time_machine.travel(NOW, tick=False):
        assert len(standings(NOW)) == members.count()


@pytest.mark.parametrize("population", ["steady", "realistic"])
def test_every_seeded_person_can_sign_in_and_be_mailed(client, population):
    """Verification is mandatory: without a confirmed address a seeded person could neither sign in
    nor get a digest (the steady population once had none)."""
    from allauth.account.models import EmailAddress

    seed(population, population=population)
    users = profiles(population).values("user_id")
    assert EmailAddress.objects.filter(user_id__in=users, verified=True, primary=True).count() == 60
    email = profiles(population).first().user.email
    response = client.post("/accounts/login/", {"login": email, "password": "seed-password"})
    assert response.status_code == 302 and "/accounts/confirm-email/" not in response.url
