"""The one email helper: every email Cadence sends is rendered and built here.

Each kind has three templates, `templates/emails/<kind>/{subject.txt,body.txt,body.html}`;
every message is multipart (text + HTML) and carries anymail tags and metadata. Scheduled
streams also carry RFC 8058 one-click unsubscribe headers.

Every message says what it contains in `X-Cadence-Kind`: its kinds, space-separated, in the
order given (`digest`, `digest drip-day-7`, `account-confirm`). Tests and operators filter
on it, so a kind's name, once sent, does not change.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from anymail.message import AnymailMessage
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .tokens import unsubscribe_token


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@cache
def _page_path(name: str) -> str:
    return reverse(name)


def page_url(name: str) -> str:
    """Absolute URL of a page without arguments (reversed once per process: every email links to it)."""
    return absolute_url(_page_path(name))


def unsubscribe_url(*, user_id: int, stream: str) -> str:
    return absolute_url(reverse("digests:unsubscribe", args=[unsubscribe_token(user_id=user_id, stream=stream)]))


def render_email(kind: str, context: dict) -> RenderedEmail:
    subject = render_to_string(f"emails/{kind}/subject.txt", context)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # one line: a newline in a header is refused
        text=render_to_string(f"emails/{kind}/body.txt", context),
        html=render_to_string(f"emails/{kind}/body.html", context),
    )


KIND_HEADER = "X-Cadence-Kind"


def _kinds(kinds: Sequence[str], kind: str | None) -> list[str]:
    names = list(dict.fromkeys([*kinds, *([kind] if kind else [])]))
    if not names:
        raise ValueError("build_email needs at least one kind.")
    for name in names:
        if not name or name.split() != [name]:
            raise ValueError(f"A kind is one word, so {KIND_HEADER} stays space-separated: {name!r}.")
    return names


def build_email(
    *, to: str, rendered: RenderedEmail, kinds: Sequence[str] = (), kind: str | None = None,
    user_id: int | None = None, send_id="", unsubscribe: str | None = None,
) -> AnymailMessage:
    """A ready-to-send multipart message; scheduled emails pass their `unsubscribe_url` for RFC 8058.

    `kinds` lists everything the message contains (`["digest", "drip-day-7"]`); they become the
    `X-Cadence-Kind` header, the anymail tags and, space-separated, metadata `kind`. `kind="digest"`
    is the one-kind spelling older callers use. `user_id` is None when no account exists (an
    email to an unknown address).
    """
    names = _kinds(kinds, kind)
    headers = {KIND_HEADER: " ".join(names)}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = AnymailMessage(
        subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers,
        tags=names,
        metadata={"kind": headers[KIND_HEADER], "user_id": "" if user_id is None else str(user_id), "send_id": str(send_id)},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
