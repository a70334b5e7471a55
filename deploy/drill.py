"""bin/drill: the production shape on loopback, and what it proves.

nginx (TLS, deploy/nginx/portal.conf as shipped, with loopback ports and a
self-signed certificate) in front of two gunicorn app instances (A and B, with
deploy/gunicorn.conf.py) and two Procrastinate workers, on the machine's
PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379. The portal reaches both
through TCP proxies this script controls, so it can cut them: from the portal's
side that is a faithful outage. Mail goes to an SMTP sink of its own that can
accept, refuse or hang. The drill has a database and an uploads folder of its own,
dropped at the end. Every process it starts is stopped by its PID at the end, also
on Ctrl-C.

    bin/drill            the full drill (60 s of load)
    bin/drill --short    the quick form CI runs (15 s of load)
"""

import argparse
import asyncio
import contextlib
import email
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
DB_NAME = f"portal_drill_{os.getpid()}"
PASSWORD = "drill-" + secrets.token_urlsafe(12)


def say(message=""):
    print(message, flush=True)


def answers(address) -> bool:
    try:
        socket.create_connection(address, 1).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if predicate():
                return True
        time.sleep(interval)
    return False


# --- Loopback servers the drill controls, on one event loop in a thread.


class Loop:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


class TcpProxy:
    """Forwards a loopback port to a server; cut() closes the port and every
    connection through it (the server looks stopped), open() brings it back."""

    def __init__(self, loop: Loop, target):
        self.loop, self.target = loop, target
        self.port = free_port()
        self.server = None
        self.writers = set()
        self.open()

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except Exception:
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        pair = {writer, up_writer}
        self.writers |= pair
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer)
        )
        self.writers -= pair

    async def _open(self):
        self.server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )

    async def _cut(self):
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    def open(self):
        self.loop.run(self._open())

    def cut(self):
        self.loop.run(self._cut())


class SmtpSink:
    """A mail server for the drill: mode "accept", "refuse" (nothing listens) or
    "hang" (takes the connection, never greets). greeting_delay holds the greeting
    while accepting, so a sender can be caught in the middle of a job."""

    def __init__(self, loop: Loop):
        self.loop = loop
        self.port = free_port()
        self.messages = []  # (to, subject)
        self.peers = []  # client ports of connections, newest last
        self.hung = 0
        self.greeting_delay = 0.0
        self.server = None
        self.mode = None
        self.set_mode("accept")

    async def _handle(self, reader, writer):
        peer_port = writer.get_extra_info("peername")[1]
        self.peers.append(peer_port)
        try:
            if self.mode == "hang":
                self.hung += 1
                await asyncio.sleep(3600)
                return
            if self.greeting_delay:
                await asyncio.sleep(self.greeting_delay)
            writer.write(b"220 drill ESMTP\r\n")
            rcpt = []
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    writer.write(b"250 drill\r\n")
                elif verb == b"RCPT":
                    rcpt.append(re.search(rb"<([^>]*)>", line).group(1).decode())
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go on\r\n")
                    data = b""
                    while not data.endswith(b"\r\n.\r\n"):
                        chunk = await reader.readline()
                        if not chunk:
                            return
                        data += chunk
                    message = email.message_from_bytes(data)
                    subject = str(
                        email.header.make_header(
                            email.header.decode_header(message["Subject"] or "")
                        )
                    )
                    self.messages.extend((to, subject) for to in rcpt)
                    rcpt = []
                    writer.write(b"250 OK queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    return
                else:  # MAIL, RSET, NOOP
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _set_mode(self, mode):
        if mode == "refuse":
            if self.server:
                self.server.close()
                self.server = None
        elif self.server is None:
            self.server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, reuse_address=True
            )
        self.mode = mode

    def set_mode(self, mode):
        self.loop.run(self._set_mode(mode))

    def count(self, to, subject_part=""):
        return sum(1 for t, s in self.messages if t == to and subject_part in s)


# --- Processes, each stopped by its PID.


class Processes:
    def __init__(self, logs: Path):
        self.logs = logs
        self.running = {}  # name -> Popen

    def start(self, name, cmd, env):
        # The child keeps its own copy of the log's file descriptor.
        with open(self.logs / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches the drill, which stops them
            )
        self.running[name] = proc
        return proc

    def log(self, name) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop(self, name, sig=signal.SIGTERM, timeout=20):
        proc = self.running.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop_all(self):
        for name in reversed(list(self.running)):
            self.stop(name)


