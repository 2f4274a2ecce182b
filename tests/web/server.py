"""Calls a WSGI application in-process the way gunicorn does, for tests of what runs around
Django's own handling (the page cache's fast path, the product's handler)."""

from __future__ import annotations

import io
import sys
import urllib.parse

from django.core.signals import request_finished, request_started
from django.db import close_old_connections


def environ(method: str = "GET", path: str = "/", body: bytes = b"", **extra: str) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        **extra,
    }


class Server:
    """``keep_cookies``: send back the cookies the application set, as a browser would."""

    def __init__(self, application, *, keep_cookies: bool = False) -> None:
        self.application = application
        self.cookies: dict[str, str] | None = {} if keep_cookies else None

    def get(self, path: str, method: str = "GET", **extra: str) -> tuple[str, dict, bytes]:
        return self.call(method, path, **extra)

    def call(
        self, method: str, path: str, data: dict | None = None, **extra: str
    ) -> tuple[str, dict, bytes]:
        body = urllib.parse.urlencode(data or {}).encode()
        if self.cookies:
            extra.setdefault("HTTP_COOKIE", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        started: list = []
        # As Django's test client does: the test's database connection stays open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.application(
                environ(method, path, body, **extra),
                lambda status, headers, exc=None: started.append((status, headers)),
            )
            content = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        status, headers = started[0]
        if self.cookies is not None:
            for name, value in headers:
                if name == "Set-Cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
        return status, dict(headers), content
