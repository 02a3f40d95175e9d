"""How the Socket.IO transport is wired: the event table registered by create_app on each
app's server, nothing registered by importing a module, and the python-socketio internals
that event_guard.py and packet_json.py rely on, pinned to the versions in requirements.txt."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import socketio as python_socketio

from facilitation.extensions import socketio
from facilitation.live.broadcast import broadcaster
from facilitation.live.events import EVENTS
from tests.conftest import app_for

ROOT = Path(__file__).resolve().parent.parent.parent


def pinned_version(package: str) -> str:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(package)}==(\S+)$", text, re.MULTILINE | re.IGNORECASE)
    assert found, f"{package} is not pinned in requirements.txt"
    return found.group(1)


def test_the_event_table_is_registered_on_the_apps_own_server(app):
    names = [event.name for event in EVENTS]
    assert len(names) == len(set(names))
    assert set(socketio.server.handlers["/"]) == {*names, "connect", "disconnect"}
    # Nothing in Flask-SocketIO's own list, which init_app would hand to every later server.
    assert socketio.handlers == []
    assert socketio.namespace_handlers == []


def test_every_event_names_known_roles_and_a_handler():
    roles = {"participant", "facilitator", "screen", "notetaker"}
    for event in EVENTS:
        assert event.roles and set(event.roles) <= roles, event.name
        assert callable(event.handler), event.name


def test_another_app_adds_no_second_hook(app, tmp_path):
    hooks = (list(broadcaster.tick_hooks), list(broadcaster.push_hooks))
    other = app_for(f"sqlite:///{tmp_path / 'other.db'}")
    assert (broadcaster.tick_hooks, broadcaster.push_hooks) == hooks
    assert set(socketio.server.handlers["/"]) == {e.name for e in EVENTS} | {
        "connect",
        "disconnect",
    }
    assert other.extensions["socketio"] is socketio


def test_importing_every_module_registers_nothing():
    """In a fresh interpreter: import every module of the package, then look for hooks."""
    script = """
import pkgutil, importlib, facilitation
for module in pkgutil.walk_packages(facilitation.__path__, "facilitation."):
    if ".migrations." not in module.name and not module.name.endswith("__main__"):
        importlib.import_module(module.name)
from facilitation import logins
from facilitation.extensions import login_manager, socketio
from facilitation.live.broadcast import broadcaster
assert socketio.server is None, "a Socket.IO server before create_app"
assert socketio.handlers == [] and socketio.namespace_handlers == [], socketio.handlers
assert broadcaster.tick_hooks == [] and broadcaster.push_hooks == []
assert logins._end_listeners == []
assert login_manager._user_callback is None
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_the_socketio_versions_are_those_pinned():
    """event_guard.py wraps python-socketio's private ``Server._handle_event`` and reads its
    ``handlers``; packet_json.py replaces its packets' ``json``. Checked against these
    versions: upgrading any of them means reading those again, and this test says so."""
    for package in ("Flask-SocketIO", "python-socketio", "python-engineio"):
        assert metadata.version(package) == pinned_version(package), package


def test_the_python_socketio_internals_event_guard_relies_on():
    parameters = list(inspect.signature(python_socketio.Server._handle_event).parameters)
    assert parameters == ["self", "eio_sid", "namespace", "id", "data"]
    server = python_socketio.Server()

    def handler(_sid):
        return None

    server.on("hello", handler, namespace="/")
    assert server.handlers == {"/": {"hello": handler}}
    assert server.packet_class is python_socketio.packet.Packet
    assert hasattr(server.packet_class, "json")
