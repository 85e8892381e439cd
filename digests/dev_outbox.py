"""Development email as files: one `.eml` per message in `EMAIL_FILE_PATH` (var/emails), read back for the
staff-only outbox page (/email/dev-outbox/, DEBUG only).

Django's file backend appends every message one connection sends to a single `.log` file (a digest sweep
writes dozens into one), which no mail client opens; here each message is its own standard `.eml` file.
"""

import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

# Names this backend writes: a UTC timestamp (so names sort by time) and a random suffix.
FILE_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]{6}-[0-9a-f]{8}\.eml$")


def outbox_folder() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path) if file_path else outbox_folder()

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            try:
                self._write(message.message().as_bytes())
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _write(self, data: bytes):
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
        # Written under another name, then renamed: the outbox page never reads half a message.
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(data)
        os.replace(partial, self.folder / name)


@dataclass(frozen=True)
class OutboxMessage:
    name: str                  # the file's name, which is also its address on the outbox page
    subject: str
    sender: str
    to: str
    date: datetime | None      # the message's Date header
    text: str = ""             # the plain-text part ("" when the message has none)
    html: str = ""             # the HTML part ("" when the message has none)


def outbox_names() -> list[str]:
    """Every message file, newest first."""
    folder = outbox_folder()
    if not folder.is_dir():
        return []
    return sorted((path.name for path in folder.iterdir() if FILE_NAME.match(path.name)), reverse=True)


def outbox_message(name: str) -> OutboxMessage | None:
    """One message read from its file; None for a name this backend would not have written or a file that is gone."""
    if not FILE_NAME.match(name):
        return None
    try:
        with open(outbox_folder() / name, "rb") as file:
            parsed = email.message_from_binary_file(file, policy=email.policy.default)
    except FileNotFoundError:
        return None
    date = parsed["Date"]
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    return OutboxMessage(
        name=name,
        subject=str(parsed["Subject"] or ""),
        sender=str(parsed["From"] or ""),
        to=str(parsed["To"] or ""),
        date=date.datetime if date is not None and date.datetime is not None else None,
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
    )
