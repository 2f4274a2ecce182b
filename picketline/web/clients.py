"""Who is asking, without keeping who it is: a keyed, daily-rotating hash of the client address.

``client_fingerprint(request)`` is an HMAC of the client address under a key derived from
SECRET_KEY and today's date (UTC), so it can limit a flood today but links nothing across days
and reveals no address. The raw address is never stored or logged. Rate limits for supporters
(``supporters.abuse``) and failed organiser log-ins (``accounts.login``) count by it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Does the request come straight from one of the TRUSTED_PROXIES?"""
    trusted = _networks(list(getattr(settings, "TRUSTED_PROXIES", []) or []))
    return bool(trusted) and _is_trusted(request.META.get("REMOTE_ADDR", "") or "", trusted)


def client_address(request: HttpRequest) -> str:
    """The address of the client: the socket peer, unless that peer is a trusted proxy; then
    the right-most X-Forwarded-For entry that is not itself a trusted proxy. Entries to the
    left of it were written by the client and prove nothing, so a spoofed header changes
    nothing. Only for hashing: never store or log what this returns."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    trusted = _networks(list(getattr(settings, "TRUSTED_PROXIES", []) or []))
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for entry in reversed(forwarded):
        if not _is_trusted(entry, trusted):
            return entry
    return forwarded[0] if forwarded else peer


def fingerprint_of(address: str, day: str | None = None) -> str:
    day = day or timezone.now().date().isoformat()
    return salted_hmac(f"picketline.fingerprint.{day}", address, algorithm="sha256").hexdigest()[
        :32
    ]


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed, daily-rotating hash of the client address; never the address itself."""
    return fingerprint_of(client_address(request))
