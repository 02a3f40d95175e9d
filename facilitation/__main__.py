"""``python -m facilitation``: serve the app with gevent (see README, "Why gevent")."""

from gevent import monkey

# Patch before anything else is imported, so sockets, locks and sleeps cooperate.
monkey.patch_all()

import os  # noqa: E402
import secrets  # noqa: E402

from facilitation import create_app  # noqa: E402
from facilitation.auth import create_facilitator, facilitator_count  # noqa: E402
from facilitation.db import database  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

FIRST_EMAIL = "admin@localhost"
ADD_HINT = "flask --app facilitation facilitator create"
SET_HINT = "flask --app facilitation facilitator set-password"


def _first_login(app) -> str:
    """On an install with no facilitator, make one with a fresh random password."""
    with app.app_context(), database(app).sessionmaker() as db:
        if facilitator_count(db):
            return f"Log in with your facilitator account ({ADD_HINT} EMAIL adds one)."
        password = secrets.token_urlsafe(12)
        create_facilitator(db, FIRST_EMAIL, password)
        return (
            f"First run: log in as {FIRST_EMAIL} with password {password}\n"
            f"  (shown once; change it with: {SET_HINT} {FIRST_EMAIL})"
        )


def main() -> None:
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"Workshop facilitation app on http://{host}:{port}/", flush=True)
    print(_first_login(app), flush=True)
    socketio.run(app, host=host, port=port, log_output=os.environ.get("ACCESS_LOG") == "1")


if __name__ == "__main__":
    main()
