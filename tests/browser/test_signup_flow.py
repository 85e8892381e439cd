import pytest

from onboarding.models import CoachingProfile
from tests.browser import flows
from tests.digests.conftest import schedule_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_user_signs_up_and_completes_the_wizard_by_clicking(page, live_server):
    flows.sign_up_and_onboard(page, live_server.url, email="newcomer@example.com", first_name="Noor",
                              goals=("Health & fitness", "Sleep"), obstacle="Low energy",
                              why_now="Winter is coming and I sit too much.", zone="Europe/Berlin",
                              chronotype="Evening person", tone="Direct: tell it straight")
    profile = CoachingProfile.objects.get(user__email="newcomer@example.com")
    assert profile.timezone == "Europe/Berlin"
    assert schedule_of(profile).digest_hour == 20
    assert profile.user.habits.get().name == "Walk 20 minutes"
