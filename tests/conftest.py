import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import ProfileFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits live in the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    """Django's test setup swaps in locmem; every email is tested through anymail's test backend."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []


@pytest.fixture
def user(db):
    return ProfileFactory().user


@pytest.fixture
def new_user(db):
    """Signed up, not yet onboarded."""
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def pytest_terminal_summary(terminalreporter):
    from tests.browser.conftest import CHROMIUM

    if not CHROMIUM:
        terminalreporter.write_sep("!", "NO CHROMIUM FOUND: BROWSER TESTS WERE SKIPPED", red=True, bold=True)
        terminalreporter.write_line("Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.")


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", help="save page screenshots to screenshots/")
