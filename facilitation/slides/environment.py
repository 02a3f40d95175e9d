"""The environment a deck's helper process (the renderer, LibreOffice) gets: what it needs to
run and nothing of the server's (its secret key, database address...), since it reads a
file from a stranger."""

from __future__ import annotations

import os

KEPT = ("PATH", "LANG", "LC_ALL", "TMPDIR")


def child_environment(**extra: str) -> dict[str, str]:
    kept = {name: os.environ[name] for name in KEPT if name in os.environ}
    return {**kept, **extra}
