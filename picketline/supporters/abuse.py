"""Abuse protection without third parties, and without raw IP addresses.

- ``client_fingerprint(request)`` (from ``picketline.web.clients``): a keyed, daily-rotating
  hash of the client address; the raw address is never stored or logged.
- ``rate_limited(request, scope, email=...)``: counters per fingerprint and per e-mail blind
  index, shared by every web process (``picketline.web.limits``: the database, or Redis when
  REDIS_URL is set).
- Honeypot: ``SupporterFields`` carries a field people never see; a form with it filled looks
  accepted and does nothing (``is_honeypot_filled``).
- Proof of work: optional, for browsers running our own script. A solved puzzle earns a larger
  allowance; without it everything still works (everyone confirms by e-mail anyway).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from picketline.web.clients import client_fingerprint
from picketline.web.fields import email_index
from picketline.web.limits import add_once, count_hit, count_hits, forget_every_window

POW_SALT = "picketline.supporters.pow"
# Uploads are counted per client before their body is read (no address is known yet).
UPLOADS = "uploads"
UPLOAD_LIMITS = ((20, 3600), (0, 3600))


# The scopes whose counters are kept per address too (by its blind index): all of them are
# forgotten when the address is erased (``forget_address``), so a scope counted per address
# must be named here.
ADDRESS_SCOPES = (
    "letters",
    "subscribe",
    "resend",
    "privacy",
    "submissions",
    "events",
    "events-hosted",
)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def _limits(scope: str) -> tuple[Limit, Limit]:
    """(per client, per address) limits for a scope; SUPPORTERS_RATE_LIMITS overrides.

    The per-client default is generous because many visitors share one address (Tor exits,
    offices, mobile carriers); the per-address limit does most of the work, and every action
    still needs its e-mail confirmation."""
    configured = getattr(settings, "SUPPORTERS_RATE_LIMITS", {}) or {}
    default = configured.get("default", ((60, 3600), (5, 3600)))
    per_client, per_email = configured.get(scope, UPLOAD_LIMITS if scope == UPLOADS else default)
    return Limit(*per_client), Limit(*per_email)


def _hit(key: str, limit: Limit) -> bool:
    """Count one hit; True when the limit is exceeded."""
    return count_hit(key, limit.seconds) > limit.count


def rate_limited(request: HttpRequest, scope: str, email: str | None = None) -> bool:
    """Count this request against ``scope`` and say whether it is over a limit.

    A solved proof-of-work puzzle multiplies the per-client allowance (set by
    SUPPORTERS_POW_BONUS); the per-address limit is the same for everyone."""
    per_client, per_email = _limits(scope)
    if proof_of_work_solved(request):
        bonus = int(getattr(settings, "SUPPORTERS_POW_BONUS", 5))
        per_client = Limit(per_client.count * bonus, per_client.seconds)
    counted = [(f"rl:{scope}:c:{client_fingerprint(request)}", per_client)]
    if email:
        if scope not in ADDRESS_SCOPES:
            raise ValueError(f"{scope!r} counts per address: name it in ADDRESS_SCOPES")
        counted.append((_address_key(scope, email), per_email))
    hits = count_hits(*((key, limit.seconds) for key, limit in counted))
    return any(hit > limit.count for hit, (_key, limit) in zip(hits, counted, strict=True))


def _address_key(scope: str, email: str) -> str:
    return f"rl:{scope}:e:{email_index(email)}"


def forget_address(email: str) -> None:
    """Delete every rate-limit counter kept for ``email`` (by its blind index), in every
    scope and window: nothing keyed by an erased address stays behind."""
    forget_every_window(
        *((_address_key(scope, email), _limits(scope)[1].seconds) for scope in ADDRESS_SCOPES)
    )


def uploads_rate_limited(request: HttpRequest) -> bool:
    """Count a POST that may carry files against the client's upload allowance, before a
    byte of its body is read or stored; True when it is over the limit."""
    if request.method != "POST":
        return False
    per_client, _per_email = _limits(UPLOADS)  # no proof of work: it is in the unread body
    return _hit(f"rl:{UPLOADS}:c:{client_fingerprint(request)}", per_client)


def too_many_uploads() -> HttpResponse:
    return HttpResponse(
        _("Too many uploads from your connection. Please try again in an hour."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


# Proof of work ---------------------------------------------------------------------------


def pow_difficulty() -> int:
    return int(getattr(settings, "SUPPORTERS_POW_BITS", 16))


def new_pow_challenge() -> str:
    """A signed, timestamped random challenge the page hands to our script."""
    return signing.TimestampSigner(salt=POW_SALT).sign(f"{secrets.token_hex(8)}.{pow_difficulty()}")


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def check_pow(challenge: str, nonce: str, max_age: int = 3600) -> bool:
    """Is ``sha256(challenge + ":" + nonce)`` below the target, for a fresh, unused challenge?"""
    if not challenge or not nonce or len(nonce) > 32:
        return False
    try:
        value = signing.TimestampSigner(salt=POW_SALT).unsign(challenge, max_age=max_age)
    except signing.BadSignature:
        return False
    bits = int(value.rpartition(".")[2])
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return _leading_zero_bits(digest) >= bits


def proof_of_work_solved(request: HttpRequest) -> bool:
    """True once per solved challenge; a replayed solution earns nothing."""
    cached = getattr(request, "picketline_pow_solved", None)
    if cached is not None:
        return cached
    challenge = request.POST.get("pow_challenge", "") if request.method == "POST" else ""
    nonce = request.POST.get("pow_nonce", "") if request.method == "POST" else ""
    solved = check_pow(challenge, nonce)
    if solved:
        used_key = "pow-used:" + hmac.new(b"pow", challenge.encode(), "sha256").hexdigest()
        solved = add_once(used_key, 3600)
    request.picketline_pow_solved = solved  # type: ignore[attr-defined]
    return solved
