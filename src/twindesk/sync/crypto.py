"""A hub's passphrase, turned into a key: scrypt to derive it, AES-GCM per file.

A USB stick carrying members' phone numbers and dietary needs must be
useless to whoever finds it. The hub file keeps the salt, scrypt's costs and
a check value (a known text sealed with the key), never the passphrase or
the key: a wrong passphrase is told at once, and every file is sealed with
its own random nonce, its header bound to it as associated data.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from twindesk.sync.hub import HubError

SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # ~0.1 s and 32 MiB on a laptop: slow to guess, quick to open
CHECK = b"twindesk hub key check"


class HubKey:
    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)

    @staticmethod
    def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))

    @classmethod
    def create(cls, passphrase: str) -> tuple[HubKey, dict[str, Any]]:
        if len(passphrase) < 8:
            raise HubError("The hub's passphrase must have at least 8 characters.")
        salt = secrets.token_bytes(16)
        key = cls(cls._derive(passphrase, salt, **SCRYPT))
        nonce = secrets.token_bytes(12)
        params = {"kdf": "scrypt", **SCRYPT, "salt": _b64(salt), "cipher": "aes-256-gcm",
                  "check_nonce": _b64(nonce), "check": _b64(key.seal(nonce, CHECK, b""))}
        return key, params

    @classmethod
    def unlock(cls, params: Any, passphrase: str) -> HubKey:
        try:
            if params.get("kdf") != "scrypt" or params.get("cipher") != "aes-256-gcm":
                raise HubError("The hub is encrypted in a way this twindesk does not know.")
            n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
            if n > 2**20 or r > 16 or p > 4:
                raise HubError("The hub asks for more key-derivation work than twindesk allows.")
            key = cls(cls._derive(passphrase, base64.b64decode(params["salt"]), n, r, p))
            nonce, sealed = base64.b64decode(params["check_nonce"]), base64.b64decode(params["check"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise HubError("The hub's encryption settings are damaged.") from exc
        from cryptography.exceptions import InvalidTag

        try:
            check = key._aead.decrypt(nonce, sealed, b"")
        except InvalidTag:
            raise HubError("That is not the hub's passphrase.") from None
        if check != CHECK:
            raise HubError("That is not the hub's passphrase.")
        return key

    def seal(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        return self._aead.encrypt(nonce, data, aad)

    def open(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        from twindesk.sync.wire import BadSet

        try:
            return self._aead.decrypt(nonce, data, aad)
        except InvalidTag as exc:
            raise BadSet("a file that fails its encryption check (wrong passphrase, or changed)") from exc


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
