"""The one email helper: every email Cadence sends is rendered and built here.

Each kind has three templates, `templates/emails/<kind>/{subject.txt,body.txt,body.html}`;
every message is multipart (text + HTML) and carries anymail tags and metadata. Scheduled
streams also carry RFC 8058 one-click unsubscribe headers.
"""

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


def build_email(
    *, kind: str, to: str, rendered: RenderedEmail, user_id: int, send_id="", unsubscribe: str | None = None
) -> AnymailMessage:
    """A ready-to-send multipart message; scheduled emails pass their `unsubscribe_url` for RFC 8058."""
    headers = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = AnymailMessage(
        subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers,
        tags=[kind], metadata={"kind": kind, "user_id": str(user_id), "send_id": str(send_id)},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
