"""A local SMTP server that accepts every message and discards it (aiosmtpd's
Sink, from the test extra), in a process of its own as a real server would be, and
the settings that send to it. The benchmarks measure sending against it."""

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the local SMTP server did not start")


@contextlib.contextmanager
def smtp_sink():
    """Start the server; yield the email settings that send to it; stop it."""
    if importlib.util.find_spec("aiosmtpd") is None:
        raise RuntimeError("needs aiosmtpd (the test extra)")
    port = free_port()
    # In this process it would compete with the sending for the interpreter.
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
        + ["-l", f"127.0.0.1:{port}"]
    )
    try:
        wait_for(port)
        yield {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
    finally:
        server.terminate()
        server.wait()
