import pytest

from onboarding.models import CoachingProfile
from tests.factories import ProfileFactory
from tests.digests.conftest import schedule_of

pytestmark = pytest.mark.django_db


def profile_form_data(profile, **overrides):
    data = {
        "first_name": "Sam", "goals": profile.goals, "goals_other": "", "main_habit": profile.main_habit,
        "main_habit_time": "", "obstacle": profile.obstacle, "obstacle_other": "", "why_now": profile.why_now,
        "timezone": profile.timezone, "chronotype": profile.chronotype, "success_factor": profile.success_factor,
        "tone": profile.tone, "day_start_hour": profile.day_start_hour,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_profile_page_shows_every_answer(logged_in, user):
    page = logged_in.get("/profile/")
    assert page.status_code == 200
    for text in [b"Run before work", b"I want more energy for my kids.", b"Europe/London"]:
        assert text in page.content


def test_profile_edit_saves_and_moves_digest_hour_with_chronotype(logged_in, user):
    profile = user.coaching_profile
    response = logged_in.post("/profile/", profile_form_data(profile, chronotype="evening", timezone="Asia/Kolkata"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.chronotype == "evening"
    assert profile.timezone == "Asia/Kolkata"
    schedule = schedule_of(profile)
    assert schedule.digest_hour == 20 and not schedule.digest_hour_overridden


def test_hand_set_digest_hour_survives_a_chronotype_change(logged_in, user):
    profile = user.coaching_profile
    logged_in.post("/email/preferences/", {"digest_hour": 9, "digest_enabled": "on", "drip_enabled": "on"})
    schedule = schedule_of(profile)
    assert schedule.digest_hour == 9 and schedule.digest_hour_overridden
    logged_in.post("/profile/", profile_form_data(profile, chronotype="evening"))
    assert schedule_of(profile).digest_hour == 9


def test_email_settings_live_only_on_email_preferences(logged_in, user):
    page = logged_in.get("/profile/")
    for name in (b'name="digest_hour"', b'name="digest_enabled"', b'name="drip_enabled"'):
        assert name not in page.content
    assert b'href="/email/preferences/"' in page.content


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"timezone": "Nowhere/Atlantis"}, b"is not a time zone we know"),
        ({"timezone": "localtime"}, b"is not a time zone we know"),
        ({"timezone": "Factory"}, b"is not a time zone we know"),
        ({"timezone": "posixrules"}, b"is not a time zone we know"),
        ({"main_habit": "m" * 81}, b"at most 80 characters"),
        ({"day_start_hour": 9}, b"Select a valid choice"),
        ({"why_now": ""}, b"A sentence is enough"),
    ],
)
def test_invalid_profile_edit_is_rejected_and_nothing_is_saved(logged_in, user, overrides, message):
    profile = user.coaching_profile
    response = logged_in.post("/profile/", profile_form_data(profile, first_name="Changed", **overrides))
    assert response.status_code == 400
    assert message in response.content
    assert b"field--error" in response.content
    fresh = CoachingProfile.objects.get(pk=profile.pk)
    assert fresh.timezone == "Europe/London" and fresh.main_habit == "Run before work"
    user.refresh_from_db()
    assert user.first_name == "Sam"


def test_profile_page_only_ever_shows_your_own_profile(logged_in, user):
    other = ProfileFactory(main_habit="Secret other habit", why_now="Other person's reason")
    page = logged_in.get("/profile/")
    assert b"Secret other habit" not in page.content
    logged_in.post("/profile/", profile_form_data(user.coaching_profile, main_habit="Mine"))
    other.refresh_from_db()
    assert other.main_habit == "Secret other habit"


def test_anonymous_visitor_sees_landing_page(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b"Sign up" in page.content and b"Log in" in page.content


def test_failed_logins_are_rate_limited(client, user):
    statuses = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).status_code for _ in range(7)
    ]
    response = client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    assert statuses[0] == 200
    assert response.status_code == 429 or b"Too many failed login attempts" in response.content


@pytest.mark.parametrize("typed,zone", [
    ("pacific/kiritimati", "Pacific/Kiritimati"), ("Berlin", "Europe/Berlin"), ("new york", "America/New_York"),
    ("  Asia/Kolkata  ", "Asia/Kolkata"),
])
def test_a_zone_typed_as_people_type_it_is_understood(logged_in, user, typed, zone):
    response = logged_in.post("/profile/", profile_form_data(user.coaching_profile, timezone=typed))
    assert response.status_code == 302
    assert CoachingProfile.objects.get(user=user).timezone == zone


def test_words_for_something_else_are_dropped_when_another_obstacle_is_chosen(logged_in, user):
    response = logged_in.post("/profile/", profile_form_data(user.coaching_profile, obstacle="time",
                                                            obstacle_other="my commute"))
    assert response.status_code == 302
    assert CoachingProfile.objects.get(user=user).obstacle_other == ""
