"""Share links that load nothing from the networks: plain links to their own compose pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TYPED = re.compile(r"^[\w.@:/-]+$")  # letters of any script for IDN; no spaces or backslashes
_TOP_LEVEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


@dataclass(frozen=True)
class ShareLink:
    network: str
    url: str


def shared_via(url: str, channel: str) -> str:
    """``url`` as shared on ``channel``: it says so in ``src`` (``supporters.attribution``), so
    that an action taken from it counts for that channel; nothing about who shared it."""
    return f"{url}{'&' if '?' in url else '?'}src=share:{channel}"


def share_links(text: str, url: str) -> list[ShareLink]:
    """Links for Bluesky, X, Facebook and Telegram; Mastodon needs the visitor's instance
    (see ``mastodon_share_url``). Each carries the address tagged with its channel."""
    bluesky, x, facebook, telegram = (
        shared_via(url, channel) for channel in ("bluesky", "x", "facebook", "telegram")
    )
    return [
        ShareLink(
            "Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {bluesky}"})
        ),
        ShareLink("X", "https://x.com/intent/post?" + urlencode({"text": f"{text} {x}"})),
        ShareLink(
            "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": facebook})
        ),
        ShareLink(
            "Telegram", "https://t.me/share/url?" + urlencode({"url": telegram, "text": text})
        ),
    ]


def mastodon_host(value: str) -> str | None:
    """The instance's host name from what a visitor typed — ``mastodon.social``,
    ``https://mastodon.social/``, ``@me@mastodon.social`` — or None if it is not a host name."""
    value = value.strip().lower()
    if not _TYPED.match(value):
        return None
    value = re.sub(r"^https?://", "", value)
    value = value.split("/", 1)[0]
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    value = value.rstrip(".")
    try:
        host = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2:
        return None
    if not all(_LABEL.match(label) for label in labels) or not _TOP_LEVEL.match(labels[-1]):
        return None
    return host


def mastodon_share_url(host: str, text: str) -> str:
    return f"https://{host}/share?text={quote(text, safe='')}"
