"""allauth's account emails go through our email helper: our design, our kind header, no usernames."""

import html
import re
from pathlib import Path

import allauth
import pytest
from allauth.account import app_settings as allauth_settings
from django.contrib.auth import get_user_model
from django.core import mail

from digests.account_emails import ACCOUNT_EMAIL_KINDS
from digests.emails import KIND_HEADER, RenderedEmail, build_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-123"
SCRIPT_NAME = "<script>alert(1)</script>Ana"
CSRF_TOKEN = re.compile(r'"X-CSRFToken":\s*"[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')


def signup(client, email="ana@example.com", first_name=SCRIPT_NAME):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "first_name": first_name},
        HTTP_HOST="127.0.0.1",
    )


def html_of(message):
    [(body, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return body


def everything(message):
    return "\n".join([message.subject, message.body, html_of(message)])


def without_csrf(page):
    """The page without its per-request CSRF tokens, which differ between any two responses."""
    return re.sub(CSRF_TOKEN, "", page.content.decode())


def kinds_of(message):
    return message.extra_headers[KIND_HEADER]


def test_signup_confirmation_is_ours_and_never_shows_the_username(client):
    signup(client)

    user = get_user_model().objects.get(email="ana@example.com")
    [message] = mail.outbox
    body = html_of(message)
    assert kinds_of(message) == "account-confirm"
    assert message.tags == ["account-confirm"]
    assert message.metadata == {"kind": "account-confirm", "user_id": str(user.pk), "send_id": ""}
    assert message.subject == "Cadence: Confirm your email address"
    assert "Cadence" in message.body and "Cadence" in body
    assert "max-width:600px" in body and "prefers-color-scheme: dark" in body  # the digest's design
    assert "/accounts/confirm-email/" in message.body and 'href="http://127.0.0.1/accounts/confirm-email/' in body
    assert user.username and user.username.lower() != SCRIPT_NAME.lower()
    for text in (everything(message).lower(), html.unescape(everything(message)).lower()):
        assert user.username.lower() not in text
        assert "127.0.0.1" not in text.replace("http://127.0.0.1/", "")  # the host only inside the link
        assert "has given your email" not in text
    assert "<script>" not in body
    assert "Hi &lt;script&gt;alert(1)&lt;/script&gt;Ana," in body
    assert f"Hi {SCRIPT_NAME}," in message.body  # plain text is not HTML: the name as typed


def test_confirmation_page_names_the_address_not_the_username(client):
    signup(client)
    user = get_user_model().objects.get(email="ana@example.com")
    link = re.search(r"http://127\.0\.0\.1(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)

    page = client.get(link).content.decode()

    assert "is your email address for Cadence" in page
    assert user.username not in page.lower()


def test_account_pages_for_a_signed_in_person_show_no_username(client):
    user = UserFactory(username="internal-handle-42", first_name="Ana")
    client.force_login(user)

    page = client.get("/accounts/password/reset/").content.decode()

    assert f"You are already signed in as Ana ({user.email})." in page
    assert "internal-handle-42" not in page


def test_login_message_greets_by_first_name_not_username(client):
    user = UserFactory(username="internal-handle-42", first_name=SCRIPT_NAME)
    user.set_password(PASSWORD)
    user.save()

    page = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True)

    text = page.content.decode()
    assert "Signed in. Welcome, &lt;script&gt;alert(1)&lt;/script&gt;Ana." in text
    assert "internal-handle-42" not in text and "<script>alert(1)" not in text


def test_signup_messages_have_no_username(client):
    page = client.get(signup(client)["Location"], follow=True)
    confirmation = mail.outbox[-1].body
    path = next(line for line in confirmation.splitlines() if "/accounts/confirm-email/" in line).strip()
    confirmed = client.post(path[path.index("/accounts/confirm-email/"):], follow=True)

    user = get_user_model().objects.get(email="ana@example.com")
    shown = [str(m) for m in page.context["messages"]] + [str(m) for m in confirmed.context["messages"]]
    assert f"Signed in. Welcome, {SCRIPT_NAME}." in shown
    assert not [m for m in shown if user.username in m.lower()]
    assert "Signed in. Welcome, &lt;script&gt;alert(1)&lt;/script&gt;Ana." in confirmed.content.decode()


def test_password_reset_email_for_an_account(client):
    user = UserFactory(username="internal-handle-42", first_name="Ana")

    response = client.post("/accounts/password/reset/", {"email": user.email}, HTTP_HOST="127.0.0.1")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email]
    assert kinds_of(message) == "password-reset"
    assert message.metadata["user_id"] == str(user.pk)
    assert message.subject == "Cadence: Reset your password"
    assert "Hi Ana," in message.body and "Hi Ana," in html_of(message)
    assert "/accounts/password/reset/key/" in message.body and "/accounts/password/reset/key/" in html_of(message)
    assert "internal-handle-42" not in everything(message)


def test_password_reset_for_an_unknown_address_answers_alike_and_tells_the_address(client):
    known = client.post("/accounts/password/reset/", {"email": UserFactory().email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    message = mail.outbox[-1]
    assert message.to == ["nobody@example.com"]
    assert kinds_of(message) == "unknown-account"
    assert message.metadata["user_id"] == ""
    assert message.subject == "Cadence: No account for this address"
    assert "/accounts/signup/" in message.body and "/accounts/signup/" in html_of(message)


def test_signup_with_a_taken_address_answers_like_a_new_signup_and_tells_the_owner(client, django_user_model):
    owner = UserFactory(email="owner@example.com", first_name="Olu")
    new = signup(client, email="fresh@example.com")
    new_page = client.get(new["Location"])
    client.logout()
    mail.outbox.clear()

    taken = signup(client, email="owner@example.com")
    taken_page = client.get(taken["Location"])

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert taken_page.status_code == new_page.status_code == 200
    assert without_csrf(taken_page).replace("owner@", "fresh@") == without_csrf(new_page)
    assert django_user_model.objects.filter(email="owner@example.com").count() == 1
    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert kinds_of(message) == "account-already-exists"
    assert message.subject == "Cadence: You already have an account"
    assert "/accounts/password/reset/" in message.body and "/accounts/password/reset/" in html_of(message)
    assert owner.username not in everything(message)
    assert message.body.startswith("Hi Olu,")   # the owner, greeted in their own inbox


def test_every_account_email_our_settings_can_send_has_a_kind_and_templates():
    """Read allauth's own list of emails; the ones we leave unmapped stay switched off."""
    shipped = {
        f"account/email/{path.name.removesuffix('_subject.txt')}"
        for path in (Path(allauth.__file__).parent / "templates/account/email").glob("*_subject.txt")
    }
    switched_off = {
        # ACCOUNT_EMAIL_NOTIFICATIONS
        "account/email/email_changed", "account/email/email_confirm", "account/email/email_deleted",
        "account/email/password_changed", "account/email/password_reset", "account/email/password_set",
        # ACCOUNT_LOGIN_BY_CODE_ENABLED, ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED
        "account/email/login_code", "account/email/password_reset_code",
    }
    assert not allauth_settings.EMAIL_NOTIFICATIONS
    assert not allauth_settings.LOGIN_BY_CODE_ENABLED and not allauth_settings.PASSWORD_RESET_BY_CODE_ENABLED
    assert shipped - switched_off == set(ACCOUNT_EMAIL_KINDS)
    templates = Path(__file__).resolve().parents[2] / "templates/emails"
    for kind in set(ACCOUNT_EMAIL_KINDS.values()):
        assert {p.name for p in (templates / kind).iterdir()} >= {"subject.txt", "body.txt", "body.html"}


RENDERED = RenderedEmail(subject="Hello", text="Hi", html="<p>Hi</p>")


def test_every_kind_a_message_contains_is_in_its_header_tags_and_metadata():
    message = build_email(kinds=["digest", "drip-day-7"], to="a@example.com", rendered=RENDERED, user_id=7, send_id=3)

    assert message.extra_headers[KIND_HEADER] == "digest drip-day-7"
    assert message.tags == ["digest", "drip-day-7"]
    assert message.metadata == {"kind": "digest drip-day-7", "user_id": "7", "send_id": "3"}
    assert message.message()[KIND_HEADER] == "digest drip-day-7"


def test_the_one_kind_keyword_still_works():
    message = build_email(kind="digest", to="a@example.com", rendered=RENDERED, user_id=7)

    assert message.extra_headers[KIND_HEADER] == "digest"
    assert message.tags == ["digest"] and message.metadata["kind"] == "digest"


@pytest.mark.parametrize("kinds", [[], [""], ["drip day-7"], ["digest\r\nBcc: x@example.com"]])
def test_a_kind_must_be_one_word(kinds):
    with pytest.raises(ValueError):
        build_email(kinds=kinds, to="a@example.com", rendered=RENDERED, user_id=7)


def test_the_pages_that_say_write_to_us_give_the_address(client, settings):
    settings.SUPPORT_EMAIL = "help@example.org"
    for path in ("/accounts/password/reset/", "/accounts/password/reset/done/", "/accounts/confirm-email/"):
        page = client.get(path).content.decode()
        assert 'href="mailto:help@example.org"' in page, path
        assert "contact us" not in page.lower(), path
