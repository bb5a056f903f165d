"""Connections that never finish their request headers are closed.

uvicorn closes a kept-alive connection that sits idle (timeout_keep_alive), but a
client that opens a connection and sends half a request line, or headers without the
blank line that ends them, was kept forever: a few hundred of those hold the worker's
file descriptors (slowloris). HeaderTimeoutProtocol closes a connection whose request
headers are not complete HEADER_TIMEOUT seconds after the connection or the previous
response, whichever came last. A request whose headers have arrived is never cut: its
own time limits are Datasette's.

REGISTRY_HEADER_TIMEOUT overrides the limit (the tests use a short one).
"""
import os

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = float(os.environ.get("REGISTRY_HEADER_TIMEOUT", "10"))
KEEP_ALIVE_TIMEOUT = 5


class HeaderTimeoutProtocol(H11Protocol):
    def connection_made(self, transport):
        self._header_timer = None
        super().connection_made(transport)
        self._watch()

    def data_received(self, data):
        super().data_received(data)
        self._watch()

    def connection_lost(self, exc):
        self._stop()
        super().connection_lost(exc)

    def _waiting_for_headers(self):
        return self.cycle is None or self.cycle.response_complete

    def _watch(self):
        if self._waiting_for_headers():
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._expire)
        else:
            self._stop()

    def _stop(self):
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expire(self):
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()
