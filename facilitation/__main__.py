"""``python -m facilitation [--room]``: serve the app with gevent (docs/architecture.md, "Why
gevent"); ``--room`` hosts a workshop room from a laptop (server/room.py)."""

from gevent import monkey

# Patch before anything else is imported, so sockets, locks and sleeps cooperate.
monkey.patch_all()

import os  # noqa: E402
import sys  # noqa: E402

from facilitation import create_app  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402
from facilitation.server import collector  # noqa: E402
from facilitation.server.first_run import first_login  # noqa: E402
from facilitation.server.open_files import raise_open_files_limit  # noqa: E402
from facilitation.server.room import ROOM_HOST, room_banner  # noqa: E402
from facilitation.server.wsgi_handler import WSGIHandler  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    room = "--room" in (sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
    if room:
        # Before create_app: the app reads HOST to know the room can reach it (public_url.py).
        os.environ.setdefault("HOST", ROOM_HOST)
    app = create_app()
    host = app.config["HOST"]
    port = int(os.environ.get("PORT", "5000"))
    if room:
        print(room_banner(host, port, app.config["PUBLIC_URL"]), flush=True)
    else:
        print(f"Workshop facilitation app on http://{host}:{port}/", flush=True)
    print(first_login(app), flush=True)
    # Each phone holds sockets: the default 1,024 open files would cap a room at ~500.
    print(f"Open-files limit: {raise_open_files_limit()}", flush=True)
    # Full garbage-collection passes would otherwise pause the server longer with every
    # phone that joins (server/collector.py).
    collector.install()
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=os.environ.get("ACCESS_LOG") == "1",
        handler_class=WSGIHandler,
    )


if __name__ == "__main__":
    main()
