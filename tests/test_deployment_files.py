"""Docker is not available everywhere the tests run: the files are checked against the README by reading."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_production_commands():
    """The commands in the README's Production block, without the virtualenv prefix or comments."""
    section = (ROOT / "README.md").read_text().split("## Production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return [c.removeprefix(".venv/bin/") for c in commands if c.startswith(".venv/bin/")]


def compose_command(service):
    text = (ROOT / "docker-compose.yml").read_text()
    body = text.split(f"\n  {service}:\n", 1)[1]
    return re.search(r"^    command: (.+)$", body, re.MULTILINE).group(1)


def test_compose_web_and_worker_run_the_readme_production_commands():
    commands = readme_production_commands()
    assert compose_command("web") in commands
    assert compose_command("worker") in commands
    assert compose_command("worker") == "python manage.py qcluster"
    assert compose_command("web").startswith("gunicorn config.wsgi")


def test_compose_setup_runs_every_readme_step_before_web_and_worker():
    setup = compose_command("setup")
    for step in ("migrate", "createcachetable", "setup_schedules"):
        assert f"python manage.py {step}" in setup
        assert any(c.startswith(f"python manage.py {step}") for c in readme_production_commands())
    text = (ROOT / "docker-compose.yml").read_text()
    for service in ("web", "worker"):
        body = text.split(f"\n  {service}:\n", 1)[1].split("\n\n", 1)[0]
        assert "setup:\n        condition: service_completed_successfully" in body


def test_compose_runs_postgres_16_and_redis_7_as_the_broker_in_production_settings():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "image: postgres:16" in text and "image: redis:7" in text
    for variable in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert f"{variable}:" in text
    assert "DJANGO_SETTINGS_MODULE: config.settings.production" in text
    assert "http://localhost:8000/healthz" in text


def test_dockerfile_serves_with_gunicorn_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert 'CMD ["gunicorn", "config.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000"]' in dockerfile
    assert "runserver" not in dockerfile
    assert re.search(r"^gunicorn==", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
