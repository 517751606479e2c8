"""Exports and the council report from the command palette."""

from __future__ import annotations

from pathlib import Path

from .ui import SIZE, make_app, ready, screen_text, type_text


async def test_palette_writes_the_council_report_beside_the_database(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "council report html")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        year = app.desk.today().year
        report = paths[0].parent / "exports" / f"council-report-{year}.html"
        assert report.exists()
        assert report.stat().st_mode & 0o777 == 0o600
        assert "<html" in report.read_text(encoding="utf-8")


async def test_palette_exports_csv_and_calendar(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.export("csv")
        app.export("ics")
        await app.workers.wait_for_complete()
        folder = paths[0].parent / "exports"
        assert (folder / f"csv-{app.desk.today().isoformat()}" / "cities.csv").exists()
        assert (folder / "twindesk.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


async def test_b_on_a_visit_writes_its_brief_beside_the_database(paths):
    import stat

    from .syncing import VISIT
    from .ui import notices, settle

    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.desk.visits.create(VISIT)
        app.refresh_data()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "b Brief" in screen_text(app)
        await pilot.press("b")
        await settle(pilot)
        [written] = [n for n in notices(app) if n.startswith("Written:")]
        path = Path(written.removeprefix("Written: "))
        assert path.parent == paths[0].parent / "exports" and path.name.startswith("delegation-brief-2026-12-01")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "Busan" in path.read_text()


async def test_palette_finds_the_brief_by_the_word_brief(paths):
    """A new user types "brief": on a visit's detail that is its brief; elsewhere
    "brief" and a city finds the visits' briefs."""
    from .syncing import VISIT
    from .ui import notices, settle

    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.desk.visits.create(VISIT)
        app.refresh_data()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "brief busan")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert [n for n in notices(app) if n.startswith("Written:") and "delegation-brief-2026-12-01" in n]
        app.clear_notifications()
        await pilot.press("enter")  # the visit's detail
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "brief")
        await pilot.pause(0.3)
        assert "Brief: the visit on screen" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert [n for n in notices(app) if n.startswith("Written:") and "delegation-brief-2026-12-01" in n]
