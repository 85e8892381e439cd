"""Security edges from issue 13: admin sign-in is rate limited, security headers, leaving works mid-wizard."""

import io
import zipfile

import pytest

from tests.factories import UserFactory
from tests.onboarding.wizard_helpers import post_step

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def admin_sign_in(client, user, password):
    return client.post("/accounts/login/?next=/admin/", {"login": user.email, "password": password})


def test_admin_login_redirects_to_the_rate_limited_account_login(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2Fuser%2F"


def test_the_admin_sends_anonymous_visitors_through_the_account_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/accounts/login/?next=%2Fadmin%2F", 302)
    assert response.status_code == 200


def test_admin_login_ignores_a_next_url_on_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_staff_signs_in_to_the_admin_through_the_account_login(client, staff):
    response = admin_sign_in(client, staff, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/auth/user/")["Location"] == "/admin/auth/user/"


def test_a_signed_in_person_without_staff_rights_is_refused_not_looped(client, user):
    client.force_login(user)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_after_the_failed_login_limit_even_the_right_admin_password_is_refused(client, staff):
    # ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per account in 300 s; allauth then rejects
    # every attempt with a form error (status 200), before it even checks the password.
    for _ in range(5):
        response = admin_sign_in(client, staff, "wrong")
        assert response.status_code == 200 and b"Too many failed login attempts" not in response.content
    response = admin_sign_in(client, staff, PASSWORD)
    assert response.status_code == 200
    assert b"Too many failed login attempts. Try again later." in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_every_page_carries_a_tight_csp_and_a_permissions_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"   # no inline style either (emails are framed on their own URL)
    assert "unsafe-inline" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in csp
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in response["Permissions-Policy"]


def test_signed_in_pages_are_not_cached(logged_in):
    for path in ("/today/", "/profile/", "/profile/delete/"):
        assert logged_in.get(path)["Cache-Control"] == "private, no-store", path


@pytest.mark.parametrize("path", ["/profile/export.json", "/profile/export.zip", "/profile/export-loop.zip",
                                  "/profile/export-loop.db"])
def test_data_exports_are_not_cached(logged_in, path):
    response = logged_in.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_public_landing_page_stays_cacheable(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.fixture
def mid_wizard(client, db):
    user = UserFactory()
    client.force_login(user)
    client.get("/welcome/goals/")
    post_step(client, "goals")
    assert client.get("/today/")["Location"].startswith("/welcome/")
    return user


def test_someone_mid_wizard_can_download_their_data(client, mid_wizard):
    data = client.get("/profile/export.json")
    assert data.status_code == 200
    assert [row["email"] for row in data.json()["profile"]] == [mid_wizard.email]
    archive = client.get("/profile/export.zip")
    assert archive.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist()


def test_someone_mid_wizard_can_delete_their_account(client, mid_wizard):
    page = client.get("/profile/delete/")
    assert page.status_code == 200
    html = page.content.decode()
    # only what they can use: no Loop links that would bounce them back to the wizard
    assert "/profile/import-loop/" not in html and "/profile/export-loop" not in html and 'href="/profile/"' not in html
    assert 'href="/welcome/"' in html and "/profile/export.json" in html
    response = client.post("/profile/delete/", {"password": PASSWORD, "email": mid_wizard.email})
    assert response.status_code == 302
    assert not type(mid_wizard).objects.filter(pk=mid_wizard.pk).exists()


def test_the_rest_of_the_profile_still_waits_for_the_wizard(client, mid_wizard):
    assert client.get("/profile/")["Location"].startswith("/welcome/")
