"""The workshop facilitation app.

This module imports nothing heavy, so that ``python -m facilitation`` can let gevent patch
the standard library before Flask, SQLAlchemy or Socket.IO are imported.
"""

from .version import __version__ as __version__


def create_app(overrides: dict | None = None):
    from .app import create_app as _create_app

    return _create_app(overrides)
