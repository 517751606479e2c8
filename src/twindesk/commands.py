"""Command palette providers: jump to any record by name, to any screen, or
write an export.

Commands are named "category: action". Screens and record kinds come from
the registry. Names of records are user text, so they are shown as plain
Content: Textual's own `Matcher.highlight` would parse them as markup.
"""

from __future__ import annotations

import asyncio
import itertools
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from twindesk import registry
from twindesk.screens.base import DeskApp
from twindesk.services.listing import Row
from twindesk.text import clean
from twindesk.widgets.paged_table import rows_loader

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

MIN_QUERY = 2  # a record search starts at two characters (one for cities: there are 33)
PER_KIND = 8
BRIEF_WORD = "brief"
BRIEF_HELP = "Write this visit's delegation brief (HTML)"
NOTHING_FOUND = 0.01  # the score of the "nothing found" line: below any hit


def plain_highlight(matcher: Matcher, text: str) -> Content:
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class _DeskProvider(Provider):
    @property
    def twindesk(self) -> DeskApp:
        return cast(DeskApp, self.app)


class ScreenCommands(_DeskProvider):
    """Go to each screen of the app."""

    def _commands(self) -> list[tuple[str, str, str]]:
        return [(f"Go to: {title}", mode, help_text) for mode, _key, _label, title, help_text, _path
                in registry.screens()]

    async def discover(self) -> Hits:
        for name, mode, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.twindesk.go, mode), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, mode, help_text in self._commands():
            score = matcher.match(name)
            if score:
                yield Hit(score, matcher.highlight(name), partial(self.twindesk.go, mode), text=name, help=help_text)


class RecordCommands(_DeskProvider):
    """Open any city, partnership, visit, invitation or outcome by what its
    list's filter finds (English, Hangul, initials, older spellings)."""

    _asked = itertools.count(1)
    _newest = 0

    def _read(self, number: int, query: str) -> list[tuple[registry.RecordKind, list[Row]]] | None:
        """On the loader thread: each kind's first matches, unless a newer
        search came meanwhile (then None: a stale search is dropped, not run)."""
        desk = self.twindesk.desk
        if desk is None:
            return None
        found: list[tuple[registry.RecordKind, list[Row]]] = []
        for kind in registry.KINDS:
            if number != RecordCommands._newest:
                return None
            if not kind.palette or len(query.strip()) < (1 if kind.key == "city" else MIN_QUERY):
                continue
            records = desk.service(kind.key).query()
            records.text = query
            found.append((kind, records.fetch(0, PER_KIND)))
        return found

    async def search(self, query: str) -> Hits:
        desk = self.twindesk.desk
        if desk is None:
            return
        words = query.strip()
        if not words:
            return
        if words.casefold().startswith(BRIEF_WORD):
            async for hit in self._briefs(desk, words[len(BRIEF_WORD):].strip(" :")):
                yield hit
            return
        matcher = self.matcher(query)
        number = RecordCommands._newest = next(RecordCommands._asked)
        # Off the UI thread: typing in the palette never waits for SQLite.
        found = await asyncio.wrap_future(rows_loader().submit(self._read, number, query))
        if found is None:
            return
        if not any(rows for _kind, rows in found):
            yield _nothing_found(words)
            return
        for kind, rows in found:
            for row in rows:
                label = f"{kind.palette}: {row.label}"
                # The query already matched: keep every hit, ranked by how well the label matches too.
                score = max(matcher.match(label), 0.3 if kind.key == "city" else 0.2)
                yield Hit(score, plain_highlight(matcher, label), partial(self.twindesk.open_record, kind.key, row.id),
                          text=label, help=f"Open this {kind.noun}")
                if kind.key == "visit":
                    yield self._brief_hit(matcher, row, score * 0.9)

    async def _briefs(self, desk: Desk, words: str) -> Hits:
        """"brief" then a visit's city, purpose or dates: that visit's brief.
        "brief" alone offers the visit on screen, or the visit list."""
        on_screen = _visit_on_screen(self.screen)
        if on_screen:
            yield Hit(1.0, Content("Brief: the visit on screen"), partial(self.twindesk.brief, on_screen),
                      text="Brief: the visit on screen", help=BRIEF_HELP)
        if len(words) < MIN_QUERY:
            if not on_screen:
                name = "Brief: choose a visit (type its city or purpose after “brief”)"
                yield Hit(0.9, Content(name), partial(self.twindesk.go, "visits"), text=name,
                          help="Or open the visit list: b on a visit writes its brief")
            return
        matcher = self.matcher(words)
        records = desk.service("visit").query()
        records.text = words
        # On the loader thread, as every record search of the palette.
        rows = await asyncio.wrap_future(rows_loader().submit(records.fetch, 0, PER_KIND))
        for row in rows:
            yield self._brief_hit(matcher, row, max(matcher.match(row.label), 0.5))

    def _brief_hit(self, matcher: Matcher, visit: Row, score: float) -> Hit:
        brief = f"Brief: {visit.label}"
        return Hit(score, plain_highlight(matcher, brief), partial(self.twindesk.brief, visit.id), text=brief,
                   help=BRIEF_HELP)


def _nothing_found(words: str) -> Hit:
    """Said at once, as the last line. Textual's palette says "No matches"
    half a second after a search with no hit, and its list waits 100 ms
    longer for a search that yields nothing than for one that yields."""
    words = clean(words)
    if len(words) < MIN_QUERY:
        text = f"No city has “{words}”; visits, partnerships and the rest are searched from {MIN_QUERY} letters"
    else:
        text = f"No record has “{words}”"
    return Hit(NOTHING_FOUND, Content(text), _stay, text=text,
               help="Names in English or Hangul, initials (ㅂㅅ) and older spellings are all searched")


def _stay() -> None:
    """Choosing the "nothing found" line only closes the palette."""


def _visit_on_screen(screen: object) -> str | None:
    """The id of the visit whose detail the palette was opened over, if any."""
    if getattr(screen, "kind_key", "") == "visit":
        return cast(str | None, getattr(screen, "record_id", None))
    return None


# (palette name, export kind, help): the same exports as the command line.
EXPORTS = (
    ("Sync: now, with the hub", "sync", "Pull other copies' changes, merge them, push this copy's"),
    ("Export: CSV files, one per record type", "csv", "UTF-8 with a byte-order mark, beside the database"),
    ("Export: calendar of visits and festivals (iCalendar)", "ics", "Import it again to update the same events"),
    ("Report: council report for this year (HTML)", "html", "One self-contained file"),
    ("Report: council report for this year (Markdown)", "md", "Plain text with tables"),
)


class ExportCommands(_DeskProvider):
    """Write exports and the council report without leaving the app."""

    async def discover(self) -> Hits:
        for name, kind, help_text in EXPORTS:
            yield DiscoveryHit(name, partial(self._run, kind), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, kind, help_text in EXPORTS:
            score = matcher.match(name)
            if score:
                yield Hit(score, matcher.highlight(name), partial(self._run, kind), text=name, help=help_text)

    def _run(self, kind: str) -> None:
        if kind == "sync":
            self.twindesk.sync_now()
        else:
            self.twindesk.export(kind)
