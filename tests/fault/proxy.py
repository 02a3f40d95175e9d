"""A small TCP proxy a test can cut and restore, to make a server unreachable for the app
without touching the server itself (the machine's PostgreSQL keeps running).

    with TcpProxy("127.0.0.1", 5432) as proxy:   # listens on 127.0.0.1:proxy.port
        proxy.cut()       # open connections dropped; new ones accepted and closed at once
        proxy.restore()   # forwarding again
"""

from __future__ import annotations

import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopped = True
        self._listener.close()
        self._drop_all()
        self._thread.join(timeout=5)

    def cut(self) -> None:
        """The server is gone, as far as clients can tell."""
        with self._lock:
            self._cut = True
        self._drop_all()

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def _drop_all(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _close(sock)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                cut = self._cut
            if cut:
                _close(client)  # refused, as fast as a stopped server would
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
