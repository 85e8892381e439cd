import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def local_setting(name, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "SITE_URL", "PORT"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def make_run_commands(*args):
    environment = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "SITE_URL", "PORT"}}
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_development_email_goes_to_one_file_per_message_unless_a_backend_is_chosen():
    assert local_setting("EMAIL_BACKEND") == "digests.dev_outbox.EmailBackend"
    console = "django.core.mail.backends.console.EmailBackend"
    assert local_setting("EMAIL_BACKEND", EMAIL_BACKEND=console) == console


def test_make_run_on_another_port_sends_email_links_to_that_port():
    commands = make_run_commands("PORT=9000")
    honcho = next(line for line in commands.splitlines() if "honcho start" in line)
    assert "PORT=9000 SITE_URL=http://127.0.0.1:9000 " in honcho
    assert "http://127.0.0.1:9000/email/dev-outbox/" in commands


def test_make_run_keeps_a_site_url_that_is_set():
    commands = make_run_commands("PORT=9000", "SITE_URL=https://tunnel.example.com")
    assert "SITE_URL=https://tunnel.example.com " in next(line for line in commands.splitlines() if "honcho" in line)
