"""The load generator of the journey benchmark: virtual supporters over a fixed set of
keep-alive HTTP connections, and the SMTP server their confirmation mails arrive at.

Each virtual supporter walks one journey after another, with a new address each time. A
connection carries whichever supporter has a request ready, so a supporter who waits for their
confirmation mail holds no connection: the server always has ``connections`` requests in
flight, as with wrk, and the latency of a step is the time from sending the request to the last
byte of the answer (waiting for a free connection is not counted).

Plain asyncio, no HTTP library: one core must drive the server's core to saturation.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/me/confirm/[^/\s]+/)")
STEPS = ("home", "action page", "submit", "open link", "confirm", "after")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer:
        # A kept-alive connection the server closed meanwhile fails before any byte of an
        # answer: then (and only then) the request is sent once more on a new connection.
        for attempt in (1, 2):
            if self.writer is None:
                await self._open()
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            try:
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                self.close()
                if attempt == 2 or getattr(error, "partial", b""):
                    raise
                continue
            return await self._answer(head)
        raise AssertionError("unreachable")

    async def _answer(self, head: bytes) -> Answer:
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookies[cookie_name] = rest.split(";", 1)[0]
            else:
                headers[name] = value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, headers, cookies, body)


@dataclass
class Tally:
    """What the run measured, per step."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STEPS})
    journeys: int = 0
    # Every journey completed in the round, warm-up included: the CPU read over the whole
    # round is divided by this one.
    all_journeys: int = 0
    examples: list[str] = field(default_factory=list)

    def error(self, step: str, detail: str) -> None:
        self.errors[step] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{step}: {detail}")


class Load:
    """Connections shared by the virtual supporters; counts only while ``measuring``."""

    def __init__(self, host: str, port: int, connections: int) -> None:
        self.pool: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(connections):
            self.pool.put_nowait(Connection(host, port))
        self.tally = Tally()
        self.measuring = False

    async def send(
        self, step: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer:
        connection = await self.pool.get()
        try:
            started = time.perf_counter()
            answer = await connection.request(method, path, headers, body)
            if self.measuring:
                self.tally.latencies[step].append(time.perf_counter() - started)
            return answer
        except BaseException:
            connection.close()
            raise
        finally:
            self.pool.put_nowait(connection)


class Mailbox:
    """The confirmation links that arrived by mail, by recipient address."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[str]] = {}
        self.early: dict[str, str] = {}
        self.received = 0

    def expect(self, address: str) -> asyncio.Future[str]:
        future = asyncio.get_running_loop().create_future()
        if address in self.early:
            future.set_result(self.early.pop(address))
        else:
            self.waiting[address] = future
        return future

    def deliver(self, recipients: list[str], data: bytes) -> None:
        self.received += 1
        message = email.message_from_bytes(data, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        found = CONFIRM_LINK.search(part.get_content() if part is not None else "")
        if not found:
            return  # a letter, a copy, anything but a confirmation
        for address in recipients:
            future = self.waiting.pop(address, None)
            if future is None:
                self.early[address] = found.group(1)
            elif not future.done():
                future.set_result(found.group(1))


class SmtpServer(asyncio.Protocol):
    """Just enough SMTP for Django's backend; hands each message to the mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.recipients: list[str] = []
        transport.write(b"220 journey ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                message, self.buffer = self.buffer[:end], self.buffer[end + 5 :]
                self.in_data = False
                self.mailbox.deliver(self.recipients, message.replace(b"\r\n..", b"\r\n."))
                self.recipients = []
                self.transport.write(b"250 OK\r\n")
                continue
            line, sep, rest = self.buffer.partition(b"\r\n")
            if not sep:
                return
            self.buffer = rest
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.transport.write(
                    b"250-journey\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                )
            elif verb == b"RCPT":
                address = line.split(b":", 1)[1].split(b">", 1)[0].strip(b" <")
                self.recipients.append(address.decode().lower())
                self.transport.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(b"250 OK\r\n")


def multipart(fields: dict[str, str]) -> tuple[str, bytes]:
    """A multipart/form-data body, as a browser sends a form that may carry files."""
    boundary = "----journeyboundary7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="video"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    body = "".join(parts) + f"--{boundary}--\r\n"
    return f"multipart/form-data; boundary={boundary}", body.encode()


@dataclass(frozen=True)
class Action:
    """One action the journey can take: its page, and the form a supporter sends from it."""

    name: str
    path: str
    fields: Callable[[str, int], dict[str, str]]
    as_multipart: bool = False


def product_journey(load: Load, mailbox: Mailbox, action: Action, address: str, n: int):
    async def walk() -> bool:
        step = "home"
        try:
            answer = await load.send(step, "GET", "/en/", {})
            if answer.status != 200:
                load.tally.error(step, f"{answer.status}")
                return False
            step = "action page"
            answer = await load.send(step, "GET", action.path, {})
            token = TOKEN.search(answer.body)
            cookie = answer.cookies.get("csrftoken")
            if answer.status != 200 or token is None or cookie is None:
                load.tally.error(step, f"{answer.status} token={bool(token)} cookie={cookie}")
                return False
            headers = {"Cookie": f"csrftoken={cookie}"}
            fields = {"csrfmiddlewaretoken": token.group(1).decode(), **action.fields(address, n)}
            if action.as_multipart:
                content_type, body = multipart(fields)
            else:
                content_type, body = "application/x-www-form-urlencoded", urlencode(fields).encode()
            step = "submit"
            arrived = mailbox.expect(address)
            answer = await load.send(
                step, "POST", action.path, {**headers, "Content-Type": content_type}, body
            )
            if answer.status != 302:
                load.tally.error(step, f"{answer.status} {answer.body[:200]!r}")
                return False
            link = await asyncio.wait_for(arrived, 60)
            step = "open link"
            answer = await load.send(step, "GET", link, headers)
            token = TOKEN.search(answer.body)
            if answer.status != 200 or token is None:
                load.tally.error(step, f"{answer.status}")
                return False
            step = "confirm"
            body = urlencode({"csrfmiddlewaretoken": token.group(1).decode()}).encode()
            answer = await load.send(
                step,
                "POST",
                link,
                {**headers, "Content-Type": "application/x-www-form-urlencoded"},
                body,
            )
            if answer.status != 302:
                load.tally.error(step, f"{answer.status} {answer.body[:200]!r}")
                return False
            step = "after"
            answer = await load.send(step, "GET", answer.headers["location"], headers)
            if answer.status != 200:
                load.tally.error(step, f"{answer.status}")
                return False
            return True
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            load.tally.error(step, repr(error))
            return False

    return walk


def bare_journey(load: Load, address: str):
    async def walk() -> bool:
        step = "home"
        try:
            for step, path in (("home", "/"), ("action page", "/form/")):
                if (await load.send(step, "GET", path, {})).status != 200:
                    load.tally.error(step, "not 200")
                    return False
            step = "submit"
            answer = await load.send(
                step,
                "POST",
                "/submit/",
                {"Content-Type": "application/x-www-form-urlencoded"},
                urlencode({"email": address}).encode(),
            )
            link = answer.headers["location"]
            step = "open link"
            if (await load.send(step, "GET", link, {})).status != 200:
                load.tally.error(step, "not 200")
                return False
            step = "confirm"
            answer = await load.send(step, "POST", link, {}, b"")
            step = "after"
            if (await load.send(step, "GET", answer.headers["location"], {})).status != 200:
                load.tally.error(step, "not 200")
                return False
            return True
        except (TimeoutError, OSError, asyncio.IncompleteReadError, KeyError, ValueError) as error:
            load.tally.error(step, repr(error))
            return False

    return walk
