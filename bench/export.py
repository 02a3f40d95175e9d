"""Export benchmark: time and peak memory of every export of a large session.

    .venv/bin/python bench/export.py [--participants 1000] [--events 50000] [--repeat 3]

1. Builds, in a fresh SQLite database in a temporary folder, a session of the built-in plan
   (sessions/data-for-public-benefit.yaml) with ``--participants`` participants and
   ``--events`` events in its log: joins and the facilitator's controls through the real
   operations; answers to every answerable stage (some changed later), comments and
   agreements / disagreements as real events appended in bulk and applied by the real
   projection (``facilitation.workshop.projection.apply``), so the state tables are exactly
   what the operations would have written, only faster to build.
2. Produces each format of the export registry (facilitation/exports/formats.py), and the
   full zip, in a fresh subprocess per run (``--repeat`` runs each), writing the file to
   disk. The child reports the time the export took and its peak resident memory:
   ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end, i.e. the whole process
   (Python, the app, SQLAlchemy and the export), plus the same figure taken just before the
   export started (``base_mb``: what the process held before exporting).
3. Prints one line of key=value figures per format, the medians of the runs; the zip last.

Target: the full zip in under 10 s and under 500 MB peak (figures: docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAN = ROOT / "sessions" / "data-for-public-benefit.yaml"
CHUNK = 2000  # events per transaction while building

WORDS = (
    "data sharing public benefit council health housing trust purpose consent people "
    "risk clear local services families privacy records agree proportionate fair safe "
    "community outcomes respect resources tangible wider accountable transparent"
).split()


def _app(db_path: Path):
    from facilitation import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SOCKETIO_ASYNC_MODE": "threading",
            "PLANS_DIR": str(ROOT / "sessions"),
        }
    )


def _sentence(rng: random.Random, low: int = 6, high: int = 22) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


# Building the session --------------------------------------------------------------------


class Builder:
    """Appends participants' events in bulk through the real projection."""

    def __init__(self, db, session_id: int):
        self.db, self.session_id = db, session_id
        self.pending = 0

    def _session(self):
        from sqlalchemy import select

        from facilitation.models import WorkshopSession

        return self.db.execute(
            select(WorkshopSession)
            .where(WorkshopSession.id == self.session_id)
            .execution_options(populate_existing=True)
        ).scalar_one()

    def append(self, session, type_, participant, stage_key, payload):
        from facilitation import clock
        from facilitation.models import Event
        from facilitation.workshop.projection import apply

        session.last_seq += 1
        event = Event(
            session_id=session.id,
            seq=session.last_seq,
            at=clock.now(),
            actor=participant.pseudonym,
            participant_id=participant.id,
            type=type_,
            stage_key=stage_key,
            client_id=uuid.uuid4().hex,
            payload=payload,
        )
        self.db.add(event)
        apply(self.db, session, event)
        return event

    def run(self, items) -> list:
        """Append (type, participant, stage_key, payload) items, CHUNK per transaction;
        returns the events' payloads (comment ids are filled in by the projection)."""
        payloads = []
        session = self._session()
        for index, (type_, participant, stage_key, payload) in enumerate(items, 1):
            payloads.append(self.append(session, type_, participant, stage_key, payload).payload)
            if index % CHUNK == 0:
                self.db.commit()
                session = self._session()
        self.db.commit()
        return payloads


