"""Join profile: the server's CPU for each step of a phone joining, and where it goes.

    .venv/bin/python bench/join_profile.py                       # 1,000 phones, 3 runs
    .venv/bin/python bench/join_profile.py --phones 3000 --repeat 1
    .venv/bin/python bench/join_profile.py --profile connect     # cProfile of one step
    .venv/bin/python bench/join_profile.py --profile all --top 40

The app runs in this process (threading mode, the Flask and Flask-SocketIO test clients,
a fresh SQLite database in a temporary folder, CSRF on, every setting as served but
BROADCAST_INTERVAL, which is 0 here: each change is pushed at once, so a push's cost falls
in the step that caused it). A session of the built-in plan is opened on the rating stage
``feature-outcomes`` with input open, the facilitator's console and one projector
connected, as in a room. Then each phone does what a phone does when its QR code is
scanned, one phone after another:

1. ``join_page``: GET /j/CODE (the join form, with its csrf token);
2. ``join_post``: POST /j/CODE (sector and consent), which sets the cookie and is
   answered with the phone page itself;
3. ``connect``: the Socket.IO connection with auth {code, role: participant, sync: {}},
   as the phone page makes it (static/js/live.js): its first ``sync`` reply is sent with
   the connection (``synced``), not asked for after it.

Each step's CPU is this thread's CPU time (``time.thread_time``) around it. Printed: one
line per run, ``step_ms`` the median over the phones of each step, ``total_ms`` the median
phone's sum, ``last_ms`` the median of the last tenth of the phones (a step whose cost
grows with the room shows there), and ``step_sql`` the median number of SQL statements the
step sent (this thread's only: the broadcaster's pushes run in a thread of their own),
BEGIN, COMMIT and the ROLLBACK that ends a read included. What this leaves out, and bench/load.py's
``server_cpu_join_s`` includes: the HTTP server (gevent's WSGI server, the WebSocket
handshake, Engine.IO's framing) and the pushes the broadcaster batches every 0.1 s.

``--profile STEP`` (or ``all``) runs cProfile around that step for every phone and prints
the top ``--top`` functions by their own time and by cumulative time, for the whole run.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import gc
import io
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("join_page", "join_post", "connect")
PLAN = ROOT / "sessions" / "data-for-public-benefit.yaml"
STAGE_KEY = "feature-outcomes"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
SECTORS = ("Health", "Social care", "Housing", "Criminal justice", "Welfare")


class Statements:
    """SQL statements this thread sends to the engine, counted (BEGIN, COMMIT and the
    ROLLBACK that ends a read too)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        self.thread = threading.get_ident()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._statement)
        event.listen(engine, "rollback", self._statement)

    def _statement(self, *_args):
        if threading.get_ident() == self.thread:
            self.count += 1


class Room:
    """The app on a fresh database, a live session on the rating stage, console and screen."""

    def __init__(self, folder: Path):
        import os

        from facilitation import create_app
        from facilitation.extensions import socketio
        from facilitation.migrations import upgrade_database
        from tests.factories import Workshop

        folder.mkdir()
        os.environ["FACILITATION_INSTANCE"] = str(folder)
        url = f"sqlite:///{folder / 'bench.db'}"
        upgrade_database(url)
        self.app = create_app(
            {
                "SECRET_KEY": "bench-join-profile",
                "DATABASE_URL": url,
                "SOCKETIO_ASYNC_MODE": "threading",
                "BROADCAST_INTERVAL": 0.1,
                "RATE_LIMITS": {"joins_per_minute": 1_000_000},  # all join from one address
            }
        )
        self.socketio = socketio
        self.workshop = Workshop(self.app, socketio, PLAN)
        self.code = self.workshop.code
        console = self.workshop.facilitator()
        for event, payload in (
            ("start_session", {}),
            ("goto", {"index": self.workshop.stage_index(STAGE_KEY)}),
            ("open_input", {}),
        ):
            ack = console.emit(event, payload)
            if not ack.get("ok") and event != "start_session":
                raise SystemExit(f"{event} refused: {ack}")
        self.workshop.screen()
        self.clients = []
        from facilitation.db import database

        self.statements = Statements(database(self.app).engine)

    def phone(self, number: int, timed: dict, counted: dict, profiles: dict) -> None:
        """One phone through the three steps, each step's CPU added to TIMED[step] and its
        SQL statements to COUNTED[step]."""
        from tests.support.live import is_phone_page

        http = self.app.test_client()
        state: dict = {}

        def join_page():
            page = http.get(f"/j/{self.code}")
            assert page.status_code == 200, page.status_code
            state["csrf"] = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)

        def join_post():
            form = {
                "csrf_token": state["csrf"],
                "display_name": "",
                "sector": SECTORS[number % len(SECTORS)],
                "table": "",
                "consent": "yes",
            }
            posted = http.post(f"/j/{self.code}", data=form)
            body = posted.get_data(as_text=True)
            assert posted.status_code == 200 and is_phone_page(body, self.code), body[:500]

        def connect():
            auth = {"code": self.code, "role": "participant", "sync": {}}
            socket = self.socketio.test_client(self.app, flask_test_client=http, auth=auth)
            state["socket"] = socket
            synced = [m["args"][0] for m in socket.get_received() if m["name"] == "synced"]
            assert socket.is_connected() and synced and synced[0].get("ok"), synced

        steps = (join_page, join_post, connect)
        for name, step in zip(STEPS, steps, strict=True):
            profile = profiles.get(name)
            sent = self.statements.count
            started = time.thread_time()
            if profile is not None:
                profile.runcall(step)
            else:
                step()
            timed[name].append((time.thread_time() - started) * 1000)
            counted[name].append(self.statements.count - sent)
        # Keep the connection, as a phone in the room does, but drop what it was sent: a
        # test client queues every message for its reader.
        state["socket"].get_received()
        self.clients.append(state["socket"])

    def close(self):
        from facilitation.db import database

        for client in self.clients:
            client.get_received()
        self.workshop.close()
        database(self.app).engine.dispose()


