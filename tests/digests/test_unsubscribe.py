"""Unsubscribing: one click from the inbox, no login, and a GET never changes anything."""

import pytest
from django.test import Client

from digests.models import EmailSchedule
from digests.emails import unsubscribe_url
from digests.tokens import unsubscribe_token
from tests.digests.conftest import at, schedule_of, scheduled_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    return scheduled_profile(now=at("2026-06-01T12:00"), hour=20)


def path_for(profile, stream="digest"):
    return f"/unsubscribe/{unsubscribe_token(user_id=profile.user_id, stream=stream)}/"


def test_one_click_post_without_cookies_or_csrf_token_unsubscribes(profile):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_for(profile), data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert b"unsubscribed" in response.content
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert not schedule.digest_enabled and schedule.next_digest_at is None
    assert schedule_of(profile).drip_enabled


def test_get_shows_a_confirmation_and_changes_nothing(profile):
    response = Client().get(path_for(profile))
    assert response.status_code == 200
    assert b"Unsubscribe from the daily digest?" in response.content
    assert b'method="post"' in response.content
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert schedule.digest_enabled and schedule.next_digest_at is not None


def test_drip_token_turns_off_only_the_drip(profile):
    Client(enforce_csrf_checks=True).post(path_for(profile, "drip"))
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert schedule.digest_enabled and not schedule.drip_enabled


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: token.replace("digest-", "drip-"),
    lambda token: "digest-999:" + token.split(":", 1)[1],
    lambda token: "nonsense",
])
def test_tampered_token_is_rejected_with_400(profile, mangle):
    token = unsubscribe_token(user_id=profile.user_id, stream="digest")
    for method in ("get", "post"):
        response = getattr(Client(enforce_csrf_checks=True), method)(f"/unsubscribe/{mangle(token)}/")
        assert response.status_code == 400
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert schedule.digest_enabled and schedule.drip_enabled


def test_deleted_persons_token_shows_the_unsubscribed_page(profile):
    path = path_for(profile)
    profile.user.delete()
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 200 and b"unsubscribed" in response.content


def test_unsubscribe_url_is_absolute_and_signed_per_person_and_stream(profile, settings):
    url = unsubscribe_url(user_id=profile.user_id, stream="digest")
    assert url.startswith(f"{settings.SITE_URL}/unsubscribe/digest-{profile.user_id}:")
    assert unsubscribe_token(user_id=profile.user_id, stream="drip").split(":")[1] != url.split(":")[-1].rstrip("/")


def test_unsubscribe_works_while_logged_in_as_someone_else(profile, client, user):
    client.force_login(user)
    client.post(path_for(profile))
    assert not schedule_of(profile).digest_enabled
    assert EmailSchedule.objects.get(user=user).digest_enabled


def test_a_link_opened_again_after_unsubscribing_says_so_instead_of_asking_again(profile):
    client = Client()
    client.post(path_for(profile))
    again = client.get(path_for(profile)).content.decode()
    assert "You&#x27;re already unsubscribed" in again or "You're already unsubscribed" in again
    assert 'method="post"' not in again
    assert 'method="post"' in client.get(path_for(profile, "drip")).content.decode()   # the other stream is still on: it asks
