"""The first facilitator of a new install, made by ``python -m facilitation``.

Several workers may start at once on an empty database (``systemctl start
facilitation@5001 facilitation@5002``): each sees no facilitator and tries to create the
first one. The email is unique, so exactly one succeeds; the others roll back and say
where the password was printed, instead of crashing the worker.
"""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy.exc import IntegrityError

from ..auth import create_facilitator, facilitator_count
from ..db import database
from ..errors import Refused

FIRST_EMAIL = "admin@localhost"
ADD_HINT = "flask --app facilitation facilitator create"
SET_HINT = "flask --app facilitation facilitator set-password"


def first_login(app: Flask) -> str:
    """On an install with no facilitator, make one with a fresh random password; say how
    to log in."""
    with app.app_context(), database(app).sessionmaker() as db:
        if facilitator_count(db):
            return f"Log in with your facilitator account ({ADD_HINT} EMAIL adds one)."
        password = secrets.token_urlsafe(12)
        try:
            create_facilitator(db, FIRST_EMAIL, password)
        except (IntegrityError, Refused):
            # Another worker made it between our count and our insert (see the module).
            db.rollback()
            if not facilitator_count(db):
                raise
            return (
                f"First run: another worker created {FIRST_EMAIL} at the same moment; "
                f"its output shows the password (or: {SET_HINT} {FIRST_EMAIL})."
            )
        return (
            f"First run: log in as {FIRST_EMAIL} with password {password}\n"
            f"  (shown once; change it with: {SET_HINT} {FIRST_EMAIL})"
        )