def pid_with_connection_from(port: int, pids) -> int | None:
    """Which of pids owns the TCP connection whose local port is port."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if int(fields[1].split(":")[1], 16) == port:
                    inode = fields[9]
    if inode is None:
        return None
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                        return pid
    return None


# --- A browser: cookies, CSRF, and the headers nginx would add.

INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


class Browser:
    def __init__(self, port, *, tls=False, via_proxy_headers=True, timeout=15):
        self.port, self.tls, self.timeout = port, tls, timeout
        self.via_proxy_headers = via_proxy_headers and not tls
        self.cookies = {}
        self.conn = None

    def at(self, port, *, tls=False):
        """The same cookies, sent to another address."""
        other = Browser(port, tls=tls, timeout=self.timeout)
        other.cookies = self.cookies
        return other

    def _connection(self):
        if self.conn is None:
            if self.tls:
                self.conn = http.client.HTTPSConnection(
                    "127.0.0.1", self.port, timeout=self.timeout, context=INSECURE
                )
            else:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
        return self.conn

    def request(self, method, path, data=None):
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "portal-drill"}
        if self.via_proxy_headers:
            # What nginx sets in front of an app instance (deploy/nginx/portal.conf).
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = "127.0.0.1"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            data = {
                **(data or {}),
                # "__Host-csrftoken" when the cookies are secure.
                "csrfmiddlewaretoken": next(
                    (v for k, v in self.cookies.items() if k.endswith("csrftoken")),
                    "",
                ),
            }
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
        except Exception:
            self.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in rest.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.close()
        return response.status, response.headers, text

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data=None):
        return self.request("POST", path, data)

    def sign_in(self, email_address, password):
        self.get("/accounts/login/")
        return self.post(
            "/accounts/login/", {"login": email_address, "password": password}
        )

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --- The drill.


class Drill:
    def __init__(self, short: bool):
        self.short = short
        self.load_seconds = 15 if short else 60
        self.restart_load_seconds = 15 if short else 30
        self.results = []  # (number, name, status, detail)
        self.work = Path(tempfile.mkdtemp(prefix="portal-drill-"))
        self.procs = Processes(self.work)
        self.loop = Loop()
        self.created_databases = []

    # Reporting.

    def record(self, number, name, status, detail):
        self.results.append((number, name, status, detail))
        say(f"  [{status}] {number}. {name}: {detail}")

    def check(self, number, name, func):
        say(f"Check {number}: {name} ...")
        started = time.monotonic()
        try:
            status, detail = func()
        except Exception as exc:  # a check that breaks is a failed check
            status, detail = "FAIL", f"{type(exc).__name__}: {exc}"
        self.record(
            number, name, status, f"{detail} ({time.monotonic() - started:.1f} s)"
        )

    def table(self) -> str:
        lines = [
            "| # | Check | Result | Detail |",
            "| --- | --- | --- | --- |",
        ]
        for number, name, status, detail in sorted(self.results):
            lines.append(f"| {number} | {name} | {status} | {detail} |")
        return "\n".join(lines)

    # Environment.

    def env(self, *, direct_db=False, database=None, media=None):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL", "REDIS_URL"))
        }
        db_port = PG[1] if direct_db else self.pg_proxy.port
        env.update(
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": self.secret,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.https_port}",
                "PORTAL_SITE_URL": f"https://127.0.0.1:{self.https_port}",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{db_port}/"
                f"{database or DB_NAME}",
                "DJANGO_BEHIND_PROXY": "1",
                "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
                "DJANGO_SECURE_SSL_REDIRECT": "1",
                "DJANGO_SECURE_COOKIES": "1",
                "DJANGO_HSTS_SECONDS": "60",
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "DJANGO_EMAIL_HOST": "127.0.0.1",
                "DJANGO_EMAIL_PORT": str(self.smtp.port),
                "DJANGO_EMAIL_TIMEOUT": "5",
                "PORTAL_PRIVATE_MEDIA_ROOT": str(media or self.work / "media"),
                "PORTAL_JOBS_LOG_LEVEL": "INFO",
                "PORTAL_WEB_WORKERS": "3",
            }
        )
        if self.redis_proxy:
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_proxy.port}/0"
            env["PORTAL_CACHE_PREFIX"] = f"drill-{os.getpid()}"
        return env

    def manage(self, *args, env=None, timeout=300):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(direct_db=True),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def psql(self, sql):
        subprocess.run(
            ["psql", "-h", PG[0], "-p", str(PG[1]), "-U", "postgres", "-qAtc", sql],
            check=True,
            capture_output=True,
        )

    def create_database(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{name}"')
        self.created_databases.append(name)

    # Standing up.

    def stand_up(self):
        if not answers(PG):
            raise SystemExit(
                "No PostgreSQL server answers at 127.0.0.1:5432. The drill needs one "
                "it can reach over TCP (to cut it with its proxy): apt-get install "
                "postgresql, or run it where CI runs it."
            )
        self.secret = secrets.token_urlsafe(50)
        self.https_port, self.http_port = free_port(), free_port()
        self.ports = {"A": free_port(), "B": free_port()}
        self.pg_proxy = TcpProxy(self.loop, PG)
        self.redis_proxy = TcpProxy(self.loop, REDIS) if answers(REDIS) else None
        self.smtp = SmtpSink(self.loop)
        self.nginx = shutil.which("nginx") or (
            "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
        )
        say(f"Drill folder: {self.work}; database {DB_NAME} on 127.0.0.1:5432.")
        say(
            "Redis at 127.0.0.1:6379: "
            + (
                "yes, the shared cache"
                if self.redis_proxy
                else "no: the database cache"
            )
        )
        self.create_database(DB_NAME)
        say("Migrating, creating the cache table, collecting static files ...")
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput")
        setup_env = {**self.env(direct_db=True), "DRILL_PASSWORD": PASSWORD}
        out = self.manage(
            "shell",
            "--no-imports",
            "-c",
            (ROOT / "deploy" / "drill_setup.py").read_text(),
            env=setup_env,
        )
        self.data = json.loads(out.strip().splitlines()[-1])
        say(f"  {len(self.data['emails'])} members, a thread, an uploaded file.")
        for name, port in self.ports.items():
            self.start_app(name, port)
        for n in (1, 2):
            self.start_worker(n)
        if self.nginx:
            self.start_nginx()
        else:
            say("nginx is not installed: checks through it are SKIPPED.")
        for name, port in self.ports.items():
            if not wait_until(lambda p=port: Browser(p).get("/healthz/")[0] == 200, 60):
                raise RuntimeError(
                    f"App {name} did not answer:\n{self.procs.log('app-' + name)}"
                )
        if self.nginx and not wait_until(
            lambda: Browser(self.https_port, tls=True).get("/healthz/")[0] == 200, 20
        ):
            raise RuntimeError(f"nginx did not answer:\n{self.procs.log('nginx')}")
        say(
            f"Up: nginx https://127.0.0.1:{self.https_port} -> A :{self.ports['A']}, "
            f"B :{self.ports['B']}; workers 1 and 2; SMTP sink :{self.smtp.port}."
        )

    def start_app(self, name, port):
        env = {
            **self.env(),
            "PORTAL_BIND": f"127.0.0.1:{port}",
            "PORTAL_PROC_NAME": f"portal-drill-{name}",
        }
        self.procs.start(
            f"app-{name}",
            [
                GUNICORN,
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "portal.wsgi",
            ],
            env,
        )

    def start_worker(self, n):
        self.procs.start(
            f"worker-{n}",
            [PYTHON, "manage.py", "procrastinate", "worker", f"--name=drill-{n}"],
            self.env(),
        )

    def start_nginx(self):
        """deploy/nginx/portal.conf as shipped, with loopback ports, the drill's
        certificate and folders: what is tested is the file a council installs."""
        cert, key = self.work / "cert.pem", self.work / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        site = (ROOT / "deploy" / "nginx" / "portal.conf").read_text()
        upstream = "\n    ".join(
            f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
            for port in self.ports.values()
        )
        replacements = [
            (r"server 127\.0\.0\.1:8000 [^;]*;", upstream),
            (r"listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            (
                r"listen 443 ssl http2;",
                f"listen 127.0.0.1:{self.https_port} ssl http2;",
            ),
            (r"\n\s*listen \[::\][^\n]*", ""),
            (r"/etc/letsencrypt/live/netzero\.example\.org/fullchain\.pem", str(cert)),
            (r"/etc/letsencrypt/live/netzero\.example\.org/privkey\.pem", str(key)),
            # A self-signed certificate has no OCSP responder to staple.
            (
                r"\n\s*(ssl_stapling|ssl_stapling_verify|ssl_trusted_certificate|resolver|resolver_timeout)\b[^\n]*",
                "",
            ),
            (r"/opt/portal/staticfiles/", f"{ROOT}/staticfiles/"),
            (r"/var/log/nginx/", f"{self.work}/nginx-"),
            (r"/var/www/letsencrypt", str(self.work)),
        ]
        for pattern, value in replacements:
            site, n = re.subn(pattern, value, site)
            if not n:
                raise RuntimeError(
                    f"deploy/nginx/portal.conf has no {pattern!r} any more"
                )
        (self.work / "nginx.conf").write_text(
            f"""daemon off;
