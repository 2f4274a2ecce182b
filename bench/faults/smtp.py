"""An SMTP server on loopback that the fault suite tells how to misbehave.

It offers PIPELINING, as Postfix does, so the outbox sends to it as it sends to a real server.
It runs in a thread of the suite's process and keeps the Message-ID of every message it
accepted, in order, so that the suite can compare what the outbox marked sent with what
arrived. ``mode`` says what it does to the next command it reads:

- ``ok``: accepts every message;
- ``421``: greets with "421 try again later" and hangs up (a server shutting down);
- ``451``: takes the whole message, then answers "451" (a temporary failure) and keeps nothing;
- ``550``: refuses every recipient for good;
- ``hang``: takes the whole message, then never answers (a server stuck mid-message).
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter

MESSAGE_ID = re.compile(rb"^message-id:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
REPLIES = {
    b"EHLO": b"250-faults\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
    b"HELO": b"250 faults\r\n",
    b"MAIL": b"250 OK\r\n",
    b"RSET": b"250 OK\r\n",
    b"NOOP": b"250 OK\r\n",
}


class ScriptableSmtp:
    def __init__(self) -> None:
        self.mode = "ok"
        self.received: list[str] = []  # Message-IDs, one per message accepted
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(target=self.serve, name="fault-smtp", daemon=True)

    def start(self) -> int:
        self.thread.start()
        self.ready.wait(10)
        return self.port

    def serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            self.loop.create_server(lambda: Session(self), "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)

    def counts(self) -> Counter:
        return Counter(list(self.received))


class Session(asyncio.Protocol):
    def __init__(self, server: ScriptableSmtp) -> None:
        self.server = server
        self.buffer = b""
        self.message = b""
        self.in_data = False
        self.recipients = 0  # accepted in this transaction

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        if self.server.mode == "421":
            transport.write(b"421 faults: try again later\r\n")
            transport.close()
            return
        transport.write(b"220 faults ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while not self.transport.is_closing():
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                self.message, self.buffer = self.buffer[:end], self.buffer[end + 5 :]
                self.in_data = False
                self.end_of_message()
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2 :]
            self.command(line[:4].upper())

    def command(self, verb: bytes) -> None:
        mode = self.server.mode
        if mode == "421":
            self.transport.write(b"421 faults: closing\r\n")
            self.transport.close()
        elif verb == b"RCPT":
            self.transport.write(b"550 no such mailbox\r\n" if mode == "550" else b"250 OK\r\n")
            self.recipients += mode != "550"
        elif verb == b"DATA" and not self.recipients:
            self.transport.write(b"554 no valid recipients\r\n")  # as RFC 2920 asks
        elif verb == b"DATA":
            self.recipients = 0
            self.in_data = True
            self.buffer = b"\r\n" + self.buffer  # the terminator search needs this CRLF
            self.transport.write(b"354 go ahead\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 bye\r\n")
            self.transport.close()
        else:
            if verb in (b"MAIL", b"RSET"):
                self.recipients = 0
            self.transport.write(REPLIES.get(verb, b"500 unknown\r\n"))

    def end_of_message(self) -> None:
        mode = self.server.mode
        if mode == "hang":
            return  # never answers; the client must give up on its own
        if mode == "451":
            self.transport.write(b"451 faults: local error, try later\r\n")
            return
        found = MESSAGE_ID.search(self.message)
        self.server.received.append(found.group(1).decode() if found else "")
        self.transport.write(b"250 OK queued\r\n")
