from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network members and discussions"

    def ready(self):
        from . import signals  # noqa: F401
