from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"

    def ready(self):
        from . import receivers  # noqa: F401
        from .export import register_export_sections

        register_export_sections()
