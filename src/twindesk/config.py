"""The config file (TOML, in the platformdirs config dir): this installation's
id and the home city profile. Read with tomllib, written with tomli-w,
atomically and 0600.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from twindesk.bundle.files import write_atomic

MAX_CONFIG_BYTES = 256 * 1024


class ConfigError(Exception):
    pass


@dataclass
class HomeCity:
    name: str = ""
    country: str = ""
    industries: list[str] = field(default_factory=list)


@dataclass
class Config:
    path: Path
    installation_id: str
    home: HomeCity

    @property
    def has_home(self) -> bool:
        return bool(self.home.name)


def read_toml(path: Path, limit: int = MAX_CONFIG_BYTES) -> dict:
    """Parse a TOML file from outside, refusing what tomllib cannot bound."""
    size = path.stat().st_size
    if size > limit:
        raise ConfigError(f"{path} is {size} bytes; more than {limit} is not a valid file here")
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a valid TOML file: {exc}") from exc


def load(path: Path) -> Config:
    """Load the config, creating it (with a new installation id) if missing."""
    data = read_toml(path) if path.exists() else {}
    installation = str(data.get("installation", {}).get("id", "")) or str(uuid.uuid4())
    home_raw = data.get("home", {})
    home = HomeCity(
        name=str(home_raw.get("name", "")),
        country=str(home_raw.get("country", "")),
        industries=[str(i) for i in home_raw.get("industries", []) if isinstance(i, str)],
    )
    config = Config(path, installation, home)
    if not path.exists() or not data.get("installation", {}).get("id"):
        save(config)
    return config


def save(config: Config) -> None:
    import tomli_w

    doc = {
        "installation": {"id": config.installation_id},
        "home": {"name": config.home.name, "country": config.home.country, "industries": config.home.industries},
    }
    write_atomic(config.path, [tomli_w.dumps(doc)])
