import pytest
from django.utils.html import escape
from django.contrib.admin.sites import site
from django.test import RequestFactory

from coaching import selectors
from coaching.admin import CoachingInsightAdmin
from coaching.models import CoachingInsight, InsightFeedback, ReviewStatus
from tests.factories import AnalysisRunFactory, HabitFactory, InsightFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(user):
    return AnalysisRunFactory(user=user, strengths=[[None, "Meditate: best streak 26 days"]])


def test_coaching_page_shows_top_five_insights_with_evidence(logged_in, run):
    insight = InsightFactory(run=run)
    recommendation = RecommendationFactory(run=run)
    recommendation.insights.add(insight)
    page = logged_in.get("/coaching/").content.decode()
    assert "Plan Saturday&#x27;s run for 08:00" in page
    assert "Saturdays slip for Run" in page
    assert "Why am I seeing this?" in page and "<svg" in page
    assert "Meditate: best streak 26 days" in page and "Run on Saturdays: 1 of 4" in page
    assert "Based on a weak weekday." in page
    assert "You did it on 1 of 4 Saturdays, against 22 of 24 other days." in page
    assert "very likely" in page


def test_flagged_insight_and_what_rests_on_it_never_reach_the_user(logged_in, run, user):
    flagged = InsightFactory(run=run, title="Flagged claim", review_status=ReviewStatus.FLAGGED)
    recommendation = RecommendationFactory(run=run, text="Advice resting on a flagged insight")
    recommendation.insights.add(flagged)
    RecommendationFactory(run=run, rank=2, text="Independent advice")
    page = logged_in.get("/coaching/").content.decode()
    assert "Flagged claim" not in page and "Advice resting on a flagged insight" not in page
    tips = selectors.digest_tips([user])[user.pk]
    assert [t.text for t in tips] == ["Independent advice"]


