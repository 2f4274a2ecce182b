"""Gunicorn access logging that keeps secrets out of log files (gunicorn's ``logger_class``).

The request line of a confirmation, cancellation or privacy link carries a single-use token, and
a query string can carry anything; a log line keeps neither. Client addresses, request and
response headers and the environment are never logged, whatever the format asks for: a log
line offers only the atoms in ``ATOMS`` (gunicorn's names), and any other one reads "-".

Gunicorn's own logger builds every atom, header included, for each request; this one builds
only what the format uses, from the atoms it offers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from gunicorn.glogging import Logger

# A path segment that looks like a token: long, and made of URL-safe token characters.
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-:.]{20,}(?=/|$)")
FORMAT_KEY = re.compile(r"%\(([^)]+)\)")


def mask_path(path: str) -> str:
    return TOKEN_SEGMENT.sub("…", path)


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
    def atoms(self, resp, req, environ, request_time):
        atoms = _Atoms()
        for key in self._wanted():
            make = ATOMS.get(key)
            if make is not None:
                value = make(self, resp, environ, request_time)
                atoms[key] = value.replace('"', '\\"') if isinstance(value, str) else value
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
