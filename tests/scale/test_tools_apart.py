"""The measuring tools stay out of the product: the package pip installs leaves
tools/ out, and settings add the app only when the folder is there. That no
product module imports tools/ is tests/test_app_layers.py's (the top floor)."""

import tomllib
from pathlib import Path

from django.conf import settings
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("kit", "portal", "network", "casestudies", "events", "training")


def test_the_installed_package_leaves_the_tools_out():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    find = pyproject["tool"]["setuptools"]["packages"]["find"]

    packages = find_packages(ROOT, include=find["include"], exclude=find["exclude"])

    assert set(PRODUCT) <= set(packages)
    assert "portal.digest" in packages
    assert not [p for p in packages if p.split(".")[0] in ("tools", "tests")]


def test_a_checkout_has_the_tools_app():
    assert "tools" in settings.INSTALLED_APPS
