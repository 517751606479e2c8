"""The home city profile, kept in the config file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twindesk import config as config_mod
from twindesk.registry.spec import FieldSpec
from twindesk.services.fields import check_field
from twindesk.services.validation import Checker

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


HOME_FIELDS = (
    FieldSpec("name", "Your city", required=True, max_len=80, placeholder="e.g. Ljubljana"),
    FieldSpec("country", "Country", required=True, max_len=60, placeholder="e.g. Slovenia"),
    FieldSpec("industries", "Its industries", "items", placeholder="e.g. Tourism, Pharmaceuticals, Logistics",
              hint="Separate industries with commas; the partner finder compares them with each Korean city's."),
)


class HomeService:
    def __init__(self, desk: Desk) -> None:
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
        out = {spec.name: check_field(check, spec, values.get(spec.name), _no_city) for spec in HOME_FIELDS}
        if not out["industries"]:
            check.fail("industries", "Name at least one industry: the partner finder ranks cities by them.")
        check.done()
        return out

    def save(self, values: dict[str, Any]) -> None:
        clean = self.validate(values)
        home = config_mod.HomeCity(clean["name"], clean["country"], clean["industries"])
        # The file first: if it cannot be written, the app keeps the old profile too.
        config_mod.save_home(self.desk.config, home)
        self.desk.config.home = home


def _no_city(check: Checker, spec: FieldSpec, typed: str) -> None:
    return None  # the home profile has no Korean city field
