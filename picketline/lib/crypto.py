"""Authenticated encryption of personal data at rest, and keyed blind indexes.

A value is stored as ``<key id>$2$<base64(nonce || AES-256-GCM ciphertext)>``, sealed with
associated data that names its place (``<table>.<column>``, given by the model field): a value
copied into another column no longer opens there. Values written before associated data existed
read ``<key id>$<base64>`` and open with none; ``picketline rotate_keys`` rewrites them.

The key ring lists keys newest first: new values use the first, old values decrypt with whichever
key id they carry, so keys rotate by putting a new key in front and re-encrypting.

Lookups never use plaintext: ``blind_index`` is an HMAC-SHA256 of the normalised value under a
separate key, so equal addresses find each other without the database ever holding the address.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
# The marker between key id and body of a value sealed with associated data. Neither a key id
# (letters and digits) nor base64 holds a "$", so the two formats cannot be mistaken.
BOUND = "2"


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes


def key_from_text(text: str) -> Key:
    """Parse ``<id>:<base64 of 32 bytes>``; the id names the key in every value it encrypts."""
    key_id, sep, encoded = text.strip().partition(":")
    if not sep or not key_id.isalnum():
        raise ValueError("a key is written as <id>:<base64 32 bytes>, e.g. k1:AbC...=")
    secret = base64.urlsafe_b64decode(encoded.encode() + b"=" * (-len(encoded) % 4))
    if len(secret) != 32:
        raise ValueError(f"key {key_id}: needs 32 bytes, got {len(secret)}")
    return Key(key_id, secret)


def new_key_text(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def new_environment_lines(key_id: str = "") -> list[str]:
    """A fresh encryption key and blind-index key, as lines for the environment."""
    key_id = key_id or "k" + os.urandom(3).hex()
    index = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return [f"PICKETLINE_ENCRYPTION_KEYS={new_key_text(key_id)}", f"PICKETLINE_INDEX_KEY={index}"]


class KeyRing:
    def __init__(self, keys: list[Key], index_key: bytes) -> None:
        if not keys:
            raise ValueError("the key ring is empty")
        ids = [key.id for key in keys]
        if len(set(ids)) != len(ids):
            raise ValueError("two keys share one id")
        self.keys = keys
        self._by_id = {key.id: key for key in keys}
        # One cipher object per key: building it costs more than sealing a short field.
        self._ciphers = {key.id: AESGCM(key.secret) for key in keys}
        self.index_key = index_key

    @property
    def current(self) -> Key:
        return self.keys[0]

    def encrypt(self, plaintext: str, *, associated_data: bytes = b"") -> str:
        """Seal ``plaintext``; with ``associated_data`` the value opens only with the same bytes."""
        key = self.current
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[key.id].encrypt(nonce, plaintext.encode("utf-8"), associated_data)
        # base64.b64encode's own C function, without the Python wrapper around it.
        body = binascii.b2a_base64(nonce + sealed, newline=False).decode()
        return f"{key.id}${BOUND}${body}" if associated_data else f"{key.id}${body}"

    def decrypt(self, token: str, *, associated_data: bytes = b"") -> str:
        """Open a value. One sealed without associated data (the old format) opens whatever
        ``associated_data`` is given; one sealed with it opens only with the same bytes."""
        key_id, sep, body = token.partition("$")
        key = self._by_id.get(key_id)
        if not sep or key is None:
            raise DecryptionError(f"no key {key_id!r} in the key ring")
        marker, bound, rest = body.partition("$")
        if bound:
            if marker != BOUND:
                raise DecryptionError(f"unknown format {marker!r}")
            body = rest
        else:
            associated_data = b""
        try:
            raw = base64.b64decode(body, validate=True)
            plain = self._ciphers[key.id].decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated_data
            )
        except (binascii.Error, ValueError, InvalidTag) as exc:
            raise DecryptionError(
                "the value does not decrypt with its key here: tampered with, or moved from "
                "another column"
            ) from exc
        return plain.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        return token.partition("$")[0]

    def why_unreadable(self, token: str) -> str:
        """Why a value that did not open does not, without a word of its content: the key it
        names is not in the ring, or it is damaged (it names no key, or does not open with
        the one it names)."""
        key_id, sep, _body = token.partition("$")
        # Ids are short (k1, k3f2a1b); a long run before a "$" could be text, so not repeated.
        if not sep or not key_id.isalnum() or len(key_id) > 16:
            return "damaged: it names no key"
        if key_id not in self._by_id:
            return f"key {key_id!r} is not in PICKETLINE_ENCRYPTION_KEYS"
        return f"damaged: it does not open with key {key_id!r}"

    def is_bound(self, token: str) -> bool:
        """Whether the value was sealed with associated data (the current format)."""
        return token.partition("$")[2].startswith(BOUND + "$")

    def blind_index(self, normalised: str, *, purpose: str = "email") -> str:
        # hmac.digest: HMAC-SHA256 in one C call (hmac.new builds the object in Python).
        return hmac.digest(self.index_key, f"{purpose}\0{normalised}".encode(), "sha256").hex()


def normalise_email(address: str) -> str:
    """Lower-case and trim an address; the local part is kept as given otherwise."""
    return address.strip().lower()
