"""`twindesk sync` as a user runs it: what it prints, its exit status, the
hub it remembers, and what it leaves alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from twindesk.cli import main
from twindesk.services import Desk

from .syncing import VISIT


def laptop(tmp_path: Path, name: str) -> list[str]:
    return ["--db", str(tmp_path / name / "twindesk.db"), "--config", str(tmp_path / name / "config.toml")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["sync", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def open_desk(tmp_path: Path, name: str) -> Desk:
    return Desk.open(tmp_path / name / "twindesk.db", tmp_path / name / "config.toml")


def test_the_first_sync_makes_the_named_hub_folder_remembers_it_and_a_second_laptop_receives(tmp_path, capsys):
    office = open_desk(tmp_path, "office")
    office.visits.create(VISIT)
    office.close()
    stick = tmp_path / "stick" / "twindesk"  # the stick is plugged in; its twindesk folder is new
    (tmp_path / "stick").mkdir()
    code, out, _ = run(capsys, *laptop(tmp_path, "office"), "--hub", str(stick))
    assert code == 0 and "Sent 1 change set" in out
    assert (stick / "replicas").is_dir()
    assert str(stick.resolve()) in (tmp_path / "office" / "config.toml").read_text()
    code, out, _ = run(capsys, *laptop(tmp_path, "trip"), "--hub", str(stick))
    assert code == 0 and "received 1 change set" in out
    trip = open_desk(tmp_path, "trip")
    try:
        assert trip.visits.query().count() == 1
    finally:
        trip.close()
    # Afterwards the remembered hub is enough.
    code, out, _ = run(capsys, *laptop(tmp_path, "office"))
    assert code == 0


def test_a_remembered_hub_that_is_gone_is_one_line_exit_2_and_is_never_made_anew(tmp_path, capsys):
    (tmp_path / "stick").mkdir()
    stick = tmp_path / "stick" / "twindesk"
    assert run(capsys, *laptop(tmp_path, "office"), "--hub", str(stick))[0] == 0
    shutil.rmtree(stick)  # the stick's folder is not there (an empty mount point)
    db = tmp_path / "office" / "twindesk.db"
    before = db.read_bytes()
    code, out, err = run(capsys, *laptop(tmp_path, "office"))
    assert code == 2
    assert "not there" in err and len(err.strip().splitlines()) == 1 and out == ""
    assert not stick.exists()
    assert db.read_bytes() == before


def test_a_dry_run_makes_no_hub_folder(tmp_path, capsys):
    (tmp_path / "stick").mkdir()
    stick = tmp_path / "stick" / "twindesk"
    code, _out, err = run(capsys, *laptop(tmp_path, "office"), "--hub", str(stick), "--dry-run")
    assert code == 2 and "not there" in err
    assert not stick.exists()


def test_conflicts_to_review_exit_1(tmp_path, capsys):
    (tmp_path / "hub").mkdir()
    hub = str(tmp_path / "hub")
    office = open_desk(tmp_path, "office")
    ident = office.visits.create(VISIT).id
    office.close()
    assert run(capsys, *laptop(tmp_path, "office"), "--hub", hub)[0] == 0
    assert run(capsys, *laptop(tmp_path, "trip"), "--hub", hub)[0] == 0
    for name, purpose in (("office", "Office's purpose"), ("trip", "Trip's purpose")):
        desk = open_desk(tmp_path, name)
        base = desk.visits.form_values(ident)
        desk.visits.update(ident, {**base, "purpose": purpose}, base)
        desk.close()
    assert run(capsys, *laptop(tmp_path, "office"))[0] == 0
    code, out, _ = run(capsys, *laptop(tmp_path, "trip"))
    assert code == 1 and "conflict" in out.lower()
