"""Apps depend downward (DESIGN.md): network/ is the ground floor.

network/ imports none of casestudies/, events/ or training/, not even late inside a
function, and does not name their modules as strings for ``import_string`` or
``import_module`` either: pages that gather from several apps live in portal/.
"""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPPER_FLOORS = ("casestudies", "events", "training")
DOTTED = re.compile(rf"^({'|'.join(UPPER_FLOORS)})(\.\w+)+$")


def _network_sources():
    for path in sorted((ROOT / "network").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _is_module(dotted: str) -> bool:
    """``events.queries.talks_by`` names a module; ``events.manage_event`` does not."""
    parts = dotted.split(".")
    for n in range(2, len(parts) + 1):
        try:
            if importlib.util.find_spec(".".join(parts[:n])) is not None:
                return True
        except ModuleNotFoundError:
            return False
    return False


def _upper_floor_references(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if DOTTED.match(node.value) else []
            names = [name for name in names if _is_module(name)]
        else:
            continue
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno}: {name}"
            for name in names
            if name.split(".")[0] in UPPER_FLOORS
        ]
    return found


def test_network_uses_no_feature_app():
    found = [
        ref for path in _network_sources() for ref in _upper_floor_references(path)
    ]
    assert found == []
