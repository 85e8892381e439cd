"""Unsubscribe tokens: signed per person and stream, never expiring, no login needed."""

from django.core import signing

from .models import Stream


class BadUnsubscribeToken(Exception):
    """The token was not made by us (tampered, truncated or for an unknown stream)."""


def _signer(stream: str) -> signing.Signer:
    return signing.Signer(salt=f"digests.unsubscribe.{stream}")


def unsubscribe_token(*, user_id: int, stream: str) -> str:
    return f"{stream}-{_signer(stream).sign(str(user_id))}"


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, stream) from a token, or BadUnsubscribeToken."""
    stream, _, signed = token.partition("-")
    if stream not in Stream.values:
        raise BadUnsubscribeToken(token)
    try:
        return int(_signer(stream).unsign(signed)), stream
    except (signing.BadSignature, ValueError) as error:
        raise BadUnsubscribeToken(token) from error
