"""Layers: services never import Textual; nothing heavy is on the path to the first frame."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out))


def test_services_do_not_import_textual():
    modules = loaded_after("import twindesk.services, twindesk.seed, twindesk.store, twindesk.taxonomy")
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)


def test_the_app_and_its_start_path_do_not_import_sqlalchemy():
    modules = loaded_after(
        "import twindesk.cli, twindesk.app, twindesk.services, twindesk.screens.directory, "
        "twindesk.widgets.paged_table"
    )
    heavy = {m for m in modules if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "pydantic"}}
    assert not heavy
