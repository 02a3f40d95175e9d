"""The people list (every participant) goes to the console at most once a second, however
many join meanwhile: rebuilding it at every 0.1 s push was O(N) ten times a second while a
plenary joined (docs/benchmarks.md, "What we found")."""

from __future__ import annotations

from facilitation.live import broadcast
from facilitation.live.broadcast import PEOPLE, RESULTS, Broadcaster


def _recording(monkeypatch):
    sent = []
    monkeypatch.setattr(
        broadcast.socketio, "emit", lambda name, message, to=None: sent.append((name, to))
    )
    return sent


def test_people_are_pushed_at_most_once_a_second(app, workshop, monkeypatch):
    sent = _recording(monkeypatch)
    clock = [1000.0]
    monkeypatch.setattr(broadcast.time, "monotonic", lambda: clock[0])
    pushes = Broadcaster()
    pushes.init_app(app)
    pushes.interval = 0.1  # as served (tests run with 0: every mark pushed at once)

    def people_sent():
        return sum(1 for name, _ in sent if name == "people")

    for _ in range(5):  # five joins within the same second: each marks people and results
        workshop.join()
        pushes.mark(workshop.session_id, PEOPLE, RESULTS)
        pushes.flush()
        clock[0] += 0.1
    assert people_sent() == 1
    assert sum(1 for name, _ in sent if name == "results") >= 5  # counts still go every push

    clock[0] += 1.0  # a second later, the joins since are sent in one list
    pushes.flush()
    assert people_sent() == 2
    pushes.flush()
    assert people_sent() == 2  # nothing new: nothing sent
