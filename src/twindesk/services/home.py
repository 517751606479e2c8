"""The home city profile, kept in the config file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from twindesk import config as config_mod
from twindesk.services.validation import Checker


class HomeService:
    def __init__(self, desk: Any) -> None:
        self.desk = desk

    @property
    def profile(self) -> config_mod.HomeCity:
        return self.desk.config.home

    @property
    def is_set(self) -> bool:
        return self.desk.config.has_home

    def form_values(self) -> dict[str, Any]:
        home = self.profile
        return {"name": home.name, "country": home.country, "industries": ", ".join(home.industries)}

    def validate(self, values: dict[str, Any]) -> dict[str, Any]:
        check = Checker()
        out = {
            "name": check.text("name", values.get("name", ""), label="City name", required=True, max_len=80),
            "country": check.text("country", values.get("country", ""), label="Country", required=True, max_len=60),
            "industries": check.items("industries", values.get("industries", ""), label="Industries"),
        }
        if not out["industries"]:
            check.fail("industries", "Name at least one industry: the partner finder ranks cities by them.")
        check.done()
        return out

    def save(self, values: dict[str, Any]) -> None:
        clean = self.validate(values)
        home = config_mod.HomeCity(clean["name"], clean["country"], clean["industries"])
        # The file first: if it cannot be written, the app keeps the old profile too.
        config_mod.save(replace(self.desk.config, home=home))
        self.desk.config.home = home
