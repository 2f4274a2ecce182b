"""Django's PostgreSQL backend, with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` Django runs ``SELECT 1`` on a persistent connection before a
request's first query: a round trip per request. A connection the server has closed (a
restart, a terminated backend, an idle timeout) has something to read on its socket: the
server's last words, or the end of the stream. So when the socket has nothing to read, the
connection is taken as usable without asking; otherwise Django's check runs as before.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