pid {self.work}/nginx.pid;
error_log {self.work}/nginx-main.error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {self.work}/nginx-body;
    proxy_temp_path {self.work}/nginx-proxy;
    fastcgi_temp_path {self.work}/nginx-fastcgi;
    uwsgi_temp_path {self.work}/nginx-uwsgi;
    scgi_temp_path {self.work}/nginx-scgi;
    access_log off;
{site}
}}
"""
        )
        self.procs.start(
            "nginx",
            [self.nginx, "-c", str(self.work / "nginx.conf"), "-p", str(self.work)],
            dict(os.environ),
        )

    # Tearing down.

    def tear_down(self):
        say("Stopping every process the drill started ...")
        self.procs.stop_all()
        for name in self.created_databases:
            with contextlib.suppress(Exception):
                self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.redis_proxy:
            with contextlib.suppress(Exception):
                import redis

                client = redis.Redis(*REDIS)
                for key in client.scan_iter(f"drill-{os.getpid()}:*"):
                    client.delete(key)
        if os.environ.get("DRILL_KEEP"):
            say(f"Logs kept in {self.work} (DRILL_KEEP).")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # The checks.

    def a(self, **kw):
        return Browser(self.ports["A"], **kw)

    def b(self, **kw):
        return Browser(self.ports["B"], **kw)

    def check_sessions(self):
        who, name = self.data["emails"][0], self.data["names"][0]
        on_a = self.a()
        status, headers, _ = on_a.sign_in(who, PASSWORD)
        if status != 302:
            return "FAIL", f"sign-in on A answered {status}"
        on_b = on_a.at(self.ports["B"])
        status, _, page = on_b.get("/home/")
        if status != 200 or name not in page:
            return "FAIL", f"B's /home/ answered {status} for the session from A"
        status, _, _ = on_a.post("/accounts/logout/")
        status_b, headers_b, _ = on_b.get("/home/")
        if status_b != 302 or "/accounts/login/" not in headers_b.get("Location", ""):
            return "FAIL", f"after signing out on A, B's /home/ answered {status_b}"
        return (
            "PASS",
            "signed in on A, B shows the member's home; signed out on A, B sends to sign-in",
        )

    def check_change_shows(self):
        member = self.a()
        member.sign_in(self.data["emails"][1], PASSWORD)
        on_b = member.at(self.ports["B"])
        thread = f"/network/forums/threads/{self.data['thread']}/"
        marker = f"Drill reply {secrets.token_hex(4)}"
        status, _, page = on_b.get(thread)
        if status != 200 or marker in page:
            return "FAIL", f"B's thread page answered {status}"
        status, _, _ = member.post(thread + "reply/", {"body": marker})
        if status not in (302, 303):
            return "FAIL", f"the reply on A answered {status}"
        status, _, page = on_b.get(thread)
        if status != 200 or marker not in page:
            return "FAIL", "B's next request does not show the reply made on A"
        return (
            "PASS",
            "a reply posted through A is on B's next page of the thread (cached parts too)",
        )

    def check_sign_in_limits(self):
        who = self.data["emails"][2]
        for attempt in range(5):
            instance = self.a() if attempt % 2 == 0 else self.b()
            status, _, page = instance.sign_in(who, "wrong password " + str(attempt))
            if status == 302:
                return "FAIL", "a wrong password signed in"
        status, _, page = self.b().sign_in(who, PASSWORD)
        if status == 302:
            return "FAIL", "5 failures spread over A and B did not lock the account"
        if "too many failed sign-in attempts" not in page:
            return "FAIL", f"the 6th try answered {status} without the lock-out message"
        return (
            "PASS",
            "5 wrong passwords alternating A, B, A, B, A: the right one on B is refused, locked",
        )

    def lock_out(self, who, instances):
        """Five failed sign-ins: the account is locked and its owner emailed (a
        job). Returns the statuses the pages answered."""
        statuses = []
        for attempt in range(5):
            instance = instances[attempt % len(instances)]
            statuses.append(instance.sign_in(who, f"wrong {attempt}")[0])
        return statuses

    def worker_pids(self):
        return {
            name: proc.pid
            for name, proc in self.procs.running.items()
            if name.startswith("worker-") and proc.poll() is None
        }

    def check_worker_killed(self):
        who = self.data["emails"][3]
        self.smtp.greeting_delay = 4.0  # the job waits on the mail server
        seen = len(self.smtp.peers)
        self.lock_out(who, [self.a()])
        if not wait_until(lambda: len(self.smtp.peers) > seen, 30):
            self.smtp.greeting_delay = 0
            return "FAIL", "no worker took the lock-out email job"
        workers = self.worker_pids()
        pid = pid_with_connection_from(self.smtp.peers[-1], workers.values())
        if pid is None:
            self.smtp.greeting_delay = 0
            return "FAIL", "could not tell which worker holds the job"
        killed = next(name for name, p in workers.items() if p == pid)
        os.kill(pid, signal.SIGKILL)
        self.procs.running[killed].wait(5)
        self.smtp.greeting_delay = 0
        started = time.monotonic()
        delivered = wait_until(lambda: self.smtp.count(who) >= 1, 150, 0.5)
        took = time.monotonic() - started
        time.sleep(2)
        count = self.smtp.count(who)
        self.start_worker(int(killed.split("-")[1]))
        if not delivered or count != 1:
            return "FAIL", f"{killed} killed mid-job: the email went out {count} times"
        return "PASS", (
            f"{killed} (pid {pid}) SIGKILLed while its job talked to the mail server; "
            f"the other worker sent the email {took:.0f} s later, exactly once"
        )

    def check_database_outage(self):
        member = self.a()
        member.sign_in(self.data["emails"][8], PASSWORD)
        self.pg_proxy.cut()
        try:
            results = []
            for label, browser, path in [
                ("/healthz/ on A", self.a(), "/healthz/"),
                ("/healthz/ on B", self.b(), "/healthz/"),
                ("home page on B", self.b(), "/"),
                ("member's home on A", member, "/home/"),
                ("member's home on B", member.at(self.ports["B"]), "/home/"),
            ]:
                started = time.monotonic()
                status, headers, page = browser.get(path)
                took = time.monotonic() - started
                results.append((label, status, took, headers.get("Retry-After")))
            bad = [
                f"{label} {status} in {took:.1f} s"
                for label, status, took, retry in results
                if status != 503
                or took > 2.0
                or (retry is None and "healthz" not in label)
            ]
            slowest = max(took for _, _, took, _ in results)
        finally:
            self.pg_proxy.open()
        if bad:
            return "FAIL", "while the database was cut: " + "; ".join(bad)
        started = time.monotonic()
        back = wait_until(
            lambda: (
                self.a().get("/healthz/")[0] == 200
                and self.b().get("/healthz/")[0] == 200
                and member.get("/home/")[0] == 200
            ),
            20,
        )
        took = time.monotonic() - started
        dead = [n for n, p in self.procs.running.items() if p.poll() is not None]
        if not back or dead:
            return (
                "FAIL",
                f"after the database came back: answered={back}, stopped: {dead}",
            )
        return "PASS", (
            f"cut: /healthz/ and pages 503 with Retry-After, slowest {slowest:.2f} s; "
            f"back: A and B answer 200 within {took:.1f} s, no process restarted"
        )

    def check_mail_outage(self):
        phases = [("refuse", 3), ("hang", 7)]
        expected, statuses = [], []
        n = 4
        for mode, settle in phases:
            self.smtp.set_mode(mode)
            hung_before = self.smtp.hung
            for _ in range(2):
                who = self.data["emails"][n]
                n += 1
                expected.append(who)
                statuses += self.lock_out(who, [self.a(), self.b()])
            time.sleep(settle)
            if mode == "hang" and self.smtp.hung == hung_before:
                self.smtp.set_mode("accept")
                return "FAIL", "no worker tried the hanging mail server"
        self.smtp.set_mode("accept")
        started = time.monotonic()
        delivered = wait_until(
            lambda: all(self.smtp.count(who) >= 1 for who in expected), 120, 0.5
        )
        took = time.monotonic() - started
        time.sleep(3)
        counts = [self.smtp.count(who) for who in expected]
        errors = [s for s in statuses if s >= 500]
        if errors or not delivered or counts != [1] * len(expected):
            return "FAIL", f"5xx: {len(errors)}; deliveries per email: {counts}"
        return "PASS", (
            f"{len(statuses)} sign-in pages while mail refused then hung: no 5xx; "
            f"{len(expected)} emails each delivered once, {took:.0f} s after it was back"
        )

    def check_redis_outage(self):
        if not self.redis_proxy:
            return (
                "SKIPPED",
                "no Redis at 127.0.0.1:6379: the shared cache is the database",
            )
        member = self.a()
        member.sign_in(self.data["emails"][9], PASSWORD)
        self.redis_proxy.cut()
        try:
            statuses = [
                member.get("/home/")[0],
                member.at(self.ports["B"]).get("/home/")[0],
                self.b().get("/")[0],
                self.b().sign_in(self.data["emails"][10], PASSWORD)[0],
            ]
        finally:
            self.redis_proxy.open()
        logged = "Redis is unavailable" in self.procs.log("app-A") + self.procs.log(
            "app-B"
        )
        after = member.get("/home/")[0]
        if statuses != [200, 200, 200, 302] or not logged or after != 200:
            return "FAIL", f"pages {statuses}, after {after}, fallback logged: {logged}"
        return "PASS", (
            "Redis cut: member pages on A and B, the home page and a sign-in work; "
            "'Redis is unavailable ... falls back to the database table' logged"
        )

    def check_backup_restore(self):
        started = time.monotonic()
        out = self.manage("backup", "--output", str(self.work / "backups"))
        folder = re.search(r"Backup complete in [\d.]+ s: (\S+) \(", out).group(1)
        restored = f"{DB_NAME}_restored"
        self.create_database(restored)
        env = self.env(direct_db=True, database=restored, media=self.work / "restored")
        out = self.manage("restore", folder, env=env)
        verified = re.search(r"Verified: .*", out)
        signs_in = (
            self.manage(
                "shell",
                "--no-imports",
                "-c",
                "from django.contrib.auth import authenticate; "
                f"print(authenticate(email={self.data['emails'][11]!r}, "
                f"password={PASSWORD!r}) is not None)",
                env=env,
            )
            .strip()
            .splitlines()[-1]
        )
        took = time.monotonic() - started
        if not verified or signs_in != "True":
            return "FAIL", f"verified: {bool(verified)}, member signs in: {signs_in}"
        return (
            "PASS",
            f"{verified.group(0)} A member signs in on the restored database. Backup and restore took {took:.1f} s",
        )

    def load(self, seconds, during=None):
        """Members and visitors through nginx, 50 connections, 1 request in 10 a
        write. Returns (latencies, failures, total)."""
        members = self.data["emails"][12:30]
        thread = f"/network/forums/threads/{self.data['thread']}/"
        reads_member = [
            "/home/",
            thread,
            "/network/forums/",
            "/case-studies/",
            "/events/",
        ]
        reads_visitor = ["/", "/about/", "/case-studies/", "/events/", "/training/"]
        latencies, failures, lock = [], [], threading.Lock()
        stop_at = time.monotonic() + seconds

        def user(n):
            browser = Browser(self.https_port, tls=True, timeout=40)
            is_member = n < len(members)
            rng = __import__("random").Random(n)
            if is_member:
                browser.sign_in(members[n], PASSWORD)
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                started = time.monotonic()
                try:
                    if i % 10 == 0 and is_member:
                        what = "reply"
                        status = browser.post(
                            thread + "reply/", {"body": f"Load {n}-{i}"}
                        )[0]
                        ok = status in (302, 303)
                    elif i % 10 == 0:
                        what = "sign-in"
                        status = browser.sign_in(f"visitor{n}-{i}@example.org", "nope")[
                            0
                        ]
                        ok = status == 200
                    else:
                        what = rng.choice(reads_member if is_member else reads_visitor)
                        status = browser.get(what)[0]
                        ok = status in (200, 302)
                except Exception as exc:
                    what, status, ok = what, type(exc).__name__, False
                took = time.monotonic() - started
                with lock:
                    latencies.append(took)
                    if not ok:
                        failures.append(f"{what}: {status}")
            browser.close()

        threads = [
            threading.Thread(target=user, args=(n,), daemon=True) for n in range(50)
        ]
        for t in threads:
            t.start()
        if during:
            during()
        for t in threads:
            t.join()
        return latencies, failures

    @staticmethod
    def summary(latencies, failures, seconds):
        q = statistics.quantiles(latencies, n=100)
        return (
            f"{len(latencies)} requests in {seconds} s ({len(latencies) / seconds:.0f}/s), "
            f"{len(failures)} failed; p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
            f"p99 {q[98] * 1000:.0f} ms"
        )

    def check_load(self):
        if not self.nginx:
            return "SKIPPED", "nginx is not installed (apt-get install nginx)"
        latencies, failures = self.load(self.load_seconds)
        detail = self.summary(latencies, failures, self.load_seconds)
        if failures:
            return "FAIL", detail + "; first: " + ", ".join(sorted(set(failures))[:5])
        return "PASS", "50 connections through nginx, 1 in 10 a write: " + detail

    def check_graceful_restart(self):
        if not self.nginx:
            return "SKIPPED", "nginx is not installed (apt-get install nginx)"
        master = self.procs.running["app-A"].pid
        log_before = len(self.procs.log("app-A"))

        def restart():
            time.sleep(self.restart_load_seconds / 3)
            os.kill(master, signal.SIGHUP)

        latencies, failures = self.load(self.restart_load_seconds, during=restart)
        log = self.procs.log("app-A")[log_before:]
        restarted = "Handling signal: hup" in log and "Booting worker" in log
        detail = self.summary(latencies, failures, self.restart_load_seconds)
        if failures or not restarted:
            return "FAIL", f"restarted: {restarted}; " + detail + "; " + ", ".join(
                sorted(set(failures))[:5]
            )
        return (
            "PASS",
            f"SIGHUP to A's gunicorn master during the load, new workers booted: {detail}",
        )

    # Runner.

    CHECKS = [
        (1, "Session across A and B, sign-out on A ends it on B", "check_sessions"),
        (2, "A change made through A shows on B's next request", "check_change_shows"),
        (3, "Sign-in limits count across both instances", "check_sign_in_limits"),
        (
            4,
            "Worker SIGKILLed mid-job: the other finishes it, email once",
            "check_worker_killed",
        ),
        (
            5,
            "PostgreSQL stopped: 503 fast, back without a restart",
            "check_database_outage",
        ),
        (
            6,
            "Mail refusing, hanging, back: no 5xx, each email once",
            "check_mail_outage",
        ),
        (7, "Redis stopped: pages work, fallback logged", "check_redis_outage"),
        (
            8,
            "Backup, restore into a fresh database, a member signs in",
            "check_backup_restore",
        ),
        (9, "Load through nginx: 50 connections, 1 in 10 a write", "check_load"),
        (10, "Graceful restart of one instance during load", "check_graceful_restart"),
    ]

    def run(self):
        started = time.monotonic()
        self.stand_up()
        only = os.environ.get("DRILL_ONLY")
        for number, name, method in self.CHECKS:
            if only and str(number) not in only.split(","):
                continue
            self.check(number, name, getattr(self, method))
        say()
        say(
            f"Drill finished in {time.monotonic() - started:.0f} s "
            f"({'short' if self.short else 'full'} form), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
            f"{os.uname().nodename}, {os.cpu_count()} cores:"
        )
        say(self.table())
        return all(status != "FAIL" for _, _, status, _ in self.results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the quick form (CI)")
    args = parser.parse_args()
    drill = Drill(short=args.short)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    ok = False
    try:
        ok = drill.run()
    except KeyboardInterrupt:
        say("Interrupted.")
    finally:
        drill.tear_down()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
