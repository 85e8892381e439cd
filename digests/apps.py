from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"

    def ready(self):
        from . import checks, receivers, webhooks  # noqa: F401
        from .export import register_export_sections

        register_export_sections()
