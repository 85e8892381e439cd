# Cadence: one image for the web server (gunicorn) and the django-q2 worker (qcluster).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image; WhiteNoise serves them. The key exists only for this step.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 cadence && mkdir -p var && chown cadence var
USER cadence

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000"]
