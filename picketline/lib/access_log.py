"""Gunicorn access logging that keeps secrets out of log files (gunicorn's ``logger_class``).

The request line of a confirmation, cancellation or privacy link carries a single-use token, and
a query string can carry anything; a log line keeps neither. Client addresses, request and
response headers and the environment are never logged, whatever the format asks for: a log
line offers only the atoms in ``ATOMS`` (gunicorn's names), and any other one reads "-".

Gunicorn's own logger builds every atom, header included, for each request; this one builds
only what the format uses, from the atoms it offers.

The same holds for every other log line: ``PrivateLogFilter`` sits on gunicorn's error log
(which would say "Invalid request from ip=…") and on the handlers of Django's logging (whose
"Internal Server Error: <path>" would carry a token). It escapes control characters, so that a
``%0a`` in a path cannot forge a line, and masks tokens and IP addresses in the message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta

from gunicorn.glogging import Logger

# A path segment that looks like a token: long, and made of URL-safe token characters.
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-:.]{20,}(?=/|$)")
FORMAT_KEY = re.compile(r"%\(([^)]+)\)")


# In free text: a token after a slash or an equals sign, up to the next separator.
TOKEN_IN_TEXT = re.compile(r"(?<=[/=])[A-Za-z0-9_\-:.]{20,}(?=[/?&#\s'\"]|$)")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
IPV6_CANDIDATE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def mask_path(path: str) -> str:
    return escape_controls(TOKEN_SEGMENT.sub("…", path))


def escape_controls(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _mask_ipv6(match: re.Match[str]) -> str:
    # "12:30:45" is a time, not an address; an address has "::" or at least five colons.
    text = match.group()
    return "[address]" if "::" in text or text.count(":") >= 5 else text


def private_text(text: str) -> str:
    """``text`` without control characters, tokens or IP addresses."""
    text = TOKEN_IN_TEXT.sub("…", text)
    text = IPV6_CANDIDATE.sub(_mask_ipv6, IPV4.sub("[address]", text))
    return escape_controls(text)


class PrivateLogFilter(logging.Filter):
    """Rewrites a record's message into ``private_text`` (tracebacks are left as they are)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = private_text(record.getMessage())
        record.args = None
        return True


def _status(resp) -> str:
    status = resp.status
    return status.split(None, 1)[0] if isinstance(status, str) else str(status)


def _sent(resp) -> str:
    sent = getattr(resp, "sent", None)
    return str(sent) if sent is not None else "-"


def _request_line(logger: Logger, resp, environ: dict, took: timedelta) -> str:
    path = mask_path(environ.get("PATH_INFO", ""))
    return f"{environ.get('REQUEST_METHOD', '')} {path} {environ.get('SERVER_PROTOCOL', '')}"


# Atom name: its value from (logger, response, environ, request time). No address, no query.
ATOMS: dict[str, Callable[[Logger, object, dict, timedelta], object]] = {
    "r": _request_line,
    "s": lambda logger, resp, environ, took: _status(resp),
    "m": lambda logger, resp, environ, took: environ.get("REQUEST_METHOD", "-"),
    "U": lambda logger, resp, environ, took: mask_path(environ.get("PATH_INFO", "")),
    "H": lambda logger, resp, environ, took: environ.get("SERVER_PROTOCOL", "-"),
    "b": lambda logger, resp, environ, took: _sent(resp),
    "B": lambda logger, resp, environ, took: getattr(resp, "sent", None),
    "t": lambda logger, resp, environ, took: logger.now(),
    "T": lambda logger, resp, environ, took: took.seconds,
    "D": lambda logger, resp, environ, took: took.seconds * 1_000_000 + took.microseconds,
    "M": lambda logger, resp, environ, took: took.seconds * 1000 + took.microseconds // 1000,
    "L": lambda logger, resp, environ, took: f"{took.seconds}.{took.microseconds:06d}",
}


class _Atoms(dict):
    """The atoms of one line; one the format names but we do not offer reads "-"."""

    def __missing__(self, key: str) -> str:
        return "-"


class PrivateAccessLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        if not any(isinstance(f, PrivateLogFilter) for f in self.error_log.filters):
            self.error_log.addFilter(PrivateLogFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = _Atoms()
        for key in self._wanted():
            make = ATOMS.get(key)
            if make is not None:
                value = make(self, resp, environ, request_time)
                if isinstance(value, str):
                    value = escape_controls(value).replace('"', '\\"')
                atoms[key] = value
        return atoms

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(
                self.cfg.access_log_format, self.atoms(resp, req, environ, request_time)
            )
        except Exception:
            self.exception("access log line")

    def _wanted(self) -> tuple[str, ...]:
        log_format = self.cfg.access_log_format
        cached = getattr(self, "_wanted_for", None)
        if cached is None or cached[0] != log_format:
            cached = self._wanted_for = (log_format, tuple(FORMAT_KEY.findall(log_format)))
        return cached[1]
