"""Two workers' countdown schedulers on one PostgreSQL database, ticking at the same
moment once a countdown with auto-close has run out: input is closed once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.live import countdown_closer
from facilitation.migrations import upgrade_database
from facilitation.models import Event
from facilitation.workshop import timer
from tests.conftest import BUILTIN_PLAN, app_for
from tests.factories import Workshop
from tests.support.cluster import postgres_schema


@pytest.mark.services
def test_two_workers_close_an_expired_countdown_once(tmp_path, monkeypatch, postgres_url):
    moment = [datetime(2030, 5, 1, 10, 0, tzinfo=UTC)]
    monkeypatch.setattr(timer, "now", lambda: moment[0])
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    with postgres_schema(postgres_url, "cluster_timer_race") as url:
        upgrade_database(url)
        app = app_for(url)
        workshop = Workshop(app, socketio, BUILTIN_PLAN)
        try:
            facilitator = workshop.facilitator()
            assert facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})["ok"]
            assert facilitator.emit("open_input")["ok"]
            assert facilitator.emit("timer_start", {"seconds": 10, "auto_close": True})["ok"]
            moment[0] += timedelta(seconds=11)

            # Two workers' schedulers, each of which has read the countdown from the
            # database, tick at the same moment.
            workers = [countdown_closer.Scheduler(), countdown_closer.Scheduler()]
            start = threading.Barrier(len(workers))

            def tick(scheduler):
                scheduler.rebuild(app)
                start.wait()
                return scheduler.tick(app)

            with ThreadPoolExecutor(len(workers)) as pool:
                closed = [sid for done in pool.map(tick, workers) for sid in done]
            assert closed == [workshop.session_id]
            with database(app).sessionmaker() as db:
                closes = db.scalar(
                    select(func.count())
                    .select_from(Event)
                    .where(Event.session_id == workshop.session_id, Event.type == "input.closed")
                )
            assert closes == 1
            assert not workshop.session().input_open
        finally:
            workshop.close()
            database(app).engine.dispose()
