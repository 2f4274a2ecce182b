"""An SMTP sink on loopback: accepts every message, keeps only a count (written to a file).

It speaks just enough SMTP for Django's SMTP backend and the outbox's pipelined exchange
(EHLO/HELO, offering PIPELINING as Postfix does; MAIL, RCPT, DATA, RSET, NOOP, QUIT) as a
plain asyncio protocol: a full SMTP server in Python (aiosmtpd) parses every
message and, on the load generator's core, becomes the bottleneck it is meant to measure.
Each message is still received completely: it counts once its terminating "." line arrives.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

REPLIES = {
    b"EHLO": b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
    b"HELO": b"250 sink\r\n",
    b"MAIL": b"250 OK\r\n",
    b"RCPT": b"250 OK\r\n",
    b"RSET": b"250 OK\r\n",
    b"NOOP": b"250 OK\r\n",
}


class Sink(asyncio.Protocol):
    received = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    # Keep only what could still hold the start of the terminator.
                    self.buffer = self.buffer[-4:]
                    return
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                Sink.received += 1
                self.transport.write(b"250 OK queued\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2 :]
            verb = line[:4].upper()
            if verb == b"DATA":
                self.in_data = True
                # The terminator search above needs the CRLF that ends the DATA command.
                self.buffer = b"\r\n" + self.buffer
                self.transport.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(REPLIES.get(verb, b"500 unknown\r\n"))


async def serve(port: int, count_file: Path) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, "127.0.0.1", port)
    async with server:
        while True:
            await asyncio.sleep(0.2)
            # Written aside and renamed: a reader never sees the file empty mid-write.
            written = count_file.with_suffix(".new")
            written.write_text(str(Sink.received))
            written.replace(count_file)


def main() -> None:
    port, count_file = int(sys.argv[1]), Path(sys.argv[2])
    asyncio.run(serve(port, count_file))


if __name__ == "__main__":
    main()
