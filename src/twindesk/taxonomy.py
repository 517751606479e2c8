"""The vocabulary of the app, read from data/seed.toml: partnership kinds and
stages, agreement sectors, measures, cooperation areas and their programmes.

It is data, not code: a new programme is a line in the seed. Loaded once and
cached; plain frozen dataclasses, safe to hand to widgets.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    unit: str
    currency: bool = False


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    summary: str
    measures: tuple[str, ...] = ()
    benefit_measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    key: str
    number: int
    name: str
    summary: str
    programmes: tuple[Programme, ...]


@dataclass(frozen=True)
class SeedCity:
    key: str
    name: str
    hangul: str
    province: str
    kind: str
    industries: tuple[str, ...]
    romanisations: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Taxonomy:
    version: int
    fingerprint: str
    kinds: tuple[Term, ...]
    stages: tuple[Term, ...]
    sectors: tuple[Term, ...]
    measures: tuple[Measure, ...]
    areas: tuple[Area, ...]
    cities: tuple[SeedCity, ...]

    # Key -> name, for showing stored keys (built once per loaded seed).
    @cached_property
    def kind_names(self) -> dict[str, str]:
        return {t.key: t.name for t in self.kinds}

    @cached_property
    def stage_names(self) -> dict[str, str]:
        return {t.key: t.name for t in self.stages}

    @cached_property
    def sector_names(self) -> dict[str, str]:
        return {t.key: t.name for t in self.sectors}

    @cached_property
    def measure_names(self) -> dict[str, str]:
        return {m.key: m.name for m in self.measures}

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)

    def programme(self, area_key: str, key: str) -> Programme | None:
        area = self.area(area_key)
        return next((p for p in area.programmes if p.key == key), None) if area else None


CITY_KINDS = ("special city", "metropolitan city", "special self-governing city", "city", "county")


def seed_bytes() -> bytes:
    return (resources.files("twindesk.seeddata") / "seed.toml").read_bytes()


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def parse(raw: bytes) -> Taxonomy:
    data = tomllib.loads(raw.decode("utf-8"))
    terms = lambda rows: tuple(Term(r["key"], r["name"], r.get("description", "")) for r in rows)  # noqa: E731
    return Taxonomy(
        version=int(data["seed_version"]),
        fingerprint=fingerprint(raw),
        kinds=terms(data["partnership_kinds"]),
        stages=terms(data["partnership_stages"]),
        sectors=terms(data["sectors"]),
        measures=tuple(
            Measure(m["key"], m["name"], m.get("unit", ""), bool(m.get("currency", False))) for m in data["measures"]
        ),
        areas=tuple(
            Area(
                a["key"],
                int(a["number"]),
                a["name"],
                a.get("summary", ""),
                tuple(
                    Programme(
                        p["key"],
                        p["name"],
                        p.get("summary", ""),
                        tuple(p.get("measures", ())),
                        tuple(p.get("benefit_measures", ())),
                    )
                    for p in a.get("programmes", ())
                ),
            )
            for a in data["areas"]
        ),
        cities=tuple(
            SeedCity(
                c["key"],
                c["name"],
                c.get("hangul", ""),
                c.get("province", ""),
                c.get("kind", "city"),
                tuple(c.get("industries", ())),
                tuple(c.get("romanisations", ())),
                c.get("notes", ""),
            )
            for c in data["cities"]
        ),
    )


@cache
def load() -> Taxonomy:
    return parse(seed_bytes())
