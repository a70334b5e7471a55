from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Checks register themselves, and the shell its parts' render functions.
        from . import checks, shell, signals  # noqa: F401

        signals.connect()

        # Procrastinate finds one jobs module per app: the privacy package's
        # and the digest's tasks are registered here.
        from .digest import jobs as digest_jobs  # noqa: F401
        from .privacy import admin, jobs, signals  # noqa: F401

        admin.install()
        signals.connect()
