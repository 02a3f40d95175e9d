"""The app's version, which /healthz and the exports name.

A module of its own, not the package's ``__init__``: that one's ``create_app`` imports the
whole app, so a module that needs only the version would otherwise depend on everything.
"""

__version__ = "0.1.0"
