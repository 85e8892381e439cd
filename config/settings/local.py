import os

from .base import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["*"]

# Development email: one .eml file per message in EMAIL_FILE_PATH (var/emails), listed for staff at
# /email/dev-outbox/, rather than printed among the web server's and the worker's interleaved logs.
if not os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = "digests.dev_outbox.EmailBackend"
