"""Encryption at rest and the blind index: the stored format, round trips, refusals."""

import base64
import hashlib
import hmac
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from picketline.lib.crypto import (
    NONCE_BYTES,
    DecryptionError,
    Key,
    KeyRing,
    key_from_text,
    new_key_text,
)

SECRET = bytes(range(32))
INDEX_KEY = bytes(range(100, 132))


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing([Key("k2", os.urandom(32)), Key("k1", SECRET)], INDEX_KEY)


def test_the_blind_index_is_hmac_sha256_of_purpose_and_address(ring):
    expected = hmac.new(INDEX_KEY, b"email\0anna@example.net", hashlib.sha256).hexdigest()
    assert ring.blind_index("anna@example.net") == expected
    assert ring.blind_index("anna@example.net", purpose="phone") != expected


def test_a_value_is_stored_as_key_id_and_base64_of_nonce_and_sealed_text(ring):
    token = ring.encrypt("Ольга Петрова")
    key_id, _, body = token.partition("$")
    assert key_id == "k2"  # the current key: the first of the ring
    raw = base64.b64decode(body, validate=True)
    assert base64.b64encode(raw).decode() == body
    assert len(raw) == NONCE_BYTES + len("Ольга Петрова".encode()) + 16
    assert ring.decrypt(token) == "Ольга Петрова"
    assert ring.encrypt("Ольга Петрова") != token  # a new nonce each time


def test_a_value_sealed_with_an_older_key_still_opens(ring):
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(SECRET).encrypt(nonce, b"ver.di", b"")
    token = f"k1${base64.b64encode(nonce + sealed).decode()}"
    assert ring.decrypt(token) == "ver.di"


def test_a_changed_or_unknown_value_is_refused(ring):
    token = ring.encrypt("anna@example.net")
    key_id, _, body = token.partition("$")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}")
    with pytest.raises(DecryptionError):
        ring.decrypt(f"k9${body}")


def test_a_value_sealed_with_associated_data_opens_only_with_the_same():
    ring = KeyRing([key_from_text(new_key_text("k1"))], b"i" * 32)
    token = ring.encrypt("Europe/Minsk", associated_data=b"events_registration.time_zone")
    assert ring.is_bound(token)
    assert ring.decrypt(token, associated_data=b"events_registration.time_zone") == "Europe/Minsk"
    for elsewhere in (b"events_hostedaction.time_zone", b""):
        with pytest.raises(DecryptionError, match="moved from another column"):
            ring.decrypt(token, associated_data=elsewhere)
    # Stripped of its marker to pass for an old value, it does not open either.
    with pytest.raises(DecryptionError):
        ring.decrypt(token.replace("$2$", "$"), associated_data=b"")


def test_a_value_sealed_before_associated_data_still_opens():
    ring = KeyRing([key_from_text(new_key_text("k1"))], b"i" * 32)
    old = ring.encrypt("Ольга")
    assert not ring.is_bound(old)
    assert ring.decrypt(old, associated_data=b"supporters_supporter.name") == "Ольга"


def test_a_damaged_value_is_a_clear_error():
    ring = KeyRing([key_from_text(new_key_text("k1"))], b"i" * 32)
    for token in ("k1$not base64!", "k1$2$", "k1$9$AAAA", "k1$" + "A" * 8):
        with pytest.raises(DecryptionError):
            ring.decrypt(token)


def test_it_says_why_a_value_does_not_open_without_repeating_it(ring):
    other = KeyRing([Key("k0", os.urandom(32))], INDEX_KEY).encrypt("Ana's letter")
    assert ring.why_unreadable(other) == "key 'k0' is not in PICKETLINE_ENCRYPTION_KEYS"
    assert ring.why_unreadable("k1$2$AAAA") == "damaged: it does not open with key 'k1'"
    for text in ("Ana's letter", "Dear minister, my address is ana$example.org"):
        assert ring.why_unreadable(text) == "damaged: it names no key"
