"""The load of the fault suite: letters posted over HTTP by a few client threads, each from a
new supporter, and what each client got back."""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar

TIMEOUT = 10.0  # a client gives up after this long: an answer later than this is a hang


@dataclass
class Answer:
    started: float
    ended: float
    what: str  # accepted, 503+Retry-After, 503 without Retry-After, HTTP <n>, refused, reset…
    email: str
    traceback: bool = False


def classify(status: int, headers: http.client.HTTPMessage, body: bytes) -> tuple[str, bool]:
    traceback = b"Traceback" in body or b"Exception Value" in body
    if status in (301, 302, 303):
        return "accepted", traceback
    if status == 503:
        retry_after = headers.get("Retry-After", "")
        return (
            "503+Retry-After" if retry_after.isdigit() else "503 without Retry-After"
        ), traceback
    return f"HTTP {status}", traceback


def failure_name(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "hang (no answer in 10 s)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected | BrokenPipeError):
        return "connection reset"
    return type(exc).__name__


def open_form(url: str) -> tuple[str, str]:
    """Open the letter form like a browser: the CSRF cookie and the form's token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url, timeout=TIMEOUT).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return cookie, token


class LetterLoad:
    """``clients`` threads, each posting one letter after another (a new address each)."""

    def __init__(self, port: int, path: str, cookie: str, token: str, clients: int = 4) -> None:
        self.port, self.path, self.clients = port, path, clients
        self.headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        self.body = {
            "csrfmiddlewaretoken": token,
            "country": "DE",
            "language": "en",
            "organisation": "Fault union",
            "role": "member",
            "consent_send_in_my_name": "on",
            "website": "",
            "step": "send",
        }
        self.answers: list[Answer] = []
        self.numbers = itertools.count()
        self.running = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.answers = []
        self.running.set()
        self.threads = [
            threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> list[Answer]:
        self.running.clear()
        for thread in self.threads:
            thread.join(TIMEOUT + 5)
        return list(self.answers)

    def client(self) -> None:
        connection = None
        while self.running.is_set():
            number = next(self.numbers)
            email = f"fault{number}@example.org"
            body = urllib.parse.urlencode(
                {**self.body, "email": email, "name": f"Supporter {number}"}
            )
            started = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                connection.request("POST", self.path, body, self.headers)
                response = connection.getresponse()
                content = response.read()
                what, traceback = classify(response.status, response.headers, content)
                if response.headers.get("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                what, traceback = failure_name(exc), False
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)  # a refused connection answers at once: do not spin
            self.answers.append(Answer(started, time.monotonic(), what, email, traceback))
