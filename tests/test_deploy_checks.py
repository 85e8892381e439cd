import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
                   and not k.startswith("ANYMAIL_")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="a" * 20 + "production-secret-key-with-enough-entropy-1234567890", ALLOWED_HOSTS="cadence.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {"SECRET_KEY": "a" * 20 + "production-secret-key-with-enough-entropy-1234567890",
              "ALLOWED_HOSTS": "cadence.example.com", "ANYMAIL_ESP": "postmark", "ANYMAIL_POSTMARK_SERVER_TOKEN": "token"}


def test_check_deploy_errors_when_an_esp_is_configured_without_a_webhook_secret():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "ERROR" in result.stderr and "digests.E001" in result.stderr, result.stdout + result.stderr


def test_check_deploy_is_clean_when_the_esp_has_a_webhook_secret():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", ANYMAIL_WEBHOOK_SECRET="hook:secret", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
