"""Consultation benchmark: a self-paced run holding 20,000 people on PostgreSQL, and its peak hour.

    .venv/bin/python bench/consultation.py                     # 20,000 people, 500 measured
    .venv/bin/python bench/consultation.py --quick             # 2,000 and 50, about a minute
    .venv/bin/python bench/consultation.py --participants 20000 --live 500 --rate 50 --speed 1

1. Makes a fresh PostgreSQL schema (``bench_consult_<random>``, dropped afterwards; only on
   127.0.0.1), migrates it and publishes a self-paced run of the built-in plan
   (``run_operations.publish_run``, anyone with the link, the plan's ``self_paced:``
   settings) that opened six days ago and closes in a day.
2. **Backfill** (not timed against the targets): ``--participants`` minus ``--live`` people
   arrive "over the week". Their events are built in bulk and applied by the real projection
   (``projection.apply``, and ``projection.apply_answers`` for answers, as
   ``operations.record_answers`` does), one locked transaction per chunk, each person's
   events dated from their arrival: joined (with the sector, which answers the sector stage
   as ``operations.join`` does), Next through the stages (``participant.paced``), an answer
   to nearly every answerable stage (values made valid by each activity type's ``clean``),
   comments on the open questions (awaiting approval); some leave early (a drop-off of about
   5 % a stage for the first three, 2.5 % after: about 63 % finish). Then the facilitator
   approves most comments and rejects some through ``operations.restore_comment`` /
   ``hide_comment``.
3. Times what a ``pace`` reply (live/paced.py ``paced_reply``) costs on each stage, in this
   process one call at a time, and its size: one ``stage=...`` line per stage.
4. Starts the real server (``python -m facilitation``, gevent, one process) on that schema
   (tests/support/server.py's ``start_live_app``) and **measures the peak hour**: ``--live``
   people arrive at ``--rate`` a minute (Poisson arrivals), each through the real server as a
   phone: GET /j/CODE, POST the join form (sector, consent; answered with the phone page),
   Socket.IO connect and ``sync``, then for every stage ``pace`` {index} (Next), a think
   time, an ``answer`` where the stage takes one and ``pace`` to the same index to see its
   results (as the phone does after an answer is acked); some post a ``comment`` on the
   open questions. Every
   request and ack is timed. ``--speed S`` compresses time: arrivals S times faster and
   think times S times shorter (and the per-participant event limit raised S times, or the
   server would refuse the faster phones). ``--stop-before KEY``: phones stop before that
   stage. ``--profile FILE``: py-spy records the server for the peak hour.
5. Prints one line of key=value figures: p50/p95/p99/max/count/errors per kind, the
   database's size (``pg_total_relation_size`` of the schema's tables) and rows, the server's
   CPU and memory over the peak hour.

Everything is bounded (every request and ack ``--call-timeout``, the whole peak hour
``--timeout``); only 127.0.0.1. What each figure means: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spy  # noqa: E402  (bench/spy.py, beside this file)

PLAN = ROOT / "sessions" / "data-for-public-benefit.yaml"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
CHUNK = 250  # backfilled people per transaction
# The kinds of request timed, in the order printed.
KINDS = (
    "join_page",
    "join_post",
    "connect",
    "sync",
    "pace",
    "answer",
    "refresh",
    "own_profile",
    "comment",
)
# Drop-off: the chance a person leaves at each Next (the first stages lose the most).
EARLY_LEAVE, LATER_LEAVE, EARLY_STAGES = 0.05, 0.025, 3
SKIP_ANSWER = 0.05  # an answerable stage passed with Next, unanswered
COMMENT_SHARE = 0.25  # of those reaching an open question, who write something
APPROVED, REJECTED = 0.7, 0.1  # of the backfilled comments (the rest still wait)

WORDS = (
    "data sharing public benefit council health housing trust purpose consent people "
    "risk clear local services families privacy records agree proportionate fair safe "
    "community outcomes respect resources tangible wider accountable transparent"
).split()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22))).capitalize() + "."


def answer_value(rng: random.Random, stage, plan, sector: str) -> dict:
    """A valid answer to ``stage``, as its activity type's ``clean`` returns it."""
    from facilitation.activities import activity_type

    activity = stage.activity
    keys = [item.key for item in activity.items]
    kind = activity.type
    if kind == "sector":
        value = {"sector": sector}
    elif kind == "traffic_light":
        value = {"lights": {k: rng.choice(("met", "met", "partly", "not_met")) for k in keys}}
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
        raise SystemExit(f"The benchmark does not answer {kind} stages; add it to answer_value.")
    return activity_type(kind).clean(activity, plan, value)