class Pauses:
    """The garbage collector's full passes while phones join: how many, how long."""

    def __init__(self):
        self.started = 0.0
        self.full: list[float] = []

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.full.append((time.perf_counter() - self.started) * 1000)


def run_once(folder: Path, phones: int, profiles: dict) -> tuple[dict, dict, Pauses]:
    pauses = Pauses()
    room = Room(folder)
    timed: dict[str, list[float]] = {name: [] for name in STEPS}
    counted: dict[str, list[int]] = {name: [] for name in STEPS}
    gc.callbacks.append(pauses)
    try:
        for number in range(phones):
            room.phone(number, timed, counted, profiles)
    finally:
        gc.callbacks.remove(pauses)
        room.close()
    return timed, counted, pauses


def figures(timed: dict[str, list[float]], counted: dict, pauses: Pauses) -> dict[str, float]:
    phones = len(timed[STEPS[0]])
    totals = [sum(timed[name][n] for name in STEPS) for n in range(phones)]
    tail = max(1, phones // 10)
    out = {f"{name}_ms": statistics.median(timed[name]) for name in STEPS}
    out["total_ms"] = statistics.median(totals)
    out["last_ms"] = statistics.median(totals[-tail:])
    out["mean_ms"] = statistics.fmean(totals)
    out["gc_full_passes"] = len(pauses.full)
    out["gc_full_total_ms"] = sum(pauses.full)
    out["gc_full_max_ms"] = max(pauses.full, default=0.0)
    out.update({f"{name}_sql": statistics.median(counted[name]) for name in STEPS})
    return out


def line(values: dict[str, float]) -> str:
    return " ".join(f"{key}={value:.2f}" for key, value in values.items())


def print_profile(name: str, profile: cProfile.Profile, top: int) -> None:
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(profile, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        print(f"--- profile of {name}, by {order}")
        print(stream.getvalue().split("\n", 6)[-1].rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000, help="phones per run (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs, medians last (3)")
    parser.add_argument(
        "--profile", choices=(*STEPS, "all"), help="cProfile this step (or all) in every run"
    )
    parser.add_argument(
        "--collector",
        action="store_true",
        help="the server's garbage-collection policy (facilitation/server/collector.py)",
    )
    parser.add_argument("--top", type=int, default=30, help="functions per profile table (30)")
    args = parser.parse_args(argv)
    if not 1 <= args.phones <= 100_000 or not 1 <= args.repeat <= 20:
        parser.error("--phones 1..100000, --repeat 1..20")
    import logging

    if args.collector:
        from facilitation.server import collector

        collector.install()  # as python -m facilitation does
    logging.disable(logging.WARNING)  # the app logs every join at INFO
    names = STEPS if args.profile == "all" else (args.profile,) if args.profile else ()
    profiles = {name: cProfile.Profile() for name in names}
    runs = []
    # The broadcaster's background thread outlives a run (it serves every app of the
    # process): the runs' databases go only once the process is done with them.
    folders = Path(tempfile.mkdtemp(prefix="bench-join-"))
    atexit.register(shutil.rmtree, folders, ignore_errors=True)
    for number in range(args.repeat):
        started = time.monotonic()
        values = figures(*run_once(folders / f"run{number + 1}", args.phones, profiles))
        runs.append(values)
        print(
            f"run={number + 1} phones={args.phones} {line(values)} "
            f"wall_s={time.monotonic() - started:.1f}",
            flush=True,
        )
    if args.repeat > 1:
        medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"median_of_runs={args.repeat} phones={args.phones} {line(medians)}")
    for name, profile in profiles.items():
        print_profile(name, profile, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
