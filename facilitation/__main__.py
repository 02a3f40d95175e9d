"""``python -m facilitation``: serve the app with gevent (docs/architecture.md, "Why gevent")."""

from gevent import monkey

# Patch before anything else is imported, so sockets, locks and sleeps cooperate.
monkey.patch_all()

import gc  # noqa: E402
import os  # noqa: E402

from facilitation import create_app  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402
from facilitation.server.first_run import first_login  # noqa: E402
from facilitation.server.open_files import raise_open_files_limit  # noqa: E402
from facilitation.server.wsgi_handler import WSGIHandler  # noqa: E402


def main() -> None:
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"Workshop facilitation app on http://{host}:{port}/", flush=True)
    print(first_login(app), flush=True)
    # Each phone holds sockets: the default 1,024 open files would cap a room at ~500.
    print(f"Open-files limit: {raise_open_files_limit()}", flush=True)
    # What start-up made (modules, the app, plans) lives as long as the process: keep it
    # out of the collector's full passes, whose pauses otherwise grow with every phone.
    gc.freeze()
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=os.environ.get("ACCESS_LOG") == "1",
        handler_class=WSGIHandler,
    )


if __name__ == "__main__":
    main()
