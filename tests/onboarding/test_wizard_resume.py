import pytest

from onboarding.models import CoachingProfile, OnboardingDraft
from tests.factories import UserFactory
from tests.onboarding.wizard_helpers import ANSWERS, post_step

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
FIRST_SIX = list(ANSWERS)[:6]


def log_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def answer(client, steps, **overrides_by_step):
    for step in steps:
        client.get(f"/welcome/{step}/")
        response = post_step(client, step, **overrides_by_step.get(step, {}))
        assert response.status_code == 302, f"step {step} was not accepted"


def test_six_answered_steps_survive_logging_out_and_in(client, new_user):
    log_in(client, new_user)
    answer(client, FIRST_SIX, habit={"main_habit": "Read 10 pages"})
    client.post("/accounts/logout/")
    log_in(client, new_user)

    page = client.get("/welcome/", follow=True)
    assert page.redirect_chain[-1][0] == "/welcome/success/"
    assert b"Step 7 of 7" in page.content
    assert b'value="Read 10 pages"' in client.get("/welcome/habit/").content
    assert b'value="America/New_York"' in client.get("/welcome/timezone/").content
    goals = client.get("/welcome/goals/").content
    assert b'value="health" id="id_goals-goals_0" checked' in goals


def test_finishing_after_logging_back_in_saves_the_answers_from_before(client, new_user):
    log_in(client, new_user)
    answer(client, FIRST_SIX, why={"why_now": "Before the holidays."})
    client.post("/accounts/logout/")
    log_in(client, new_user)

    client.get("/welcome/success/")
    response = post_step(client, "success")
    assert response["Location"] == "/welcome/done/"
    client.get("/welcome/done/")
    profile = CoachingProfile.objects.get(user=new_user)
    assert profile.is_onboarded
    assert profile.why_now == "Before the holidays."
    assert profile.main_habit == "Run before work"
    assert not OnboardingDraft.objects.filter(user=new_user).exists()


def test_a_fresh_session_cannot_jump_past_the_first_unanswered_step(client, new_user):
    log_in(client, new_user)
    answer(client, list(ANSWERS)[:2])
    client.post("/accounts/logout/")
    log_in(client, new_user)
    assert client.get("/welcome/success/")["Location"] == "/welcome/obstacle/"


def test_the_draft_keeps_only_answers(client, new_user):
    client.force_login(new_user)
    answer(client, ["goals"])
    draft = OnboardingDraft.objects.get(user=new_user)
    assert draft.answers == {"goals": {"goals-goals": ["health", "sleep"], "goals-goals_other": [""]}}


def test_a_draft_is_one_persons_own(client, new_user):
    client.force_login(new_user)
    answer(client, list(ANSWERS)[:2], habit={"main_habit": "Read 10 pages"})
    client.post("/accounts/logout/")
    someone_else = UserFactory()
    log_in(client, someone_else)
    page = client.get("/welcome/", follow=True)
    assert page.redirect_chain[-1][0] == "/welcome/goals/"
    assert b"Read 10 pages" not in client.get("/welcome/habit/", follow=True).content


def test_starting_over_discards_the_draft(client, new_user):
    client.force_login(new_user)
    answer(client, ["goals"])
    client.get("/welcome/?reset")
    assert not OnboardingDraft.objects.filter(user=new_user).exists()


def test_a_resumed_step_costs_a_few_queries(client, new_user, django_assert_max_num_queries):
    client.force_login(new_user)
    answer(client, FIRST_SIX)
    with django_assert_max_num_queries(5):
        assert client.get("/welcome/success/").status_code == 200
