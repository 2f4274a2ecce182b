"""Gunicorn access logging that keeps secrets out of log files.

The request line of a confirmation, cancellation or privacy link carries a single-use token, and
a query string can carry anything; a log line keeps neither. Client addresses are never logged
(see the log format in ``picketline.cli``).
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# A path segment that looks like a token: long, and made of URL-safe token characters.
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-:.]{20,}(?=/|$)")


def mask_path(path: str) -> str:
    return TOKEN_SEGMENT.sub("…", path)


class PrivateAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask_path(environ.get("PATH_INFO", ""))
        atoms["U"] = path
        atoms["q"] = ""
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '')} {path} {environ.get('SERVER_PROTOCOL', '')}"
        )
        atoms["h"] = "-"
        atoms["{x-forwarded-for}i"] = "-"
        return atoms
