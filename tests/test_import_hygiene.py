"""Layers: nothing below the screens imports Textual, and nothing heavy is on
the path to the first frame.

Each module of the headless packages is imported in a fresh interpreter, so
a Textual import in a module nobody's __init__ loads is found too (and a
test below plants one to prove it). `lint-imports` checks the same layers
statically from the contracts in pyproject.toml.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEADLESS = ("twindesk.services", "twindesk.store", "twindesk.bundle", "twindesk.registry", "twindesk.sync",
            "twindesk.models", "twindesk.taxonomy", "twindesk.text", "twindesk.config", "twindesk.seed",
            "twindesk.failures", "twindesk.demo")

FIND = """
import importlib, json, pkgutil, sys
found = {}
for root in sys.argv[1:]:
    module = importlib.import_module(root)
    names = [root]
    if hasattr(module, "__path__"):
        names += [m.name for m in pkgutil.walk_packages(module.__path__, root + ".")]
    for name in names:
        found[name] = None
print(json.dumps(sorted(found)))
"""

CHECK = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "textual_plotext"))))
"""


def modules_under(roots: tuple[str, ...], path: str | None = None) -> list[str]:
    env = _env(path)
    out = subprocess.run([sys.executable, "-c", FIND, *roots], check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


def textual_loaded_by(module: str, path: str | None = None) -> list[str]:
    out = subprocess.run([sys.executable, "-c", CHECK, module], check=True, capture_output=True, text=True,
                         env=_env(path))
    return json.loads(out.stdout)


def _env(path: str | None) -> dict[str, str] | None:
    if path is None:
        return None
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH", "")]))}


HEADLESS_MODULES = modules_under(HEADLESS)


def test_every_headless_module_is_checked():
    # Each package's modules, not only its __init__ (the walk is what finds a lazy import).
    assert "twindesk.services.visits" in HEADLESS_MODULES
    assert "twindesk.sync.conflicts" in HEADLESS_MODULES
    assert len(HEADLESS_MODULES) > 40


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_headless_module_does_not_import_textual(module):
    assert textual_loaded_by(module) == []


def test_the_check_finds_a_textual_import_planted_in_a_lazily_loaded_module(tmp_path: Path):
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text('"""Imports nothing."""\n')
    (package / "visits.py").write_text(textwrap.dedent("""
        import textual.widgets  # the mistake: a service module reaching for the UI
    """))
    names = modules_under(("planted",), str(tmp_path))
    assert names == ["planted", "planted.visits"]
    assert textual_loaded_by("planted", str(tmp_path)) == []  # the package alone looks clean
    assert "textual.widgets" in textual_loaded_by("planted.visits", str(tmp_path))


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out))


def test_the_app_and_its_start_path_do_not_import_sqlalchemy():
    modules = loaded_after(
        "import twindesk.cli, twindesk.app, twindesk.services, twindesk.screens.dashboard, "
        "twindesk.screens.directory, twindesk.widgets.paged_table"
    )
    heavy = {m for m in modules if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "pydantic"}}
    assert not heavy
