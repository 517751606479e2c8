"""Command palette providers: jump to any record by name, or to any screen.

Commands are named "category: action". Names of records are user text, so
they are shown as plain Content: Textual's own `Matcher.highlight` would
parse them as markup.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp


def plain_highlight(matcher: Matcher, text: str) -> Content:
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ScreenCommands(Provider):
    """Go to each screen of the app."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        return [(f"Go to: {title}", mode, help_text) for mode, title, help_text in app.SCREEN_TITLES]

    async def discover(self) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        for name, mode, help_text in self._commands():
            yield DiscoveryHit(name, partial(app.go, mode), help=help_text)

    async def search(self, query: str) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for name, mode, help_text in self._commands():
            score = matcher.match(name)
            if score:
                yield Hit(score, matcher.highlight(name), partial(app.go, mode), text=name, help=help_text)


class CityCommands(Provider):
    """Open any city by English name, Hangul, initials or older romanisation."""

    async def search(self, query: str) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        if app.desk is None or not query.strip():
            return
        matcher = self.matcher(query)
        for city in app.desk.cities.choices(query, limit=20):
            label = f"City: {city.name} {city.hangul}".rstrip()
            # The service already matched (Hangul, initials, romanisations):
            # keep every hit, ranked by how well the label matches too.
            score = max(matcher.match(label), 0.3)
            yield Hit(score, plain_highlight(matcher, label), partial(app.open_city, city.id), text=label,
                      help="Open this city")


# (screen mode, label, desk attribute): records the palette can jump to.
RECORD_KINDS = (
    ("partnerships", "Partnership", "partnerships"),
    ("visits", "Visit", "visits"),
    ("invitations", "Invitation", "invitations"),
    ("outcomes", "Outcome", "outcomes"),
)


class RecordCommands(Provider):
    """Open any partnership, visit or invitation by what the list filter finds."""

    async def search(self, query: str) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        if app.desk is None or len(query.strip()) < 2:
            return
        matcher = self.matcher(query)
        for mode, kind, attribute in RECORD_KINDS:
            service = getattr(app.desk, attribute, None)
            if service is None:
                continue
            records = service.query()
            records.text = query
            for row in records.fetch(0, 8):
                label = f"{kind}: {row.label}"
                score = max(matcher.match(label), 0.2)
                yield Hit(score, plain_highlight(matcher, label), partial(app.open_record, mode, row.id), text=label,
                          help=f"Open this {kind.lower()}")


# (palette name, export kind, help): the same exports as the command line.
EXPORTS = (
    ("Export: CSV files, one per record type", "csv", "UTF-8 with a byte-order mark, beside the database"),
    ("Export: calendar of visits and festivals (iCalendar)", "ics", "Import it again to update the same events"),
    ("Report: council report for this year (HTML)", "html", "One self-contained file"),
    ("Report: council report for this year (Markdown)", "md", "Plain text with tables"),
)


class ExportCommands(Provider):
    """Write exports and the council report without leaving the app."""

    async def discover(self) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        for name, kind, help_text in EXPORTS:
            yield DiscoveryHit(name, partial(app.export, kind), help=help_text)

    async def search(self, query: str) -> Hits:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for name, kind, help_text in EXPORTS:
            score = matcher.match(name)
            if score:
                yield Hit(score, matcher.highlight(name), partial(app.export, kind), text=name, help=help_text)
