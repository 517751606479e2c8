"""The config file (TOML, in the platformdirs config dir).

It holds this installation's id, the home city profile, remapped keys, the
theme, the sync hub and the gift register's threshold. It is the user's
file: it is read strictly (a wrong key or type is an error that names the
file, the key and what was expected, never a silent default), its text is
cleaned like typed text, and it is never rewritten when it could not be
read whole. Changes go through tomlkit, which keeps the user's comments,
order and other keys; only the keys twindesk owns are touched.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twindesk.bundle.files import write_atomic
from twindesk.text import clean

MAX_CONFIG_BYTES = 256 * 1024
MAX_TEXT = 200


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
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for App.set_keymap
    theme: str = ""
    hub: str = ""  # a folder or a postgresql:// URL without a password
    gift_threshold: float = 0.0  # gifts worth more are flagged in the register
    gift_currency: str = ""  # the threshold's currency; "" compares the number in any currency

    @property
    def has_home(self) -> bool:
        return bool(self.home.name)


# table -> key -> (type, what the message says is expected)
SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "installation": {"id": (str, "a text id (twindesk writes it)")},
    "home": {"name": (str, "a city name in quotes"), "country": (str, "a country name in quotes"),
             "industries": (list, 'a list of names, e.g. ["Tourism", "Logistics"]')},
    "keys": {},  # any binding id -> a string of keys
    "ui": {"theme": (str, "a theme name in quotes, e.g. \"textual-dark\"")},
    "sync": {"hub": (str, "a folder path or a postgresql:// URL in quotes")},
    "gifts": {"declare_over": ((int, float), "a number, e.g. 150"),
              "currency": (str, "an ISO currency code in quotes, e.g. \"EUR\"")},
}


def read_toml(path: Path, limit: int = MAX_CONFIG_BYTES) -> dict[str, Any]:
    """Parse a TOML file from outside, refusing what tomllib cannot bound."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ConfigError(f"{path} is {size} bytes; more than {limit} is not a valid file here")
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a valid TOML file: {_short(exc)}") from exc
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _text(path: Path, where: str, value: str) -> str:
    value = clean(value).strip()
    if len(value) > MAX_TEXT:
        raise ConfigError(f"{path}: {where} is too long ({len(value)} characters, at most {MAX_TEXT}).")
    return value


def check(path: Path, data: dict[str, Any]) -> Config:
    """The config in `data`, or ConfigError naming the file, key and what was expected."""
    for table, value in data.items():
        if table not in SCHEMA:
            raise ConfigError(f"{path}: unknown table [{table}]; twindesk knows [{'], ['.join(SCHEMA)}].")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {table} must be a table ([{table}]), not a {type(value).__name__}.")
        for key, item in value.items():
            if table == "keys":
                if not isinstance(item, str) or not item.strip():
                    raise ConfigError(f'{path}: keys."{key}" must be keys in quotes, e.g. "w" or "ctrl+w".')
                continue
            if key not in SCHEMA[table]:
                known = ", ".join(SCHEMA[table])
                raise ConfigError(f"{path}: unknown key {table}.{key}; [{table}] has {known}.")
            kind, expected = SCHEMA[table][key]
            if not isinstance(item, kind) or isinstance(item, bool):
                raise ConfigError(f"{path}: {table}.{key} must be {expected}, not {item!r:.40}.")
    home = data.get("home", {})
    industries = home.get("industries", [])
    for item in industries:
        if not isinstance(item, str):
            raise ConfigError(f"{path}: home.industries must be a list of names in quotes, not {item!r:.40}.")
    threshold = float(data.get("gifts", {}).get("declare_over", 0))
    if threshold < 0:
        raise ConfigError(f"{path}: gifts.declare_over must not be negative.")
    return Config(
        path=path,
        installation_id=_text(path, "installation.id", data.get("installation", {}).get("id", "")),
        home=HomeCity(
            name=_text(path, "home.name", home.get("name", "")),
            country=_text(path, "home.country", home.get("country", "")),
            industries=[i for i in (_text(path, "home.industries", x) for x in industries) if i],
        ),
        keys={clean(k).strip(): clean(v).strip() for k, v in data.get("keys", {}).items()},
        theme=_text(path, "ui.theme", data.get("ui", {}).get("theme", "")),
        hub=_text(path, "sync.hub", data.get("sync", {}).get("hub", "")),
        gift_threshold=threshold,
        gift_currency=_text(path, "gifts.currency", data.get("gifts", {}).get("currency", "")).upper(),
    )


def load(path: Path) -> Config:
    """Load the config; a missing file, or one without an installation id,
    gets one (added to the file as it is)."""
    data = read_toml(path) if path.exists() else {}
    config = check(path, data)
    if not config.installation_id:
        config.installation_id = str(uuid.uuid4())
        update(path, {("installation", "id"): config.installation_id})
    return config


def update(path: Path, values: dict[tuple[str, str], Any]) -> None:
    """Set only these (table, key) values in the file, keeping everything else."""
    import tomlkit

    if path.exists():
        read_toml(path)  # never rewrite a file that could not be read whole
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        doc = tomlkit.document()
    for (table, key), value in values.items():
        if table not in doc:
            doc[table] = tomlkit.table()
        doc[table][key] = value
    write_atomic(path, [tomlkit.dumps(doc)])


def save_home(config: Config, home: HomeCity) -> None:
    update(config.path, {("home", "name"): home.name, ("home", "country"): home.country,
                         ("home", "industries"): list(home.industries)})
