"""The floors of the portal (docs/architecture.md, "Layers"), each importing only the
floors below it, never one above, not even late inside a function, and not naming
an upper floor's modules as strings for ``import_string`` or ``import_module``:

    tools/                    the measuring tools, outside the installed package
    portal/                   the shell: settings, URLs, home, search, people, privacy
    casestudies/ events/ training/    the feature apps
    network/                  members, organisations, forums, conversations
    kit/                      version tokens, mail, Markdown, uploads, permissions,
                              response headers, sessions, the security log

Migrations are left out: Django writes them, and they name other apps' models.
"""

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = [
    ("kit",),
    ("network",),
    ("casestudies", "events", "training"),
    ("portal",),
    ("tools",),
]
FLOOR_OF = {package: n for n, floor in enumerate(FLOORS) for package in floor}


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _is_module(dotted: str) -> bool:
    """``events.queries.talks_by`` names a module; ``events.manage_event`` does not."""
    parts = dotted.split(".")
    for n in range(2, len(parts) + 1):
        try:
            if importlib.util.find_spec(".".join(parts[:n])) is not None:
                return True
        except (ImportError, ValueError):
            return False
    return False


def _named_packages(node) -> list[str]:
    """The project packages a node imports, or names as a dotted module string."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0:
        names = [node.module or ""]
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        value = node.value
        ours = value.split(".")[0] in FLOOR_OF and " " not in value
        names = [value] if ours and "." in value and _is_module(value) else []
    else:
        return []
    return [name for name in names if name.split(".")[0] in FLOOR_OF]


def upward_references(package: str) -> list[str]:
    own_floor = FLOOR_OF[package]
    found = []
    for path in _sources(package):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {name}"
                for name in _named_packages(node)
                if FLOOR_OF[name.split(".")[0]] > own_floor
            ]
    return found


@pytest.mark.parametrize("package", sorted(FLOOR_OF))
def test_no_package_reaches_a_floor_above_its_own(package):
    assert upward_references(package) == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a kit module importing an app is reported."""
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "bad.py").write_text(
        "def f():\n    from network.models import Member\n    return Member\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert upward_references("kit") == ["kit/bad.py:2: network.models"]
