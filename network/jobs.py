"""The network app's background jobs, found by Procrastinate's autodiscovery."""

from network.forums.jobs import email_notifications, notify_post

__all__ = ["email_notifications", "notify_post"]
