"""The partner finder: rank Korean cities against the home city's industries.

Two cities make good partners when they share industries (common ground
for SME exchange, exhibitions, professional exchange) and when the Korean
city brings industries the home city lacks ("complement what they lack",
as the proposal puts it). Shared industries weigh more than complementary
ones; each rank comes with its reasons.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twindesk.text import fold

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

# Words that say nothing about what an industry is.
_FILLER = {"and", "or", "the", "of", "industry", "industries", "services", "related", "local", "&"}
SHARED_WEIGHT = 3
COMPLEMENT_WEIGHT = 1
MAX_COMPLEMENTS = 3  # beyond this a long list of unrelated industries stops counting


@dataclass(frozen=True)
class Match:
    city_id: str
    name: str
    hangul: str
    score: int
    shared: tuple[str, ...]  # the Korean city's industries that match the home city's
    brings: tuple[str, ...]  # its industries the home city lacks

    @property
    def reason(self) -> str:
        parts = []
        if self.shared:
            parts.append("shares " + ", ".join(self.shared))
        if self.brings:
            parts.append("brings " + ", ".join(self.brings))
        return "; ".join(parts) or "no industry in common yet"


def keywords(industry: str) -> set[str]:
    words = re.split(r"[^\w]+", fold(industry))
    out = set()
    for word in words:
        if len(word) < 2 or word in _FILLER:  # keep acronyms: IT, AI
            continue
        out.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)  # ports ~ port
    return out


def rank(home_industries: list[str], cities: list[tuple[str, str, str, list[str]]]) -> list[Match]:
    """cities: (id, name, hangul, industries). Best first; ties by name."""
    home_words = set().union(*(keywords(i) for i in home_industries)) if home_industries else set()
    home_exact = {fold(i) for i in home_industries}
    matches = []
    for city_id, name, hangul, industries in cities:
        shared = tuple(i for i in industries if keywords(i) & home_words or fold(i) in home_exact)
        brings = tuple(i for i in industries if i not in shared)
        score = SHARED_WEIGHT * len(shared) + COMPLEMENT_WEIGHT * min(len(brings), MAX_COMPLEMENTS)
        matches.append(Match(city_id, name, hangul, score, shared, brings))
    matches.sort(key=lambda m: (-m.score, -len(m.shared), m.name))
    return matches


class MatchService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def ranked(self) -> list[Match]:
        # The directory is the 33 cities (plus any a user adds): small by nature.
        rows = self.desk.reader().execute(
            "SELECT id, name, hangul, industries FROM city WHERE deleted_at IS NULL"
        ).fetchall()
        cities = [(r["id"], r["name"], r["hangul"], json.loads(r["industries"])) for r in rows]
        return rank(self.desk.config.home.industries, cities)
