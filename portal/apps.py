from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import checks, signals  # noqa: F401 (checks register themselves)

        signals.connect()

        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import security
        from .middleware import mark_signed_out
        from .sessions import on_signed_in

        user_logged_in.connect(on_signed_in, dispatch_uid="portal-session-start")
        security.connect()
        user_logged_out.connect(mark_signed_out, dispatch_uid="portal-signed-out")

        # Procrastinate finds one jobs module per app: the privacy package's
        # and the digest's tasks are registered here.
        from .digest import jobs as digest_jobs  # noqa: F401
        from .privacy import admin, jobs, signals  # noqa: F401

        admin.install()
        signals.connect()
