from .base import *  # noqa: F401,F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
ANYMAIL_ESP = "postmark"  # mounts /anymail/postmark/tracking/, the webhook the tests post to
Q_CLUSTER = {"name": "cadence-test", "sync": True, "orm": "default", "timeout": 60, "retry": 120}
WHITENOISE_AUTOREFRESH = True
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
