"""Captions for video messages: WebVTT text, sent by the supporter with the video or written by
a moderator, played by the browser through ``<track>``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_CHARACTERS = 50_000
# Line breaks and tabs are part of the format; any other control character is not.
ALLOWED_CONTROLS = {"\n", "\t"}


def normalise_webvtt(text: str) -> str:
    """``text`` as stored: no byte-order mark, ``\\n`` line ends, one final line break."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n" if text.strip() else ""


def validate_webvtt(text: str) -> None:
    """Refuse what browsers would not play as captions, or what is no text at all."""
    if not text:
        return
    text = normalise_webvtt(text)
    if len(text) > MAX_CHARACTERS:
        raise ValidationError(
            _("The captions are longer than %(limit)d characters."),
            params={"limit": MAX_CHARACTERS},
            code="too_long",
        )
    first_line = text.split("\n", 1)[0]
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(
            _("Captions must be a WebVTT file: its first line is “WEBVTT”."), code="not_webvtt"
        )
    if any(ord(c) < 32 and c not in ALLOWED_CONTROLS or ord(c) == 127 for c in text):
        raise ValidationError(_("The captions contain control characters."), code="control")
    if "-->" not in text:
        raise ValidationError(
            _("The captions have no cue (a line such as “00:00.000 --> 00:04.000”)."),
            code="no_cue",
        )


def read_uploaded_webvtt(upload) -> str:
    """The text of an uploaded .vtt file, checked and normalised; ValidationError otherwise."""
    if upload.size > MAX_CHARACTERS * 4:
        raise ValidationError(
            _("The captions are longer than %(limit)d characters."),
            params={"limit": MAX_CHARACTERS},
            code="too_long",
        )
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Captions must be a WebVTT file in UTF-8."), code="encoding"
        ) from None
    validate_webvtt(text)
    return normalise_webvtt(text)
