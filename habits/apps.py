from django.apps import AppConfig


class HabitsConfig(AppConfig):
    name = "habits"

    def ready(self):
        from . import receivers  # noqa: F401
