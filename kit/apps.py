from django.apps import AppConfig


class KitConfig(AppConfig):
    """The shared kit below every app: version tokens, mail, Markdown, uploads,
    permissions, response headers, sessions and the security log. It imports no
    app of the portal (tests/test_app_layers.py)."""

    name = "kit"
    verbose_name = "Kit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import security
        from .middleware import mark_signed_out
        from .sessions import on_signed_in

        user_logged_in.connect(on_signed_in, dispatch_uid="portal-session-start")
        security.connect()
        user_logged_out.connect(mark_signed_out, dispatch_uid="portal-signed-out")