@dataclass(frozen=True)
class StageKind:
    answered: bool  # a phone sends an answer (the sector stage is answered at join)
    records_sector: bool
    open_question: bool  # its answers are comments
    profile: bool  # the framework profile: the phone asks for its own (``own_profile``)


def stage_kinds(plan) -> list[StageKind]:
    from facilitation.activities import activity_type

    kinds = []
    for stage in plan.stages:
        kind = activity_type(stage.activity.type)
        sector = bool(getattr(kind, "records_sector", False))
        kinds.append(
            StageKind(
                answered=kind.answerable and not sector,
                records_sector=sector,
                open_question=kind.always_comments,
                profile=bool(getattr(kind, "from_framework", False)),
            )
        )
    return kinds


# The backfill: a week of people, in bulk through the real projection ---------------------


def _app(database_url: str):
    from facilitation import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "PLANS_DIR": str(ROOT / "sessions"),
        }
    )


@dataclass
class Built:
    session_id: int
    code: str
    people: int = 0
    finished: int = 0
    comments: int = 0
    seconds: float = 0.0


def publish(db, plan):
    from facilitation import clock
    from facilitation.workshop import run_operations
    from facilitation.workshop.runs import RunSettings

    now = clock.now()
    return run_operations.publish_run(
        db,
        plan,
        None,
        opens_at=now - timedelta(days=6),
        closes_at=now + timedelta(days=1),
        settings=RunSettings.from_plan(plan, invitation_only=False),
        scenario_key=plan.scenarios[0].key,
    )


def backfill(database_url: str, count: int, seed: int) -> Built:
    """Publish the run and add ``count`` people who came over the week (see the module)."""
    from facilitation import clock
    from facilitation.db import database
    from facilitation.plans import load_plan

    rng = random.Random(seed)
    app = _app(database_url)
    started = time.perf_counter()
    with app.app_context(), database(app).sessionmaker() as db:
        session = publish(db, load_plan(PLAN))
        built = Built(session.id, session.code)
        opens_at, now = clock.aware(session.opens_at), clock.now()
        # Arrivals over the six days so far, more by day than by night, in time order so
        # the log's order follows its dates.
        span = (now - opens_at).total_seconds() - 3600
        arrivals = []
        while len(arrivals) < count:
            moment = rng.uniform(0, span)
            hour = (moment / 3600) % 24
            if rng.random() < (1.0 if 8 <= hour < 22 else 0.25):
                arrivals.append(opens_at + timedelta(seconds=moment))
        arrivals.sort()
        for start in range(0, count, CHUNK):
            _chunk(db, built, arrivals[start : start + CHUNK], rng)
        _moderate(db, built, rng)
    built.seconds = time.perf_counter() - started
    return built


def _chunk(db, built: Built, arrivals: list, rng: random.Random) -> None:
    """One transaction: these people's whole visits, appended and projected."""
    from sqlalchemy import insert, select

    from facilitation.models import Event, Participant
    from facilitation.workshop.codes import new_pseudonym
    from facilitation.workshop.operations import locked
    from facilitation.workshop.plan_cache import plan_of
    from facilitation.workshop.projection import apply, apply_answers
    from facilitation.workshop.runs import RunSettings

    with locked(db, built.session_id) as session:
        plan = plan_of(session)
        kinds = stage_kinds(plan)
        comments_taken = RunSettings.of(session).comments
        taken = set(
            db.scalars(select(Participant.pseudonym).where(Participant.session_id == session.id))
        )
        people = []
        for arrived in arrivals:
            pseudonym = new_pseudonym()
            while pseudonym in taken:
                pseudonym = new_pseudonym()
            taken.add(pseudonym)
            people.append(
                Participant(session_id=session.id, pseudonym=pseudonym, joined_at=arrived)
            )
        db.add_all(people)
        db.flush()

        rows, answers = [], []

        def event(person, moment, type_, stage_key=None, payload=None, client_id=None):
            session.last_seq += 1
            row = {
                "session_id": session.id,
                "seq": session.last_seq,
                "at": moment,
                "actor": person.pseudonym,
                "participant_id": person.id,
                "type": type_,
                "stage_key": stage_key,
                "client_id": client_id,
                "payload": payload or {},
            }
            if type_ == "answer.submitted":
                answers.append(row)
            else:  # the projection on a transient Event: nothing of it is added to the session
                transient = Event(**row)
                apply(db, session, transient)
                row["payload"] = transient.payload  # a comment's id, filled in by the projection
            rows.append(row)

        for person, moment in zip(people, arrivals, strict=True):
            sector = rng.choice(plan.sectors)
            event(person, moment, "participant.joined", payload=_joined(sector))
            for index, kind in enumerate(kinds):
                if kind.records_sector:  # the sector chosen at join answers it (operations.join)
                    value = answer_value(rng, plan.stages[index], plan, sector)
                    event(
                        person, moment, "answer.submitted", plan.stages[index].key, {"value": value}
                    )
            for index in range(1, len(plan.stages)):
                leave = EARLY_LEAVE if index <= EARLY_STAGES else LATER_LEAVE
                if rng.random() < leave:
                    break
                moment += timedelta(seconds=rng.uniform(10, 90))
                event(person, moment, "participant.paced", payload={"index": index})
                stage = plan.stages[index]
                if kinds[index].answered and rng.random() > SKIP_ANSWER:
                    value = answer_value(rng, stage, plan, sector)
                    moment += timedelta(seconds=rng.uniform(5, 60))
                    event(
                        person,
                        moment,
                        "answer.submitted",
                        stage.key,
                        {"value": value},
                        client_id=uuid.uuid4().hex,
                    )
                if kinds[index].open_question and comments_taken and rng.random() < COMMENT_SHARE:
                    text = _comment_text(rng, stage)
                    moment += timedelta(seconds=rng.uniform(20, 120))
                    payload = {"text": text, **_awaiting(session)}
                    event(person, moment, "comment.posted", stage.key, payload, uuid.uuid4().hex)
                    built.comments += 1
            else:
                built.finished += 1
        # As operations.record_answers writes them: one INSERT of the events, one upsert.
        db.execute(insert(Event.__table__), rows)
        apply_answers(db, session, answers)
    built.people += len(people)


def _joined(sector: str) -> dict:
    return {"sector": sector, "display_name": None, "table": None, "name_consent": False}


def _comment_text(rng: random.Random, stage) -> str:
    from facilitation.workshop import payloads

    return payloads.clean_comment_text(_sentence(rng), stage.activity.max_length)


def _awaiting(session) -> dict:
    from facilitation.workshop import operations

    return operations._awaiting(session)  # the run's approve-first setting, as operations mark it


def _moderate(db, built: Built, rng: random.Random) -> None:
    """The facilitator approves most waiting comments and rejects some (real operations)."""
    from sqlalchemy import select

    from facilitation.models import Comment
    from facilitation.workshop import operations

    waiting = db.scalars(
        select(Comment.id).where(Comment.session_id == built.session_id, Comment.awaiting)
    ).all()
    for comment_id in waiting:
        draw = rng.random()
        if draw < APPROVED:
            operations.restore_comment(db, built.session_id, comment_id)
        elif draw < APPROVED + REJECTED:
            operations.hide_comment(db, built.session_id, comment_id)


def reply_costs(database_url: str, built: Built) -> dict[str, tuple[float, float, int, float]]:
    """What a ``pace`` ack (live/paced.py ``paced_reply``) costs on each stage, for someone
    who went through them all: in this process, one at a time (so without the server's
    other work or the sockets): the median of 3 of wall and CPU seconds, the reply's size as
    JSON (what the phone is sent, near enough) and the first call's wall seconds (a
    profile stage computes the profile then, and keeps it: profile_cache.py)."""
    import json

    from sqlalchemy import select

    from facilitation.db import database
    from facilitation.live.paced import paced_reply
    from facilitation.models import Participant
    from facilitation.workshop.plan_cache import plan_of
    from facilitation.workshop.sessions import session_by_id

    app = _app(database_url)
    costs = {}
    with app.app_context(), database(app).sessionmaker() as db:
        session = session_by_id(db, built.session_id)
        plan = plan_of(session)
        person = db.scalar(
            select(Participant)
            .where(
                Participant.session_id == session.id,
                Participant.furthest_index == len(plan.stages) - 1,
            )
            .limit(1)
        )
        for index, stage in enumerate(plan.stages):
            person.stage_index = index  # never committed: rolled back below
            runs = []
            for _ in range(3):
                wall, cpu = time.perf_counter(), time.process_time()
                reply = paced_reply(db, session, person)
                runs.append((time.perf_counter() - wall, time.process_time() - cpu))
            first = runs[0][0]  # a profile stage computes (and keeps) the profile once
            runs.sort()
            size = len(json.dumps(reply, separators=(",", ":"), default=str).encode())
            costs[stage.key] = (*runs[1], size, first)
        db.rollback()
    return costs


def last_stage(plan, stop_before: str | None) -> int:
    """The last stage index the phones go to: all, or the one before ``stop_before``."""
    if stop_before is None:
        return len(plan.stages) - 1
    index = plan.stage_index(stop_before)
    if not index:
        raise SystemExit(f"--stop-before: no stage {stop_before!r} after the first")
    return index - 1


# The database: size and rows ---------------------------------------------------------------


def database_figures(database_url: str, schema: str) -> dict:
    import psycopg

    # psycopg takes the libpq URL; the schema is named explicitly below.
    plain = database_url.split("?", 1)[0]
    with psycopg.connect(plain, autocommit=True, connect_timeout=10) as connection:
        size = connection.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema,),
        ).fetchone()[0]
        figures = {"db_mb": f"{size / 2**20:.1f}"}
        for table in ("event", "answer", "participant", "comment"):
            figures[f"{table}_rows"] = connection.execute(
                f"SELECT count(*) FROM {schema}.{table}"  # a checked schema name, fixed tables
            ).fetchone()[0]
    return figures


def postgres_cpu_seconds() -> float:
    """utime + stime of every process named postgres (the server's backends and its own
    processes; other clients' work on the same PostgreSQL counts too)."""
    from bench.load import cpu_seconds

    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            total += cpu_seconds(int(entry.name))
        except OSError:  # gone meanwhile
            continue
    return total


# The peak hour: phones through the real server ----------------------------------------------


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: Counter = field(default_factory=Counter)  # (kind, reason): how often

    async def timed(self, kind: str, call):
        """Await ``call()`` and time it; a failure is counted (and re-raised)."""
        started = time.monotonic()
        try:
            result = await call()
        except Exception as error:
            self.fail(kind, f"{type(error).__name__}: {error}")
            raise
        self.seconds[kind].append(time.monotonic() - started)
        return result

    def fail(self, kind: str, message: str) -> None:
        self.errors[kind] += 1
        self.reasons[(kind, message[:200])] += 1


class Refusal(Exception):
    """The server answered, but not with what the phone needed."""


@dataclass
class Live:
    url: str
    code: str
    plan: object
    kinds: list
    call_timeout: float
    think: float  # mean seconds per stage, already divided by --speed
    last: int  # the last stage index a phone goes to
    timings: Timings = field(default_factory=Timings)
    finished: int = 0
    started: int = 0


async def person(live: Live, number: int, rng: random.Random) -> None:
    import aiohttp
    import socketio

    from bench.load import CSRF_FIELD, SECTORS
    from tests.support.live import is_phone_page

    timings, timeout = live.timings, live.call_timeout
    live.started += 1
    http = aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # an IP host: aiohttp keeps no cookie otherwise
        timeout=aiohttp.ClientTimeout(total=timeout),
    )
    client = None
    try:
        join_url = f"{live.url}/j/{live.code}"

        async def join_page():
            async with http.get(join_url) as page:
                text = await page.text()
                if page.status != 200:
                    raise Refusal(f"HTTP {page.status}")
                return text

        text = await timings.timed("join_page", join_page)
        match = CSRF_FIELD.search(text)
        if match is None:
            timings.fail("join_page", "no csrf_token on the join page")
            return
        sector = SECTORS[number % len(SECTORS)]
        form = {"csrf_token": match.group(1), "display_name": "", "sector": sector, "table": ""}
        form["consent"] = "yes"

        async def join_post():  # answered with the phone page itself
            async with http.post(join_url, data=form, allow_redirects=False) as response:
                body = await response.text()
                if response.status != 200 or not is_phone_page(body, live.code):
                    raise Refusal(f"join refused: HTTP {response.status}")

        await timings.timed("join_post", join_post)

        client = socketio.AsyncClient(http_session=http, reconnection=False)
        await timings.timed(
            "connect",
            lambda: client.connect(
                live.url,
                auth={"code": live.code, "role": "participant"},
                transports=["websocket"],
                wait_timeout=timeout,
            ),
        )

        async def emit(kind: str, event: str, payload: dict) -> dict:
            ack = await timings.timed(kind, lambda: client.call(event, payload, timeout=timeout))
            if not ack.get("ok"):
                timings.seconds[kind].pop()  # a refusal is an error, not a latency
                timings.fail(kind, f"refused: {ack.get('error')}")
                raise Refusal(ack.get("error"))
            return ack

        ack = await emit("sync", "sync", {})
        start = ack["state"]["pace"]["index"]
        plan = live.plan
        for index in range(start + 1, live.last + 1):
            ack = await emit("pace", "pace", {"index": index})
            stage = plan.stages[index]
            if ack["state"]["stage"]["key"] != stage.key:
                timings.fail("pace", f"at {ack['state']['stage']['key']}, not {stage.key}")
                return
            kind = live.kinds[index]
            if kind.profile:  # the phone marks the person's own profile beside the room's
                await emit("own_profile", "own_profile", {})
            await asyncio.sleep(rng.uniform(0.5, 1.5) * live.think)
            if kind.answered:
                value = answer_value(rng, stage, plan, sector)
                payload = {"stage": stage.key, "client_id": uuid.uuid4().hex, "value": value}
                await emit("answer", "answer", payload)
                await emit("refresh", "pace", {"index": index})  # the results, as the phone asks
            if kind.open_question and ack["state"]["stage"].get("comments") is not False:
                if rng.random() < COMMENT_SHARE:
                    text = _comment_text(rng, stage)
                    payload = {"stage": stage.key, "client_id": uuid.uuid4().hex, "text": text}
                    await emit("comment", "comment", payload)
        live.finished += 1
    except Exception:  # counted where it happened (timed / emit); this person stops here
        pass
    finally:
        with contextlib.suppress(Exception):
            if client is not None and client.connected:
                await asyncio.wait_for(client.disconnect(), 10)
        await http.close()


async def peak_hour(live: Live, people: int, rate_per_second: float, seed: int) -> float:
    """``people`` arrive at ``rate_per_second`` (Poisson); returns the seconds it took."""
    rng = random.Random(seed)
    tasks = []
    started = time.monotonic()
    for number in range(people):
        tasks.append(asyncio.ensure_future(person(live, number, random.Random(rng.random()))))
        if number < people - 1:
            await asyncio.sleep(rng.expovariate(rate_per_second))
    await asyncio.gather(*tasks)
    return time.monotonic() - started


# The run -------------------------------------------------------------------------------------


def percentile_figures(timings: Timings) -> dict:
    from bench.load import ms, percentile

    figures = {}
    for kind in KINDS:
        values = timings.seconds.get(kind, [])
        figures[f"{kind}_n"] = len(values)
        figures[f"{kind}_p50_ms"] = ms(percentile(values, 0.50))
        figures[f"{kind}_p95_ms"] = ms(percentile(values, 0.95))
        figures[f"{kind}_p99_ms"] = ms(percentile(values, 0.99))
        figures[f"{kind}_max_ms"] = ms(max(values, default=None))
        figures[f"{kind}_errors"] = timings.errors.get(kind, 0)
    return figures


def run(args) -> dict:
    from bench.load import cpu_seconds, memory_kb, raise_open_files
    from facilitation.migrations import upgrade_database
    from facilitation.plans import load_plan
    from tests.support.cluster import postgres_schema
    from tests.support.server import start_live_app

    if urlparse(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("--database-url must be on 127.0.0.1")
    raise_open_files(args.live * 2 + 512)
    figures: dict[str, object] = {
        "participants": args.participants,
        "live": args.live,
        "rate_per_min": f"{args.rate:g}",
        "speed": f"{args.speed:g}",
    }
    schema = f"bench_consult_{secrets.token_hex(4)}"
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-consult-")))
        os.environ.setdefault("FACILITATION_INSTANCE", str(folder / "instance"))
        database_url = stack.enter_context(postgres_schema(args.database_url, schema))
        upgrade_database(database_url)
        built = backfill(database_url, args.participants - args.live, args.seed)
        figures.update(
            backfilled=built.people,
            backfill_finished=built.finished,
            backfill_comments=built.comments,
            backfill_s=f"{built.seconds:.1f}",
        )
        before = database_figures(args.database_url, schema)
        figures["db_mb_backfilled"] = before["db_mb"]
        print(f"backfilled {figures}", file=sys.stderr, flush=True)
        costs = reply_costs(database_url, built)
        for key, (wall, cpu, size, first) in costs.items():  # a line per stage, before the rest
            print(
                f"stage={key} reply_ms={wall * 1000:.1f} reply_cpu_ms={cpu * 1000:.1f}"
                f" reply_kb={size / 1024:.1f} first_ms={first * 1000:.1f}",
                flush=True,
            )
        figures["reply_max_ms"] = f"{max(c[0] for c in costs.values()) * 1000:.1f}"
        figures["reply_max_kb"] = f"{max(c[2] for c in costs.values()) / 1024:.1f}"
        figures["reply_first_max_ms"] = f"{max(c[3] for c in costs.values()) * 1000:.1f}"

        limits = {}
        if args.speed > 1:  # phones S times faster than people: the per-person limits too
            limits["RATE_LIMIT_PARTICIPANT_EVENTS_PER_MINUTE"] = str(math.ceil(60 * args.speed))
        if args.rate * args.speed > 1000:  # every phone joins from 127.0.0.1
            limits["RATE_LIMIT_JOINS_PER_MINUTE"] = str(math.ceil(args.rate * args.speed * 2))
        server = start_live_app(
            folder / "server", database_url=database_url, health_timeout=60, **limits
        )
        stack.callback(server.stop)
        pid = server.server.process.pid

        plan = load_plan(PLAN)
        live = Live(
            url=server.url,
            code=built.code,
            plan=plan,
            kinds=stage_kinds(plan),
            last=last_stage(plan, args.stop_before),
            call_timeout=args.call_timeout,
            think=args.think / args.speed,
        )
        if args.profile:
            stack.enter_context(spy.recording({args.profile: pid}))
        rss_before = memory_kb(pid)["VmRSS"]
        cpu_before, pg_before = cpu_seconds(pid), postgres_cpu_seconds()
        client_before = cpu_seconds(os.getpid())
        rate = args.rate * args.speed / 60
        try:
            took = asyncio.run(
                asyncio.wait_for(peak_hour(live, args.live, rate, args.seed), args.timeout)
            )
        except TimeoutError:
            took = args.timeout
            live.timings.fail("run", f"not done within --timeout {args.timeout:g} s")
        cpu_end, pg_end = cpu_seconds(pid), postgres_cpu_seconds()
        memory = memory_kb(pid)
        figures.update(
            peak_s=f"{took:.1f}",
            started=live.started,
            finished=live.finished,
            **percentile_figures(live.timings),
            errors=sum(live.timings.errors.values()),
            server_cpu_s=f"{cpu_end - cpu_before:.1f}",
            server_cpu_share=f"{(cpu_end - cpu_before) / max(took, 0.001):.2f}",
            postgres_cpu_s=f"{pg_end - pg_before:.1f}",
            client_cpu_s=f"{cpu_seconds(os.getpid()) - client_before:.1f}",
            server_rss_mb=f"{memory['VmRSS'] / 1024:.1f}",
            server_rss_start_mb=f"{rss_before / 1024:.1f}",
            server_rss_peak_mb=f"{memory['VmHWM'] / 1024:.1f}",
        )
        figures.update(database_figures(args.database_url, schema))
        for (kind, reason), count in live.timings.reasons.most_common(10):
            print(f"errors: {count} x {kind}: {reason}", file=sys.stderr)
    return figures


def main() -> None:
    for name in ("engineio.client", "socketio.client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20000, help="in all (default 20000)")
    parser.add_argument("--live", type=int, default=500, help="measured through the server")
    parser.add_argument("--rate", type=float, default=50.0, help="arrivals a minute (default 50)")
    parser.add_argument("--speed", type=float, default=1.0, help="time compressed S times")
    parser.add_argument("--think", type=float, default=6.0, help="mean seconds on a stage")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a check: --participants 2000 --live 50 --speed 4 (about a minute)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--call-timeout", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="the whole peak hour")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--stop-before", help="phones stop before this stage (its key)")
    parser.add_argument("--profile", type=Path, help="py-spy the server into this file (raw)")
    args = parser.parse_args()
    if args.quick:
        args.participants, args.live, args.speed = 2000, 50, 4.0
    if not 1 <= args.live <= args.participants:
        parser.error("--live must be between 1 and --participants")
    if args.rate <= 0 or args.speed <= 0 or args.think < 0:
        parser.error("--rate and --speed must be positive, --think not negative")
    figures = run(args)
    print(" ".join(f"{key}={value}" for key, value in figures.items()), flush=True)


if __name__ == "__main__":
    main()