def build(db_path: Path, participants: int, events: int, seed: int = 4) -> str:
    """Make the session; returns its join code."""
    from sqlalchemy import func, select

    from facilitation.db import database
    from facilitation.migrations import upgrade_database
    from facilitation.models import Event, WorkshopSession
    from facilitation.plans import load_plan
    from facilitation.workshop import operations, payloads
    from facilitation.workshop.plan_cache import plan_of

    rng = random.Random(seed)
    upgrade_database(f"sqlite:///{db_path}")
    app = _app(db_path)
    plan = load_plan(PLAN)
    with app.app_context(), database(app).sessionmaker() as db:
        session = operations.create_session(db, plan, None, plan.scenarios[0].key)
        session_id, code = session.id, session.code
        sectors, tables = plan.sectors, ["Table A", "Table B", "Table C", "Table D"]
        operations.set_tables(db, session_id, tables)
        people = []
        for n in range(participants):
            name = f"Person {n}" if n % 3 == 0 else None
            people.append(
                operations.join(
                    db,
                    session_id,
                    rng.choice(sectors),
                    name,
                    rng.choice(tables),
                    name_consent=n % 2 == 0,
                )
            )
        session = db.get(WorkshopSession, session_id)
        plan = plan_of(session)
        stages = [s for s in plan.stages if s.activity.answerable or s.takes_comments]
        # What the facilitator's controls will add: every stage shown; input opened,
        # closed and results revealed where there is input; the end.
        controls = len(plan.stages) + 3 * len(stages) + 1
        used = db.scalar(select(func.count()).select_from(Event)) + controls
        budget = max(events - used, 0)
        # Everyone answers every answerable stage and a fifth change an answer; then
        # comments (a quarter of what is left) and agreements / disagreements.
        answerable = [s for s in stages if s.activity.answerable]
        commenting = [s for s in stages if s.takes_comments]
        answers = len(answerable) * participants
        per_stage_changes = min(participants // 5, max(budget - answers, 0) // 4 // len(answerable))
        left = max(budget - answers - per_stage_changes * len(answerable), 0)
        comments_per_stage = max(left // 4 // len(commenting), 1)
        reactions_total = max(left - comments_per_stage * len(commenting), 0)
        reactions_per_stage = reactions_total // len(commenting)
        extra = reactions_total - reactions_per_stage * len(commenting)

        builder = Builder(db, session_id)
        for index, stage in enumerate(plan.stages):
            operations.go_to_stage(db, session_id, index)
            if stage not in stages:
                continue
            operations.open_input(db, session_id)
            items = []
            if stage.activity.answerable:
                for person in people:
                    value = _answer(rng, stage, plan, person)
                    items.append(("answer.submitted", person, stage.key, {"value": value}))
                for person in rng.sample(people, per_stage_changes):
                    value = _answer(rng, stage, plan, person)
                    items.append(("answer.submitted", person, stage.key, {"value": value}))
            builder.run(items)
            if stage.takes_comments:
                authors = [rng.choice(people) for _ in range(comments_per_stage)]
                posted = builder.run(
                    [
                        (
                            "comment.posted",
                            person,
                            stage.key,
                            {
                                "text": payloads.clean_comment_text(
                                    _sentence(rng), stage.activity.max_length
                                )
                            },
                        )
                        for person in authors
                    ]
                )
                ids = [(p["comment_id"], author) for p, author in zip(posted, authors, strict=True)]
                count = reactions_per_stage + (extra if stage is commenting[-1] else 0)
                items = []
                for _ in range(count):
                    comment_id, author = rng.choice(ids)
                    person = rng.choice(people)
                    while person is author:
                        person = rng.choice(people)
                    value = rng.choice((1, 1, 1, -1))
                    items.append(
                        (
                            "comment.reacted",
                            person,
                            stage.key,
                            {"comment_id": comment_id, "reaction": value},
                        )
                    )
                builder.run(items)
            operations.close_input(db, session_id)
            operations.reveal_results(db, session_id)
        operations.end_session(db, session_id)
    return code


def _answer(rng: random.Random, stage, plan, person) -> dict:
    from facilitation.activities import activity_type

    activity = stage.activity
    keys = [item.key for item in activity.items]
    kind = activity.type
    if kind == "sector":
        value = {"sector": person.sector or rng.choice(plan.sectors)}
    elif kind == "traffic_light":
        value = {"lights": {k: rng.choice(("met", "partly", "not_met")) for k in keys}}
    elif kind == "rating":
        points = list(activity.scale.points)
        value = {"ratings": {k: rng.choice(points) for k in keys}}
    elif kind == "ranking":
        order = keys[:]
        rng.shuffle(order)
        value = {"order": order}
    elif kind == "choice":
        value = {"choices": [rng.choice(keys)]}
    else:
        raise SystemExit(f"The benchmark does not answer {kind} stages; add it to _answer.")
    return activity_type(activity.type).clean(activity, plan, value)


# Producing one export (in a child process) ---------------------------------------------


def produce(db_path: Path, code: str, name: str, out: Path) -> dict:
    from facilitation.db import database
    from facilitation.exports import formats
    from facilitation.workshop.sessions import session_by_code

    app = _app(db_path)
    entry = formats.REGISTRY[name]
    with app.test_request_context(), database(app).sessionmaker() as db:
        session = session_by_code(db, code)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        size = 0
        with out.open("wb") as handle:
            for chunk in entry.produce(db, [session]):
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                size += len(data)
                handle.write(data)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "bytes": size, "peak_kib": peak, "base_kib": base}


def run_child(db_path: Path, code: str, name: str, out_dir: Path) -> dict:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--produce",
            name,
            "--db",
            str(db_path),
            "--code",
            code,
            "--out",
            str(out_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"Exporting {name} failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", action="append", help="Only these formats (repeatable).")
    parser.add_argument("--keep", type=Path, help="Build in this folder and keep it.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="With --keep: time the session already built there instead of building anew.",
    )
    parser.add_argument("--produce", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.produce:  # the child
        from facilitation.exports import formats

        out = args.out / formats.REGISTRY[args.produce].filename
        print(json.dumps(produce(args.db, args.code, args.produce, out)))
        return

    os.environ.setdefault("FACILITATION_INSTANCE", tempfile.mkdtemp(prefix="bench-instance-"))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        db_path = folder / "bench.db"
        started = time.perf_counter()
        reused = bool(args.reuse and args.keep and db_path.exists())
        if reused:
            code = _existing_code(db_path)
        else:
            if db_path.exists():
                db_path.unlink()
            code = build(db_path, args.participants, args.events)
        built = "reused" if reused else f"{time.perf_counter() - started:.1f}"
        counts = _counts(db_path)
        print(
            f"built session={code} participants={counts['participants']} "
            f"events={counts['events']} answers={counts['answers']} "
            f"comments={counts['comments']} reactions={counts['reactions']} "
            f"db_mb={db_path.stat().st_size / 2**20:.1f} build_s={built}",
            flush=True,
        )
        from facilitation.exports import formats

        names = [f.name for f in formats.formats()]
        if args.format:
            names = [n for n in names if n in args.format]
        names.sort(key=lambda n: n == "zip")  # the zip last
        out_dir = folder / "out"
        out_dir.mkdir(exist_ok=True)
        for name in names:
            runs = [run_child(db_path, code, name, out_dir) for _ in range(args.repeat)]
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(
                f"format={name} file={formats.REGISTRY[name].filename} "
                f"bytes={int(median['bytes'])} "
                f"export_s={median['seconds']:.2f} wall_s={median['wall']:.2f} "
                f"peak_mb={median['peak_kib'] / 1024:.0f} base_mb={median['base_kib'] / 1024:.0f} "
                f"runs={args.repeat}",
                flush=True,
            )


def _existing_code(db_path: Path) -> str:
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        return connection.execute("select code from workshop_session order by id").fetchone()[0]


def _counts(db_path: Path) -> dict:
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        return {
            table + "s": connection.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("participant", "event", "answer", "comment", "reaction")
        }


if __name__ == "__main__":
    main()
