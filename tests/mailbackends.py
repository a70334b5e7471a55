"""Email backends for tests: Django's in-memory outbox, with the connections counted
or a server that refuses the nth message, so batch sending can be checked."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class CountingBackend(LocmemBackend):
    """The outbox, and how many SMTP connections a real server would have seen."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True


class RefusingBackend(LocmemBackend):
    """Takes ``accept`` messages, then refuses every one after (OSError, as smtplib
    raises for a dropped connection) until ``accept`` is raised again."""

    accept = 0

    def send_messages(self, messages):
        if type(self).accept <= 0:
            raise ConnectionRefusedError("mail server refused the message")
        type(self).accept -= len(messages)
        return super().send_messages(messages)
