"""deploy/ agrees with the portal: the environment template is complete enough for
`check --deploy`, nginx forwards what the trusted-proxy settings read and accepts the
uploads the portal accepts, and the units run what exists."""

import re
import secrets

from tests.test_settings import ROOT, production_env, run_check

DEPLOY = ROOT / "deploy"


def env_template() -> dict:
    values = {}
    for line in (DEPLOY / "portal.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_the_environment_template_passes_the_deploy_check():
    env = env_template()
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    # Only the template's values: nothing from the test's own environment.
    blank = {name: None for name in production_env() if name.startswith("DJANGO_")}
    result = run_check(production_env(**{**blank, **env}))
    assert result.returncode == 0, result.stdout + result.stderr


def test_nginx_forwards_what_the_trusted_proxy_settings_expect():
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    env = env_template()
    assert (
        env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1" and env["DJANGO_BEHIND_PROXY"] == "1"
    )
    # One proxy: the header holds exactly the client's address, and the scheme.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert "return 301 https://$host$request_uri;" in site


def test_nginx_accepts_the_largest_upload_the_portal_accepts():
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert limit_mb == int(env_template()["PORTAL_MAX_UPLOAD_MB"]) + 1


def test_the_units_run_the_files_in_the_checkout():
    web = (DEPLOY / "systemd" / "portal-web.service").read_text()
    assert "--config /opt/portal/deploy/gunicorn.conf.py portal.wsgi" in web
    assert "ExecReload=/bin/kill -HUP $MAINPID" in web
    for unit in (
        "portal-web.service",
        "portal-worker@.service",
        "portal-backup.service",
    ):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/portal/portal.env" in text
        assert "ProtectSystem=strict" in text and "NoNewPrivileges=yes" in text
    timer = (DEPLOY / "systemd" / "portal-backup.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer
