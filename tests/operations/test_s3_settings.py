"""Uploads on S3-compatible storage are a matter of settings: PORTAL_S3_BUCKET and
its companions switch the default storage to django-storages' S3 backend."""

import subprocess
import sys

from tests.test_settings import ROOT, production_env

SHOW_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, *(getattr(s, a, '-') for a in "
    "('bucket_name', 'location', 'endpoint_url', 'default_acl')))"
)


def storage_with(**env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_STORAGE],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_a_bucket_puts_uploads_on_private_s3_storage():
    assert storage_with(
        PORTAL_S3_BUCKET="council-portal-uploads",
        PORTAL_S3_ENDPOINT_URL="https://s3.example.org",
    ) == [
        "S3Storage",
        "council-portal-uploads",
        "uploads",
        "https://s3.example.org",
        "private",
    ]


def test_without_a_bucket_uploads_stay_on_the_file_system():
    assert storage_with(PORTAL_S3_BUCKET="")[0] == "FileSystemStorage"
