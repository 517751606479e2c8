"""Label-and-value lines of a detail screen."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content


def field_lines(rows: Iterable[tuple[str, str]], width: int) -> Content:
    """One "label  value" line per row. Labels are ours; values are user text,
    kept out of markup. An empty value shows as —."""
    return Content("\n").join(
        Content.assemble(Content.styled(f"{label:<{width}}", "bold $text-muted"), Content(value or "—"))
        for label, value in rows
    )
