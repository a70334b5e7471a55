from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import checks, signals  # noqa: F401 (checks register themselves)

        signals.connect()

        from .privacy import admin

        admin.install()
