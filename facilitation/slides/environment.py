"""The environment a deck's helper process (the renderer, LibreOffice) gets: what it needs to
run and nothing of the server's (its secret key, database address...), since it reads a
file from a stranger."""

from __future__ import annotations

import os
from pathlib import Path

KEPT = ("PATH", "LANG", "LC_ALL", "TMPDIR")
# Where ``python -m facilitation.slides...`` is found, however the server was started.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


def child_environment(**extra: str) -> dict[str, str]:
    kept = {name: os.environ[name] for name in KEPT if name in os.environ}
    return {**kept, **extra}


def python_path() -> str:
    """PYTHONPATH for a helper run as ``python -m facilitation.slides...``."""
    inherited = os.environ.get("PYTHONPATH")
    return os.pathsep.join([str(PACKAGE_ROOT), *([inherited] if inherited else [])])
