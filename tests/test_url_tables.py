"""URL lists live in urls.py files, grouped by area; view modules hold views only."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "config", "history", "quiz", "bench"]


def url_lists_outside_urls_py():
    """Every module-level `urlpatterns` or `*_urls` list in a module not named urls.py."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "urls.py" or "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                for target in targets:
                    if isinstance(target, ast.Name) and (target.id == "urlpatterns" or target.id.endswith("_urls")):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.id}")
    return found


def test_no_view_module_keeps_a_url_list():
    assert url_lists_outside_urls_py() == []