def test_feedback_is_stored_and_down_ranks_the_kind(logged_in, run, user):
    insight = InsightFactory(run=run)
    response = logged_in.post(f"/coaching/insights/{insight.pk}/feedback/", {"helpful": "no"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"fewer insights like this" in response.content
    assert InsightFeedback.objects.get(insight=insight).helpful is False
    assert selectors.kind_weights(user)["weekday_gap"] == 0.5


def test_feedback_on_another_users_insight_is_404(logged_in):
    other = InsightFactory()
    assert logged_in.post(f"/coaching/insights/{other.pk}/feedback/", {"helpful": "yes"}).status_code == 404
    assert not InsightFeedback.objects.exists()


def test_coaching_history_lists_earlier_weeks(logged_in, user):
    old = AnalysisRunFactory(user=user, is_current=False)
    RecommendationFactory(run=old, text="Last week's advice", is_current=False)
    AnalysisRunFactory(user=user)
    assert "Last week&#x27;s advice" in logged_in.get("/coaching/").content.decode()


def test_admin_flag_and_approve_actions(admin_user, run):
    insight = InsightFactory(run=run)
    model_admin = CoachingInsightAdmin(CoachingInsight, site)
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin.message_user = lambda *a, **k: None
    model_admin.flag(request, CoachingInsight.objects.filter(pk=insight.pk))
    insight.refresh_from_db()
    assert insight.review_status == ReviewStatus.FLAGGED and insight.reviewed_at
    model_admin.approve(request, CoachingInsight.objects.filter(pk=insight.pk))
    insight.refresh_from_db()
    assert insight.review_status == ReviewStatus.APPROVED


def test_admin_lists_filters_and_searches_insights(admin_client, run):
    InsightFactory(run=run, confidence=0.42)
    page = admin_client.get("/admin/coaching/coachinginsight/", {"q": run.user.email, "confidence": "low"})
    assert page.status_code == 200
    assert b"Saturdays slip for Run" in page.content
    detail = admin_client.get(f"/admin/coaching/coachinginsight/{CoachingInsight.objects.get().pk}/change/")
    assert b"You did it on 1 of 4 Saturdays, against 22 of 24 other days." in detail.content
    assert b"weekday_rate" not in detail.content and b"0.42" not in detail.content
    by_kind = admin_client.get("/admin/coaching/coachinginsight/", {"kind": "weekday_gap"}).content.decode()
    assert "Saturdays slip for Run" in by_kind and "A weak weekday" in by_kind and ">weekday_gap<" not in by_kind
    assert "Saturdays slip" not in admin_client.get("/admin/coaching/coachinginsight/", {"kind": "time_anchor"}).content.decode()


def test_starter_advice_in_an_active_run_is_not_presented_as_a_pattern(user, run):
    pattern = RecommendationFactory(run=run, rank=1, based_on=["weekday_gap"])
    RecommendationFactory(run=run, rank=2, text="Start tiny", based_on=["starter"])
    tips = selectors.digest_tips([user])[user.pk]
    assert [(t.key, t.is_pattern) for t in tips] == [(f"rec-{pattern.pk}", True), (tips[1].key, False)]


def test_someone_just_onboarded_sees_their_first_suggestions_without_waiting_for_the_worker(logged_in, user):
    HabitFactory(user=user, name="Read")
    assert selectors.current_run(user) is None
    page = logged_in.get("/coaching/").content.decode()
    assert "getting to know you" not in page
    recommendations = selectors.coaching_overview(user)["recommendations"]
    assert len(recommendations) == 5
    assert all(escape(r.text) in page for r in recommendations)
    # the goal gap comes from what they told us, and says so
    assert "How sure we are: from your onboarding answers and your habits." in page
    assert "from your numbers" not in page


def test_check_ins_all_at_one_minute_are_not_said_to_fall_within_0_minutes():
    from coaching.analysis.kinds import TIME_ANCHOR, Said, kind

    steady = kind(TIME_ANCHOR).evidence(Said({"share_within_hour": 1.0, "check_ins": 20, "typical_time": "07:00",
                                              "spread_minutes": 0}, "Walk"))
    assert steady[1] == "Most of them came at exactly 07:00."
    loose = kind(TIME_ANCHOR).evidence(Said({"share_within_hour": 0.8, "check_ins": 20, "typical_time": "07:00",
                                             "spread_minutes": 12}, "Walk"))
    assert loose[1] == "Most of them fell within 12 minutes of it."


def test_the_demo_login_can_review_insights_and_approve_one(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    call_command("analyze_due", verbosity=0)
    client.login(username="demo", password="cadence-demo")
    listing = client.get("/admin/coaching/coachinginsight/")
    assert listing.status_code == 200
    insight = CoachingInsight.objects.filter(user__email="demo@example.com").first()
    response = client.post("/admin/coaching/coachinginsight/", {"action": "approve", "_selected_action": [insight.pk]})
    assert response.status_code == 302
    insight.refresh_from_db()
    assert insight.review_status == ReviewStatus.APPROVED
    assert client.get("/admin/auth/user/").status_code == 403   # reviewing insights, nothing else


def test_grant_reviewer_refuses_an_unknown_address_with_exit_2():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("grant_reviewer", "nobody@example.com")
    assert refused.value.returncode == 2


def test_a_feedback_answer_can_be_changed_and_anything_but_yes_or_no_is_refused(logged_in, run):
    insight = InsightFactory(run=run)
    url = f"/coaching/insights/{insight.pk}/feedback/"
    assert logged_in.post(url, {"helpful": "maybe"}, HTTP_HX_REQUEST="true").status_code == 400
    assert not InsightFeedback.objects.exists()

    first = logged_in.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="yes" aria-pressed="true"' in first and 'value="no" aria-pressed="false"' in first
    changed = logged_in.post(url, {"helpful": "no"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="no" aria-pressed="true"' in changed and "fewer insights like this" in changed
    assert InsightFeedback.objects.get(insight=insight).helpful is False
    assert f'aria-label="No, “{insight.title}” was not helpful"' in changed.replace("&#x27;", "'")
