"""The measuring tools stay out of the product: the package pip installs leaves
tools/ out, and no product module imports it (so an install without the folder
starts, and settings add the app only when the folder is there)."""

import ast
import tomllib
from pathlib import Path

from django.conf import settings
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("portal", "network", "casestudies", "events", "training")


def test_the_installed_package_leaves_the_tools_out():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    find = pyproject["tool"]["setuptools"]["packages"]["find"]

    packages = find_packages(ROOT, include=find["include"], exclude=find["exclude"])

    assert {"portal", "network", "casestudies", "events", "training"} <= set(packages)
    assert "portal.digest" in packages
    assert not [p for p in packages if p.split(".")[0] in ("tools", "tests")]


def test_no_product_module_imports_the_tools():
    importers = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                if any(name.split(".")[0] == "tools" for name in names):
                    importers.append(str(path.relative_to(ROOT)))

    assert importers == []


def test_a_checkout_has_the_tools_app():
    assert "tools" in settings.INSTALLED_APPS
