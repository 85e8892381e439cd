"""A mail backend for the killed-sweep test: each message's recipient is written (and flushed to
disk) the moment it is handed over, then sending takes a while, so a SIGKILL lands mid-batch."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend

OUTBOX = os.environ.get("SLOW_OUTBOX", "")
SECONDS_PER_MESSAGE = 0.25


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        for message in messages:
            with open(OUTBOX, "a") as outbox:
                outbox.write(f"{message.to[0]} {message.extra_headers.get('X-Cadence-Kind', '')}\n")
                outbox.flush()
                os.fsync(outbox.fileno())
            time.sleep(SECONDS_PER_MESSAGE)
        return len(messages)
