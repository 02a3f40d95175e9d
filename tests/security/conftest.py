"""Fixtures for the security tests: a clock the rate limits read, moved by hand."""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from facilitation.limits import Limits
from tests.factories import Workshop
from tests.live.test_points_grid_words_statements import PLAN


class Clock:
    """A monotonic clock that moves only when told, so windows expire without waiting."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(app) -> Clock:
    """The app's rate limits, reset, reading a clock the test moves."""
    clock = Clock()
    app.extensions["limits"] = Limits.from_config(app.config.get("RATE_LIMITS"), clock)
    return clock


@pytest.fixture
def room(app, tmp_path):
    """A live session of a plan with every kind of free-text input a participant has:
    comments (open text), statements and a word cloud, beside choices and points."""
    path = tmp_path / "every-input.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path)
    workshop.plan_path = path  # for a second session of the same plan
    yield workshop
    workshop.close()
