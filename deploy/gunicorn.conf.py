"""Gunicorn for the portal (deploy/systemd/portal-web.service and bin/drill).

Sync workers: each request holds one worker, and the portal's requests are short
(a slow database gives up within 2 s, email goes through jobs). `systemctl reload
portal-web` sends SIGHUP: new workers start with the new code and settings, old ones
finish their requests first, and no request is refused."""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WEB_WORKERS") or multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A worker stuck this long is killed and replaced; no portal page takes 30 s.
timeout = 30
# Requests in flight get this long to finish on a reload or stop.
graceful_timeout = 25
keepalive = 5
# A worker is replaced after this many requests, spread so not all at once.
max_requests = 2000
max_requests_jitter = 200
# Logs go to stderr, which journald keeps; nginx writes the access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PORTAL_GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-Proto from nginx on this host (SECURE_PROXY_SSL_HEADER reads it).
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = os.environ.get("PORTAL_PROC_NAME", "portal-web")
