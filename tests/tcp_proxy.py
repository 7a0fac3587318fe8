"""A TCP proxy on 127.0.0.1 in front of a database server, which can make that server seem to
hang (nothing forwarded any more, new connections accepted and never answered) or refuse."""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._hanging = threading.Event()
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="tcp-proxy", daemon=True).start()

    def hang(self) -> None:
        """Forward nothing any more, both ways; accept new connections and never answer them."""
        self._hanging.set()

    def refuse(self) -> None:
        """Close every connection and stop listening: new ones are refused."""
        self._stopped.set()
        _close(self._listener)  # shut down first: a plain close leaves a blocked accept() running
        for held in list(self._sockets):
            _close(held)

    def close(self) -> None:
        self.refuse()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # stopped
            self._sockets.append(client)
            if self._hanging.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection(self.target)
            self._sockets.append(upstream)
            for source, destination in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, destination), daemon=True).start()

    def _pump(self, source: socket.socket, destination: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                break
            if not data:
                break
            while self._hanging.is_set() and not self._stopped.is_set():
                time.sleep(0.02)  # held, never delivered
            if self._stopped.is_set():
                break
            try:
                destination.sendall(data)
            except OSError:
                break
        _close(destination)


def _close(held: socket.socket) -> None:
    with contextlib.suppress(OSError):
        held.shutdown(socket.SHUT_RDWR)
    held.close()
