"""Every URL the project serves, checked for the ways a view leaks or changes someone's data.

The URLs come from the resolver, not from a list, so a view is covered the day it is added. Four promises:

1. Signed out, a GET is sent to the sign-in page or answered 404.
2. Signed in as someone else, a GET or POST naming another person's habit, check-in, insight, digest or Loop
   import is answered 404 (405 for a GET to a POST-only view), and never shows or changes their data.
3. A POST without a CSRF token is refused with 403.
4. A GET changes nothing: a state-changing view answers 405, any other page renders without writing a row.

A page anyone may reach goes in PUBLIC with the reason beside it; nothing else is exempt. A new URL whose ids the test cannot fill fails until `OWNED_OBJECT_ROUTES` names its object.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from habits.models import LoopImport
from onboarding.wizard import STEP_NAMES
from tests.factories import AnalysisRunFactory, CheckInFactory, DigestSendFactory, HabitFactory, InsightFactory, ProfileFactory

# Whole includes that are someone else's to test.
SKIPPED_NAMESPACES = {
    "admin": "Django's admin site; its login is tested with the admin itself",
}
SKIPPED_ROUTE_PREFIXES = {
    "accounts/": "allauth's sign-in, sign-up and password pages: public by design and tested by allauth",
}

# Pages anyone may reach, each with why that is safe.
PUBLIC = {
    "home": "the landing page for visitors",
    "healthz": "load balancers probe it without a session",
    "digests:unsubscribe": "the signed token is the credential; the one-click POST must work from a mail client",
    "digests:tracking_webhook": "anymail's webhook authenticates the ESP with its secret (tests/digests/test_webhooks.py)",
}

# Which object an <int:pk> names, by the route it starts with.
OWNED_OBJECT_ROUTES = {
    "habits/<int:pk>/": "habit",
    "check-ins/<int:pk>/": "checkin",
    "coaching/insights/<int:pk>/": "insight",
    "email/history/<int:pk>/": "digest",
    "profile/import-loop/<int:pk>/": "loop_import",
}

# Parameters that name no one's object: a valid value, so the view gets past its URL parsing.
PLAIN_PARAMETERS = {
    "direction": "up",
    "token": "not-a-real-token",
    "name": "no-such-message.eml",
    "step": STEP_NAMES[0],
}

# Tables a read may write, because they hold bookkeeping, not the person's data: the session backs the wizard's
# draft; a habit checkpoint is a cache of its streaks, rebuilt on the next read whenever it is dropped.
BOOKKEEPING_TABLES = ('"django_session"', '"habits_habitcheckpoint"')


def _discover(patterns, route_prefix="", namespace=""):
    for entry in patterns:
        route = route_prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES or route.startswith(tuple(SKIPPED_ROUTE_PREFIXES)):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _discover(entry.url_patterns, route, inner)
        else:
            assert entry.name, f"URL {route!r} has no name, so this test cannot reverse it"
            parameters = list(getattr(entry.pattern, "converters", {})) or list(entry.pattern.regex.groupindex)
            yield namespace + entry.name, route, parameters


URLS = {name: (route, parameters) for name, route, parameters in _discover(get_resolver().url_patterns) if name not in PUBLIC}
OWNED_URLS = sorted(name for name, (route, _) in URLS.items() if route.startswith(tuple(OWNED_OBJECT_ROUTES)))


def _owned_object(route):
    return next(kind for prefix, kind in OWNED_OBJECT_ROUTES.items() if route.startswith(prefix))


def _url(name, objects):
    route, parameters = URLS[name]
    kwargs = {}
    for parameter in parameters:
        if parameter == "pk" and route.startswith(tuple(OWNED_OBJECT_ROUTES)):
            kwargs[parameter] = objects[_owned_object(route)].pk
        elif parameter in PLAIN_PARAMETERS:
            kwargs[parameter] = PLAIN_PARAMETERS[parameter]
        else:
            pytest.fail(f"{name}: add {route!r} to OWNED_OBJECT_ROUTES or {parameter!r} to PLAIN_PARAMETERS")
    return reverse(name, kwargs=kwargs)


def _objects_of(user):
    habit = HabitFactory(user=user)
    run = AnalysisRunFactory(user=user)
    return {
        "user": user,
        "habit": habit,
        "checkin": CheckInFactory(habit=habit),
        "insight": InsightFactory(run=run, user=user),
        "digest": DigestSendFactory(user=user, subject="Your Tuesday", content={"headline": "Two of three done"}),
        "loop_import": LoopImport.objects.create(user=user),
    }


@pytest.fixture
def owner(db):
    """Person A: everything the intruder's requests name is theirs."""
    return _objects_of(ProfileFactory().user)


@pytest.fixture
def intruder(db):
    """Person B: onboarded, with objects of their own, signed in."""
    objects = _objects_of(ProfileFactory().user)
    client = Client()
    client.force_login(objects["user"])
    strict_client = Client(enforce_csrf_checks=True)
    strict_client.force_login(objects["user"])
    return {**objects, "client": client, "strict_client": strict_client}


@pytest.mark.parametrize("name", sorted(URLS))
def test_signed_out_get_goes_to_sign_in_or_404(client, owner, name):
    response = client.get(_url(name, owner))

    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", OWNED_URLS)
def test_another_persons_ids_are_404(owner, intruder, name):
    url = _url(name, owner)

    assert intruder["client"].get(url).status_code in (404, 405)
    assert intruder["client"].post(url).status_code == 404
    kind = _owned_object(URLS[name][0])
    assert type(owner[kind]).objects.filter(pk=owner[kind].pk).exists()


@pytest.mark.parametrize("name", sorted(URLS))
def test_post_without_csrf_token_is_refused(owner, intruder, name):
    assert intruder["strict_client"].post(_url(name, intruder)).status_code == 403


@pytest.mark.parametrize("name", sorted(URLS))
def test_get_changes_nothing(intruder, name):
    with CaptureQueriesContext(connection) as queries:
        response = intruder["client"].get(_url(name, intruder))

    assert response.status_code < 500
    if response.status_code != 405:
        writes = [
            query["sql"] for query in queries
            if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and not any(table in query["sql"] for table in BOOKKEEPING_TABLES)
        ]
        assert writes == []
