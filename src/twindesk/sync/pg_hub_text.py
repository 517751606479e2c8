"""The office hub's URLs and messages: libpq reads the URL, people read the messages.

A password must never be printed: not in a location, not inside a URL in an
error, not in a fragment of the URL that libpq quotes back when it cannot
read it. `redact` strips what looks like a password; `scrub` also replaces
the passwords the URL held (as libpq read them, in either percent-encoding)
and PGPASSWORD wherever they still show.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict

from twindesk.sync.hub import HubError

CONNECT_TIMEOUT = 10  # libpq waits forever by default: an offline laptop would hang

_SECRET_KEYS = ("sslpassword", "password", "oauth_client_secret", "scram_client_key", "scram_server_key")
_URI = re.compile(r"(?i)postgres(?:ql)?://[^\s'\"<>]*")
_KV = re.compile(r"(?i)\s*\b(?:" + "|".join(_SECRET_KEYS) + r")\s*=\s*(?:'(?:[^'\\]|\\.)*'?|\S*)")


def _userinfo_ends(rest: str) -> tuple[int, int]:
    """Where a URI's user info ends (the '@'), as libpq reads it and as a person
    would: libpq stops at the first '@' unless a '/' comes first, so a '/' or
    '@' typed raw in a password moves the rest of it into the host or path.
    The person's reading is the last '@' that is not inside a query value."""
    at, slash = rest.find("@"), rest.find("/")
    libpq = at if at >= 0 and (slash < 0 or at < slash) else -1
    person = -1
    for pos in range(len(rest) - 1, -1, -1):
        if rest[pos] != "@":
            continue
        start = max(rest.rfind("?", 0, pos), rest.rfind("&", 0, pos))
        if start < 0 or "=" not in rest[start:pos]:
            person = pos
            break
    return libpq, max(libpq, person)


def _redact_uri(token: str) -> str:
    scheme, _, rest = token.partition("://")
    end = _userinfo_ends(rest)[1]
    try:
        conninfo_to_dict(token)
    except psycopg.Error:
        end = max(end, rest.rfind("@"))  # unreadable anyway: lose too much rather than too little
    if end >= 0:
        user = rest[:end].split(":", 1)[0]
        rest = (f"{user}@" if user else "") + rest[end + 1:]
    head, sep, query = rest.partition("?")
    if sep:
        kept = [p for p in query.split("&") if unquote(p.partition("=")[0]).strip().lower() not in _SECRET_KEYS]
        rest = head + ("?" + "&".join(kept) if kept else "")
    return f"{scheme}://{rest}"


def secrets_of(url: str) -> list[str]:
    found = []
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        params = {}
    for key in _SECRET_KEYS:
        value = params.get(key)
        if isinstance(value, str) and value:
            found.append(value)
    if os.environ.get("PGPASSWORD"):
        found.append(os.environ["PGPASSWORD"])
    # Written into a URL, a password may be percent-encoded either way.
    return sorted({f for s in found for f in (s, quote(s, safe=""), quote(s))}, key=len, reverse=True)


def scrub(text: str, secrets: Sequence[str]) -> str:
    text = _URI.sub(lambda m: _redact_uri(m.group(0)), text)
    text = _KV.sub("", text)
    for secret in secrets:
        # Shorter ones would blot out letters everywhere; the structure above removed them.
        if len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def redact(url: str) -> str:
    """The URL (or connection string, or any text holding one) without a password:
    none in user:pass@, none in ?password= (or sslpassword and libpq's other
    secrets), none in password=... key/value pairs."""
    return scrub(url, secrets_of(url)).strip()


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_OFFLINE = ("connection refused", "timeout expired", "timed out", "could not translate host name",
            "failed to resolve host", "no route to host", "network is unreachable", "host is unreachable",
            "server closed the connection unexpectedly", "connection reset", "could not connect", "no such file")
_STARTING = ("starting up", "shutting down", "in recovery mode", "not yet accepting connections",
             "too many clients", "remaining connection slots")
_AUTH = ("password authentication failed", "no password supplied", "authentication failed")


def reason(exc: BaseException, secrets: Sequence[str]) -> str:
    """libpq's message as one line: severity prefixes, hints and details dropped, scrubbed."""
    text = str(exc) or type(exc).__name__
    text = text.removeprefix("connection failed: ")
    lines = [ln for ln in text.splitlines()
             if ln.strip() and not ln.startswith(("\t", " ", "DETAIL:", "HINT:", "CONTEXT:"))]
    text = "; ".join(lines) or text
    text = re.sub(r"\b(?:FATAL|ERROR):\s+", "", text)
    # The location already names the server.
    text = re.sub(r'connection to server (?:at|on socket) "[^"]*"(?:, port \d+)? failed: ', "", text)
    return one_line(scrub(text, secrets), 200)


def dial_kind(exc: psycopg.Error) -> str:
    low = str(exc).lower()
    for kind, needles in (("auth", _AUTH), ("starting", _STARTING), ("offline", _OFFLINE)):
        if any(n in low for n in needles):
            return kind
    return "other"


def parse(url: str) -> dict[str, Any]:
    """libpq's reading of the URL, refused when it is not what the URL looks like;
    no message here shows the URL (it may hold a password libpq cannot see)."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        known = {o.keyword.decode() for o in psycopg.pq.Conninfo.get_defaults()}
        first = re.sub(r'"([^"]*)"', lambda m: m.group(0) if m.group(1) in known or len(m.group(1)) == 1 else "…",
                       first)
        raise HubError(f"not a PostgreSQL URL or connection string ({one_line(first, 120)}); "
                       "nothing was tried") from None
    text = url.strip()
    if _URI.match(text):
        libpq, person = _userinfo_ends(text.partition("://")[2])
        if libpq != person or not re.fullmatch(r"[0-9,]*", str(params.get("port", ""))):
            raise HubError("the hub URL reads differently to PostgreSQL than it looks: write a '/' or '@' in the "
                           "user name or password as %2F or %40, or better leave the password out of the URL "
                           "and put it in ~/.pgpass; nothing was tried")
    return params


def defaults(params: dict[str, Any]) -> dict[str, Any]:
    """Connection settings twindesk needs, where the URL (or the environment) set none."""
    out: dict[str, Any] = {}
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        out["connect_timeout"] = CONNECT_TIMEOUT
    if "fallback_application_name" not in params:
        out["fallback_application_name"] = "twindesk"  # what IT sees in pg_stat_activity
    # A server that vanishes mid-read (a cable, a VPN) is noticed in about a minute, not two hours.
    for key, value in (("keepalives_idle", 30), ("keepalives_interval", 10), ("keepalives_count", 3)):
        if key not in params:
            out[key] = value
    return out


