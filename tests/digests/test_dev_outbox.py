import datetime as dt
import email
import email.policy
import re

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives, get_connection

from digests import dev_outbox
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

BACKEND = "digests.dev_outbox.EmailBackend"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_FILE_PATH = str(tmp_path / "emails")
    settings.DEBUG = True
    return tmp_path / "emails"


@pytest.fixture
def staff_client(client):
    client.force_login(ProfileFactory(user__is_staff=True).user)
    return client


def message(subject, to="sam@example.com", html=None):
    mail = EmailMultiAlternatives(subject, f"{subject}\n\nOpen http://testserver/today/ to check in.", to=[to])
    if html is not None:
        mail.attach_alternative(html, "text/html")
    return mail


def test_every_message_of_one_connection_gets_its_own_eml_file(outbox):
    connection = get_connection(BACKEND)
    assert connection.send_messages([message("First"), message("Second"), message("Third")]) == 3
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 3
    subjects = {email.message_from_bytes(path.read_bytes(), policy=email.policy.default)["Subject"] for path in files}
    assert subjects == {"First", "Second", "Third"}
    assert not list(outbox.glob(".*")), "no partly written file is left behind"


def test_a_message_reads_back_with_both_parts(outbox):
    get_connection(BACKEND).send_messages([message("Your day", html="<p>Three of <b>five</b> done</p>")])
    [name] = dev_outbox.outbox_names()
    read = dev_outbox.outbox_message(name)
    assert read.subject == "Your day"
    assert read.to == "sam@example.com"
    assert "http://testserver/today/" in read.text
    assert "<b>five</b>" in read.html
    assert read.date is not None


def test_the_outbox_lists_newest_first_with_subject_recipient_and_date(outbox, staff_client):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)):
        get_connection(BACKEND).send_messages([message("Older", to="ada@example.com")])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
        get_connection(BACKEND).send_messages([message("Newer", to="bo@example.com")])
    page = staff_client.get("/email/dev-outbox/")
    assert page.status_code == 200
    content = page.content.decode()
    assert content.index("Newer") < content.index("Older")
    assert "bo@example.com" in content and "ada@example.com" in content
    assert "2 Mar, 09:00:00" in content


def test_one_message_shows_its_text_with_links_and_its_html_in_a_sandboxed_frame(outbox, staff_client):
    get_connection(BACKEND).send_messages([message("Confirm", html='<p onclick="x()">Hi <a href="/x">there</a></p>')])
    [name] = dev_outbox.outbox_names()
    page = staff_client.get(f"/email/dev-outbox/{name}/").content.decode()
    assert '<a href="http://testserver/today/"' in page
    frame = re.search(r"<iframe [^>]*>", page).group(0)
    assert 'sandbox="' in frame and "allow-scripts" not in frame
    assert f'src="/email/dev-outbox/{name}/email.html"' in frame
    html = staff_client.get(f"/email/dev-outbox/{name}/email.html")
    assert html.content.decode() == '<p onclick="x()">Hi <a href="/x">there</a></p>'
    policy = html["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'self'" in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_sign_up_confirmation_lands_in_the_outbox(outbox, settings, staff_client, client):
    settings.EMAIL_BACKEND = BACKEND
    client.logout()
    client.post("/accounts/signup/", {"email": "new@example.com", "password1": "a-Strong-pass-123",
                                      "password2": "a-Strong-pass-123"})
    [name] = dev_outbox.outbox_names()
    read = dev_outbox.outbox_message(name)
    assert read.to == "new@example.com"
    assert "/accounts/confirm-email/" in read.text


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_outbox_is_not_found_for_anyone_but_staff(outbox, client, who):
    get_connection(BACKEND).send_messages([message("Secret link")])
    if who == "member":
        client.force_login(ProfileFactory().user)
    [name] = dev_outbox.outbox_names()
    assert client.get("/email/dev-outbox/").status_code == 404
    assert client.get(f"/email/dev-outbox/{name}/").status_code == 404
    assert client.get(f"/email/dev-outbox/{name}/email.html").status_code == 404


def test_the_outbox_is_not_found_outside_development(outbox, settings, staff_client):
    settings.DEBUG = False
    assert staff_client.get("/email/dev-outbox/").status_code == 404


@pytest.mark.parametrize("name", ["settings.py", "..%2F..%2Fmanage.py", "20260301-090000-000000-abcdef12.eml"])
def test_only_existing_outbox_files_can_be_opened(outbox, staff_client, name):
    assert staff_client.get(f"/email/dev-outbox/{name}/").status_code == 404


def test_an_empty_outbox_says_how_to_fill_it(outbox, staff_client):
    assert b"No email yet" in staff_client.get("/email/dev-outbox/").content
