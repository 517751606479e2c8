"""The exports the app's palette writes beside the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

KINDS = ("csv", "ics", "html", "md")


def write_brief_beside(desk: Desk, visit_id: str, folder: Path) -> Path:
    """A visit's delegation brief (HTML) in `folder`, named without personal data."""
    from twindesk.bundle.brief import brief_data, default_name, write_brief

    return write_brief(desk, visit_id, "html", folder / default_name(brief_data(desk, visit_id), "html"))


def write_export(desk: Desk, kind: str, folder: Path) -> Path:
    """Write one export (CSV files, the calendar, or the council report) into `folder`."""
    from twindesk.bundle.csv_export import export_csv
    from twindesk.bundle.ics_export import export_ics
    from twindesk.bundle.report import write_report

    today = desk.today()
    if kind == "csv":
        target = folder / f"csv-{today.isoformat()}"
        export_csv(desk, target)
    elif kind == "ics":
        target = folder / "twindesk.ics"
        export_ics(desk, target)
    elif kind in ("html", "md"):
        target = folder / f"council-report-{today.year}.{kind}"
        write_report(desk, today.year, kind, target)
    else:
        raise ValueError(f"unknown export {kind!r}")
    return target
