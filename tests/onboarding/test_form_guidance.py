import re

import pytest
from django.test import override_settings

from onboarding.forms import password_rules_hint
from tests.onboarding.test_profile import profile_form_data

pytestmark = pytest.mark.django_db


def test_sign_up_states_the_password_rules_in_one_line(client):
    page = client.get("/accounts/signup/").content.decode()
    help_text = re.search(r'<p class="help" id="id_password1_helptext">(.*?)</p>', page, re.S).group(1)
    assert help_text == (
        "At least 8 characters; not like your name or email address; not a common password; not only numbers."
    )
    assert "<ul>" not in help_text
    assert 'aria-describedby="id_password1_helptext"' in page


@override_settings(AUTH_PASSWORD_VALIDATORS=[
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
])
def test_the_password_hint_follows_the_configured_validators():
    assert password_rules_hint() == "At least 12 characters."


def test_a_broken_password_rule_shows_next_to_the_field(client):
    page = client.post(
        "/accounts/signup/", {"email": "new@example.com", "password1": "12345678", "password2": "12345678"}
    ).content.decode()
    password_field = next(block for block in page.split('<div class="field') if 'id="id_password1"' in block)
    assert password_field.startswith(" field--error")
    assert "entirely numeric" in password_field


def test_profile_errors_are_summarised_at_the_top_with_links_to_their_fields(logged_in, user):
    response = logged_in.post(
        "/profile/", profile_form_data(user.coaching_profile, main_habit="", obstacle="", timezone="Mars/Base")
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('class="message message--error error-summary"'):page.index('id="about-you"')]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _ in links] == ["id_main_habit", "id_obstacle_0", "id_timezone"]
    assert "Name the habit you most want to build." in links[0][1]
    for target, _ in links:
        assert f'id="{target}"' in page


def test_a_profile_without_errors_has_no_summary(logged_in, user):
    page = logged_in.get("/profile/").content.decode()
    assert "error-summary" not in page
