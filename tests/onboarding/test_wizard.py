import pytest
from django.core import mail

from digests.models import EmailSchedule
from onboarding.models import CoachingProfile
from tests.onboarding.wizard_helpers import ANSWERS, complete_wizard, post_step
from tests.digests.conftest import schedule_of

pytestmark = pytest.mark.django_db

APP_PAGES = ["/today/", "/habits/", "/profile/"]


def signup(client, email="new@example.com"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": "a-Strong-pass-123", "password2": "a-Strong-pass-123", "first_name": "Ada"},
    )


def confirm_from_outbox(client):
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/confirm-email/" in line).strip()
    path = link[link.index("/accounts/confirm-email/"):]
    return client.post(path)


def test_signup_asks_to_confirm_the_address_then_lands_in_the_wizard(client):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert client.get("/today/").status_code == 302                  # not signed in until confirmed
    response = confirm_from_outbox(client)
    assert response.status_code == 302
    page = client.get("/welcome/", follow=True)
    assert page.redirect_chain[-1][0] == "/welcome/goals/"
    assert b"Step 1 of 7" in page.content


def test_signup_stores_first_name_and_sends_verification_through_the_mail_backend(client):
    signup(client)
    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to


@pytest.mark.parametrize("page", APP_PAGES)
def test_every_app_page_redirects_to_wizard_until_completed(client, new_user, page):
    client.force_login(new_user)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"


def test_next_parameter_cannot_skip_the_wizard(client, new_user):
    response = client.post(
        "/accounts/login/?next=/habits/", {"login": new_user.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/habits/"
    assert client.get("/habits/")["Location"] == "/welcome/"


def test_account_pages_and_logout_stay_reachable_during_onboarding(client, new_user):
    client.force_login(new_user)
    assert client.get("/accounts/password/change/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/today/")["Location"].startswith("/accounts/login/")


def test_showing_the_wizard_records_when_onboarding_started(client, new_user):
    client.force_login(new_user)
    client.get("/welcome/goals/")
    profile = CoachingProfile.objects.get(user=new_user)
    assert profile.onboarding_started_at is not None
    assert profile.onboarding_completed_at is None


def test_completion_creates_one_profile_with_derived_digest_hour(client, new_user):
    client.force_login(new_user)
    response = complete_wizard(client)
    assert response.status_code == 302
    profile = CoachingProfile.objects.get(user=new_user)
    assert profile.onboarding_completed_at is not None
    assert profile.goals == ["health", "sleep"]
    assert profile.main_habit == "Run before work"
    assert profile.timezone == "America/New_York"
    assert profile.chronotype == "evening"
    assert schedule_of(profile).digest_hour == 20
    assert profile.tone == "direct"
    assert CoachingProfile.objects.filter(user=new_user).count() == 1
    assert client.get("/today/").status_code == 200


def test_morning_person_gets_a_seven_oclock_digest(client, new_user):
    client.force_login(new_user)
    complete_wizard(client, chronotype={"chronotype": "morning"})
    assert EmailSchedule.objects.get(user=new_user).digest_hour == 7


def test_completion_turns_main_habit_into_first_habit(client, new_user):
    client.force_login(new_user)
    complete_wizard(client)
    habit = new_user.habits.get()
    assert habit.name == "Run before work"
    assert habit.is_main
    assert habit.planned_time.strftime("%H:%M") == "06:30"


def test_refresh_keeps_the_current_step_and_back_keeps_answers(client, new_user):
    client.force_login(new_user)
    client.get("/welcome/goals/")
    post_step(client, "goals")
    post_step(client, "habit", main_habit="Read 10 pages")
    refreshed = client.get("/welcome/obstacle/")
    assert b"Step 3 of 7" in refreshed.content
    back = client.get("/welcome/habit/")
    assert b'value="Read 10 pages"' in back.content


def test_posting_a_later_step_without_earlier_ones_is_refused(client, new_user):
    client.force_login(new_user)
    client.get("/welcome/goals/")
    response = post_step(client, "success")
    assert response.status_code == 302
    assert response["Location"] == "/welcome/goals/"
    assert client.get("/welcome/done/")["Location"] == "/welcome/goals/"
    assert CoachingProfile.objects.get(user=new_user).onboarding_completed_at is None


def test_jumping_ahead_by_url_goes_back_to_first_unanswered_step(client, new_user):
    client.force_login(new_user)
    client.get("/welcome/goals/")
    post_step(client, "goals")
    assert client.get("/welcome/chronotype/")["Location"] == "/welcome/habit/"


@pytest.mark.parametrize(
    "step,overrides,message",
    [
        ("goals", {"goals": []}, b"Choose at least one area."),
        ("goals", {"goals": ["astrology"]}, b"Select a valid choice"),
        ("habit", {"main_habit": ""}, b"Name the habit you most want to build."),
        ("habit", {"main_habit": "x" * 81}, b"at most 80 characters"),
        ("obstacle", {"obstacle": "other", "obstacle_other": ""}, b"Tell us in a few words"),
        ("why", {"why_now": "y" * 501}, b"at most 500 characters"),
        ("why", {"why_now": ""}, b"A sentence is enough: why now?"),
        ("timezone", {"timezone": "Mars/Olympus_Mons"}, b"is not a time zone we know"),
        ("timezone", {"timezone": "localtime"}, b"is not a time zone we know"),
        ("timezone", {"timezone": "Factory"}, b"is not a time zone we know"),
        ("chronotype", {"chronotype": "owl"}, b"Select a valid choice"),
        ("success", {"success_factor": "z" * 201}, b"at most 200 characters"),
    ],
)
def test_each_step_validates_with_a_message_next_to_the_field(client, new_user, step, overrides, message):
    client.force_login(new_user)
    steps = list(ANSWERS)
    for earlier in steps[: steps.index(step)]:
        client.get(f"/welcome/{earlier}/")
        post_step(client, earlier)
    client.get(f"/welcome/{step}/")
    response = post_step(client, step, **overrides)
    assert response.status_code == 400   # as every form sent back with errors answers
    assert message in response.content
    assert b"field--error" in response.content


def test_script_in_answers_is_escaped(client, new_user):
    client.force_login(new_user)
    complete_wizard(client, habit={"main_habit": "<script>alert(1)</script>"})
    page = client.get("/profile/")
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


def test_completed_user_visiting_wizard_goes_home(logged_in):
    assert logged_in.get("/welcome/goals/")["Location"] == "/"


def test_a_question_already_the_pages_heading_is_not_printed_twice_yet_still_names_its_group(client, new_user):
    client.force_login(new_user)
    for step in ("goals", "habit"):
        client.get(f"/welcome/{step}/")
        post_step(client, step)
    page = client.get("/welcome/obstacle/").content.decode()
    assert "<h1>What usually gets in the way?</h1>" in page
    assert '<legend class="visually-hidden">What usually gets in the way?</legend>' in page
