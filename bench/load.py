"""Load benchmark: N phones join one live session and answer a rating in a burst, or
(``--statements``) vote on many statements of a statements stage.

    .venv/bin/python bench/load.py [--phones 100] [--burst 10]
    .venv/bin/python bench/load.py --statements --opinion-groups on|off [--phones 100]
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --database-url sqlite:///... \
        --email admin@localhost --password ...
    .venv/bin/python bench/load.py --workers 2 --phones 5000 \
        --database-url postgresql://postgres@127.0.0.1:5432/test \
        --message-queue redis://127.0.0.1:6379/0

1. Starts the real server (``python -m facilitation``, gevent, through
   tests/support/server.py's ``start_live_app``) in a temporary folder with SQLite and the
   default BROADCAST_INTERVAL, or uses the server at ``--url`` (with ``--database-url``).
   It raises one rate limit, joins per address (``BENCH_LIMITS``): all phones join from
   127.0.0.1. A server at ``--url`` must be started with RATE_LIMIT_JOINS_PER_MINUTE above
   the phones joining in a minute.
   With ``--workers N``: N workers on PostgreSQL (a fresh schema per run) and the Redis
   message queue behind the shipped nginx config (tests/support/cluster.py); phones go
   through nginx and keep its routing cookie, so each stays on one worker.
2. Opens a session of the built-in plan (``flask session open data-for-public-benefit``),
   logs in a facilitator through the login form, goes to the rating stage
   ``feature-outcomes`` and opens input over Socket.IO.
3. Connects one projector per worker (role ``screen`` with the key from the facilitator's
   ``screen_url``; with several workers each connects straight to its worker) that records
   every ``results`` message: its ``seq``, ``answered`` and arrival time. The facilitator's
   console stays connected too (as in a real room it receives the chart and people list).
4. N phones, all in this one asyncio process (python-socketio's AsyncClient over aiohttp),
   each do the real join flow: GET /j/CODE for the csrf token, POST the join form (sector,
   consent; answered with the phone page), keep the cookie, connect with auth {code,
   role: participant, sync: {}} and take the ``synced`` reply sent with the connection.
   At most ``--join-concurrency`` (100) join at a time. ``held``: how many are still
   connected once all have joined; ``dropped``: how many lost their connection by the end.
   A failed join is named by its step, HTTP status and who answered (``POST /j: HTTP 500
   from nginx``; all of them, counted, go to stderr). With workers, ``nginx_open_files``
   is nginx's processes x each one's open-files limit (a warning says when they cannot
   hold every phone, two descriptors each), and ``nginx_500_out_of_files`` the requests
   nginx itself answered 500 for want of a descriptor (from its error.log).
5. Each phone answers the rating once at a random moment within ``--burst`` seconds, with a
   client_id, and times the ack. Vote-to-projector latency: from a phone's emit to the
   first ``results`` on a projector whose ``seq`` >= the answer's acked ``seq`` (for every
   projector: each answer counts once per projector).
6. Prints one line of key=value figures. ``stored`` is read back from the database
   (Answer rows of the stage), not from the acks.

With ``--statements`` the session is of a plan of its own (``statements_plan``: one
statements stage, ``opinion_groups:`` on or off by ``--opinion-groups``), written into the
run's folder and opened with PLANS_DIR pointing there (the session keeps the plan's text,
so the server never reads that folder; the built-in plan is untouched). The facilitator goes
to the stage, opens input, reveals the results and (groups on) sets the breakdown to
``opinion``, so the projector is sent the opinion groups as a room would see them. After
the joins, ``--authors`` phones post ``--statement-count`` statements; then, in the burst,
every phone votes (``react``: agree, disagree or pass, each with its ack) on
``--votes-per-phone`` statements not its own, at random moments within ``--burst``
seconds, one after another. The phones are planted in ``--planted-groups`` camps with
their own views on each statement (a fifth of the statements agreed by all, a fifth of
the votes random) so groups really form. Vote-to-projector latency is measured per vote
as for answers; ``stored`` counts the stage's Reaction rows, and the projector's messages
carrying formed opinion groups are counted by k.

Everything is bounded: every wait has a timeout, every loop a count, and the whole run
``--timeout`` seconds. Only 127.0.0.1. The load generator shares the machine's cores with
the server, so its own scheduling delay is part of every latency it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import logging
import os
import random
import re
import resource
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spy  # noqa: E402  (bench/spy.py, beside this file)

# The one rate limit the benchmark raises (facilitation/limits.py; settings in
# docs/deployment.md, "Configuration").
# Every simulated phone joins from 127.0.0.1, about 5,000 a minute: a real room joins from
# many addresses, or from one NAT at far below the default 1,500 a minute. Nothing else a
# phone does here comes near a limit (one sync and one answer each), so the run measures
# the server as served, limits included.
BENCH_LIMITS = {"RATE_LIMIT_JOINS_PER_MINUTE": "1000000"}
PLAN_SLUG = "data-for-public-benefit"
STAGE_KEY = "feature-outcomes"
# --statements: a plan of the benchmark's own, written into the run's folder.
STATEMENTS_PLAN_SLUG = "bench-statements"
STATEMENTS_STAGE_KEY = "views"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
SECTORS = (
    "Health",
    "Social care",
    "Housing",
    "Criminal justice",
    "Welfare",
    "Voluntary sector",
    "Other public service",
    "Something else",
)


def statements_plan(opinion_groups: bool) -> str:
    """The --statements plan: a welcome and one statements stage, the bench's sectors."""
    sectors = "\n".join(f"  - {sector}" for sector in SECTORS)
    return f"""\
title: Load benchmark, statements
description: One statements stage for bench/load.py --statements.
privacy_notice: Simulated phones of a benchmark; the run's folder is deleted afterwards.
sectors:
{sectors}
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome
    type: info
    body: The benchmark's phones join here.
  - key: {STATEMENTS_STAGE_KEY}
    title: Views
    prompt: Agree, disagree or pass on each statement
    type: statements
    opinion_groups: {"true" if opinion_groups else "false"}
"""


# Words for the statements' texts: each text is unique, and reads like one.
SUBJECTS = (
    "Councils", "GP practices", "Housing services", "Schools", "The police", "Charities",
    "Care teams", "Job centres", "Hospitals", "Researchers",
)  # fmt: skip
CLAIMS = (
    "should explain what they share", "should ask people first", "share too little",
    "need clearer rules", "should delete data sooner", "help people by sharing early",
)  # fmt: skip


def statement_texts(count: int) -> list[str]:
    return [
        f"{SUBJECTS[n % len(SUBJECTS)]} {CLAIMS[(n // len(SUBJECTS)) % len(CLAIMS)]} ({n + 1})"
        for n in range(count)
    ]


# The server process: CPU and memory from /proc ------------------------------------------


def _clock_ticks() -> int:
    return os.sysconf(os.sysconf_names["SC_CLK_TCK"])


def _stat_cpu(stat: str) -> float:
    """utime + stime, in seconds, from the text of a /proc/<pid>/stat."""
    fields = stat.rsplit(")", 1)[1].split()
    # After the ")" the fields start at 3 (state): utime is 14, stime 15.
    return (int(fields[11]) + int(fields[12])) / _clock_ticks()


def cpu_seconds(pid: int) -> float:
    """utime + stime of PID (and its waited-for children), in seconds."""
    with open(f"/proc/{pid}/stat") as handle:
        return _stat_cpu(handle.read())


def machine_busy_seconds() -> float:
    """Every core's busy time since boot (/proc/stat: all but idle and iowait), in seconds."""
    with open("/proc/stat") as handle:
        fields = [int(n) for n in handle.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / _clock_ticks()


def cpu_of_processes(leave_out: set[int]) -> dict[int, tuple[str, float]]:
    """utime + stime of every process but LEAVE_OUT: pid -> (program name, seconds)."""
    seen = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) in leave_out:
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                text = handle.read()
        except OSError:  # gone since the listing
            continue
        name = text[text.index("(") + 1 : text.rindex(")")].split("/")[0]  # kworker/1:0-...
        seen[int(entry.name)] = (name, _stat_cpu(text))
    return seen


def cpu_by_program(before: dict, after: dict) -> Counter:
    """What each program (``postgres``, ``nginx``, ``redis-server``) took between two
    readings of ``cpu_of_processes``: what else shared the cores with the server and
    phones. A process started in between counts whole; one that ended in between, not."""
    seconds: Counter = Counter()
    for pid, (name, total_s) in after.items():
        spent = total_s - before.get(pid, (name, 0.0))[1]
        if spent > 0:
            seconds[name] += spent
    return seconds


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident) of PID, in KiB."""
    figures = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0])
    return figures


# nginx's descriptors: two a phone (its WebSocket and nginx's own to the worker; the join's
# keep-alive connection is the one the WebSocket upgrades) and some spare (listening
# socket, logs, pooled upstream connections): 6,000 held 2,992 phones and the console.
NGINX_FILES_PER_PHONE = 2
NGINX_SPARE_FILES = 20
# What nginx logs when it runs out of descriptors: for a socket to a worker (it answers
# that request with its own HTTP 500), or to accept a phone's connection (the phone waits,
# and may time out).
NGINX_OUT_OF_FILES = ("Too many open files", "worker_connections are not enough")


def nginx_processes_for(phones: int) -> int:
    """nginx processes enough to hold every phone, a quarter to spare for an uneven spread.

    Each nginx process may open files up to the hard limit, two a phone: past that it
    answered joins with its own HTTP 500 (9,990 of 10,000 joined under a limit of 20,000).
    """
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY:
        return 1
    holds = (hard - NGINX_SPARE_FILES) // NGINX_FILES_PER_PHONE
    return max(1, -(-(phones + 1) * 5 // (holds * 4)))


def open_files_limit(pid: int) -> int | None:
    """PID's soft open-files limit from /proc/PID/limits (None if unlimited or unknown)."""
    try:
        lines = Path(f"/proc/{pid}/limits").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("Max open files"):
            soft = line.split()[3]
            return int(soft) if soft.isdigit() else None
    return None


def nginx_open_files(master: int) -> tuple[int, int] | None:
    """The lowest open-files limit of nginx's worker processes (the master's children) and
    how many there are: ``worker_rlimit_nofile`` applies only if nginx may raise its limit."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return None
    limits = [open_files_limit(int(pid)) for pid in children]
    known = [limit for limit in limits if limit is not None]
    return (min(known), len(known)) if known else None


def nginx_out_of_files(error_log: Path) -> dict[str, object]:
    """How often nginx ran out of descriptors: requests it failed with its own HTTP 500
    (no socket to a worker) and connections it could not accept for a while."""
    try:
        lines = error_log.read_text(errors="replace").splitlines()
    except OSError:
        return {"nginx_500_out_of_files": "na", "nginx_accept_out_of_files": "na"}
    short = [line for line in lines if any(m in line for m in NGINX_OUT_OF_FILES)]
    upstream = sum(1 for line in short if "while connecting to upstream" in line)
    accept = sum(1 for line in short if "accept" in line)
    return {"nginx_500_out_of_files": upstream, "nginx_accept_out_of_files": accept}


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on 127.0.0.1:PORT (for --url), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    targets = {f"socket:[{inode}]" for inode in inodes}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in targets:
                    return int(entry.name)
        except OSError:
            continue
    return None


def raise_open_files(wanted: int) -> int:
    """Raise this process's soft open-files limit (the server started from it inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# Setting up: server, session, facilitator (synchronous, before the asyncio part) --------


@dataclass
class Setup:
    url: str  # where phones and the console go (nginx with several workers)
    database_url: str
    code: str
    screen_key: str
    pids: list[int]  # the server processes measured (one per worker)
    projector_urls: list[str]  # one projector on each (each worker's own address)
    stage_items: list[str]
    scale: tuple[int, int]
    facilitator_cookie: str  # the logged-in facilitator's Cookie header, for the console
    stop: object = None  # what stops the servers we started (or None)
    presence: tuple[str, str] | None = None  # workers: (Redis URL, the session's presence key)
    stage_key: str = STAGE_KEY  # the stage voted on (--statements: the statements stage)
    nginx: tuple[int, Path] | None = None  # workers: nginx's master pid and its error.log


def set_up(args, folder: Path) -> Setup:
    from tests.support.server import app_environment, create_facilitator, start_live_app

    if args.statements:
        plans = folder / "plans"
        plans.mkdir(parents=True, exist_ok=True)
        text = statements_plan(args.opinion_groups == "on")
        (plans / f"{STATEMENTS_PLAN_SLUG}.yaml").write_text(text)
    if args.workers:
        return set_up_cluster(args, folder)
    stop = None
    if args.url:
        url = args.url.rstrip("/")
        if urlparse(url).hostname != "127.0.0.1":
            raise SystemExit("--url must be on 127.0.0.1")
        if not args.database_url:
            raise SystemExit("--url needs --database-url (to open the session and count answers)")
        env = app_environment(folder, port=urlparse(url).port or 80, database_url=args.database_url)
        env.pop("SECRET_KEY")  # the CLI does not sign anything; keep the server's own
        email, password = args.email, args.password
        if not email:
            email, password = f"bench-{secrets.token_hex(4)}@localhost", secrets.token_urlsafe(16)
            create_facilitator(env, email, password)
        pid = args.server_pid or listening_pid(urlparse(url).port or 80)
        database_url = args.database_url
    else:
        live = start_live_app(folder, health_timeout=30, **BENCH_LIMITS)
        url, env, email, password = live.url, live.env, live.email, live.password
        pid = live.server.process.pid
        database_url = env["DATABASE_URL"]
        stop = live.stop
    try:
        session = open_session(args, folder, env, url, email, password)
    except BaseException:
        if stop is not None:
            stop()
        raise
    return Setup(
        url=url,
        database_url=database_url,
        pids=[pid] if pid else [],
        projector_urls=[url],
        stop=stop,
        **session,
    )


def _on_this_machine(address: str) -> bool:
    """Whether ADDRESS is on loopback or, for PostgreSQL, this machine's Unix socket
    (``postgresql://postgres@/test?host=/var/run/postgresql``)."""
    parsed = urlparse(address)
    if parsed.hostname in ("127.0.0.1", "localhost"):
        return True
    hosts = parse_qs(parsed.query).get("host", [])
    return parsed.hostname is None and bool(hosts) and all(h.startswith("/") for h in hosts)


def set_up_cluster(args, folder: Path) -> Setup:
    """N workers on a fresh PostgreSQL schema and Redis, behind nginx."""
    from tests.support.cluster import Cluster, postgres_schema

    if not (args.database_url or "").startswith("postgresql") or not args.message_queue:
        raise SystemExit("--workers needs --database-url postgresql://... and --message-queue")
    for address in (args.database_url, args.message_queue):
        if not _on_this_machine(address):
            raise SystemExit(
                "--database-url and --message-queue must be on 127.0.0.1 (or a Unix socket)"
            )
    stack = contextlib.ExitStack()
    try:
        schema = f"bench_load_{secrets.token_hex(4)}"
        database_url = stack.enter_context(postgres_schema(args.database_url, schema))
        cluster = Cluster(
            folder,
            database_url,
            args.message_queue,
            workers=args.workers,
            health_timeout=60,
            # nginx holds three connections per phone: its WebSocket, the worker's end of
            # it, and the idle keep-alive connection the phone's HTTP client keeps after
            # joining. With two per phone nginx ran out and dropped joins.
            nginx_connections=3 * args.phones + 512,
            nginx_processes=nginx_processes_for(args.phones),
            **BENCH_LIMITS,
        )
        stack.enter_context(cluster)
        session = open_session(
            args, folder, cluster.env, cluster.url, cluster.email, cluster.password
        )
        # Each worker writes its connected participants to one Redis hash per session
        # (facilitation/live/cluster_presence.py): how the phones spread over the workers.
        session_id = session_id_of(database_url, session["code"])
    except BaseException:
        stack.close()
        raise
    return Setup(
        url=cluster.url,
        database_url=database_url,
        pids=[worker.process.pid for worker in cluster.workers],
        projector_urls=[worker.url for worker in cluster.workers],
        stop=stack.close,
        presence=(args.message_queue, f"{cluster.channel}:presence:{session_id}"),
        nginx=(cluster.nginx_process.pid, cluster.nginx_folder / "logs" / "error.log"),
        **session,
    )


def open_session(args, folder: Path, env: dict, url: str, email: str, password: str) -> dict:
    """Open a session of the plan, go to the stage voted on and open input (as the console);
    with --statements, reveal its results too and show the opinion groups (groups on)."""
    from tests.support.live import FacilitatorSocket, login
    from tests.support.server import flask_cli

    slug, stage_key = PLAN_SLUG, STAGE_KEY
    if args.statements:
        # Only the CLI reads the plan's file: the session keeps its text (plan_cache.py).
        env = {**env, "PLANS_DIR": str(folder / "plans")}
        slug, stage_key = STATEMENTS_PLAN_SLUG, STATEMENTS_STAGE_KEY
    code = flask_cli(env, "session", "open", slug).strip().splitlines()[-1].strip()
    http = login(url, email, password)
    facilitator = FacilitatorSocket(url, http, code, timeout=30)
    try:
        synced = facilitator.emit("sync")
        if not synced.get("ok"):
            raise SystemExit(f"facilitator sync refused: {synced}")
        index = next(s["index"] for s in synced["stages"] if s["key"] == stage_key)
        controls = [("goto", {"index": index}), ("open_input", {})]
        if synced["state"].get("status") == "draft":
            controls.insert(0, ("start_session", {}))
        if args.statements:
            # A screen is sent the opinion groups only once the results are revealed.
            controls.append(("reveal", {}))
            if args.opinion_groups == "on":
                controls.append(("set_breakdown", {"breakdown": "opinion"}))
        for event, payload in controls:
            ack = facilitator.emit(event, payload)
            if not ack.get("ok"):
                raise SystemExit(f"{event} refused: {ack}")
        state = facilitator.emit("sync")["state"]
        stage = state["stage"]
        if stage["key"] != stage_key or not state["input_open"]:
            raise SystemExit(f"not on {stage_key} with input open: {stage['key']}")
        if args.statements and not state["revealed"]:
            raise SystemExit(f"the results of {stage_key} are not revealed")
        scale = stage.get("scale") or {"min": 1, "max": 5}
        key = parse_qs(urlparse(synced["screen_url"]).query)["key"][0]
    finally:
        facilitator.close()
    return {
        "code": code,
        "screen_key": key,
        "stage_items": [item["key"] for item in stage.get("items") or ()],
        "scale": (int(scale["min"]), int(scale["max"])),
        "facilitator_cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies),
        "stage_key": stage_key,
    }


def phones_per_worker(presence: tuple[str, str]) -> str:
    """Each worker's connected participants, from their shared presence figures in Redis."""
    import json

    import redis

    client = redis.Redis.from_url(presence[0])
    try:
        fields = client.hgetall(presence[1])
    finally:
        client.close()
    counts = sorted((json.loads(value)["connected"] for value in fields.values()), reverse=True)
    return "/".join(str(count) for count in counts) or "na"


# The asyncio part: projector and phones -------------------------------------------------


class Projector:
    """One screen connection recording every results message (monotonic arrival time)."""

    def __init__(self, setup: Setup, url: str):
        import socketio

        self.setup = setup
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.seen: list[tuple[float, int, int]] = []  # (arrival, seq, answered)
        self.top = 0  # the highest seq seen (with several workers, pushes may cross)
        # --statements: each message's opinion groups, (status, k, sizes) or None without.
        self.opinion: list[tuple[str, int, str] | None] = []
        self.changed = asyncio.Event()
        self.client.on("results", self._results)

    async def _results(self, message):
        if message.get("stage") not in (None, self.setup.stage_key):
            return
        seq = int(message["seq"])
        self.seen.append((time.monotonic(), seq, int(message.get("answered", 0))))
        opinion = message.get("opinion")
        if opinion is None:
            self.opinion.append(None)
        else:
            groups = opinion.get("groups") or ()
            sizes = "/".join(f"{g['label']}{g['size']}" for g in groups)
            k = int((opinion.get("method") or {}).get("k") or 0)
            self.opinion.append((opinion.get("status", ""), k, sizes))
        self.top = max(self.top, seq)
        self.changed.set()

    async def connect(self, timeout: float) -> None:
        auth = {"code": self.setup.code, "role": "screen", "key": self.setup.screen_key}
        await self.client.connect(
            self.url, auth=auth, transports=["websocket"], wait_timeout=timeout
        )
        ack = await self.client.call("sync", {}, timeout=timeout)
        if not ack.get("ok"):
            raise SystemExit(f"projector sync refused: {ack}")

    def first_covering(self, seq: int, after: float) -> float | None:
        """Arrival of the first results message with seq >= SEQ (arrivals are in order)."""
        for arrival, seen_seq, _ in self.seen:
            if seen_seq >= seq and arrival >= after:
                return arrival
        return None

    def answered(self) -> int:
        """The count the projector shows at the end: that of the newest message."""
        return max(self.seen, key=lambda seen: seen[1])[2] if self.seen else 0


class Console:
    """The facilitator's console, connected as a real room's would be: it is sent the chart
    (a Plotly figure) and the people list, which cost the server more than the counts."""

    def __init__(self, setup: Setup):
        import socketio

        self.setup = setup
        self.client = socketio.AsyncClient(reconnection=False)
        self.counts = {"results": 0, "people": 0}
        for name in self.counts:
            self.client.on(name, self._counter(name))

    def _counter(self, name: str):
        async def count(_message):
            self.counts[name] += 1

        return count

    async def connect(self, timeout: float) -> None:
        await self.client.connect(
            self.setup.url,
            auth={"code": self.setup.code, "role": "facilitator"},
            headers={"Cookie": self.setup.facilitator_cookie},
            transports=["websocket"],
            wait_timeout=timeout,
        )
        ack = await self.client.call("sync", {}, timeout=timeout)
        if not ack.get("ok"):
            raise SystemExit(f"console sync refused: {ack}")


@dataclass
class Phone:
    number: int
    http: object = None
    client: object = None
    connected: bool = False
    error: str = ""
    emitted: float = 0.0
    acked: float | None = None
    seq: int | None = None
    dropped: str = ""  # why the connection closed before the end, as the client saw it
    camp: int = 0  # --statements: the planted camp whose views the phone votes
    own: tuple[int, ...] = ()  # --statements: the statements it posted (not voted on)
    votes: list = field(default_factory=list)  # --statements: its Vote each


@dataclass
class Vote:
    """One --statements vote: when it was emitted and acked, and its seq."""

    statement: int
    reaction: str
    at: float  # seconds into the burst it is due
    emitted: float = 0.0
    acked: float | None = None
    seq: int | None = None


# nginx's own error page (not one it passed on from a worker) ends with its name.
NGINX_PAGE = re.compile(r"<center>nginx[^<]*</center>")


def answered_by(status: int, body: str) -> str:
    """``HTTP 500 from nginx`` or ``HTTP 503 from the app``: a worker's page and nginx's
    own (it could not reach a worker, or open a socket to one) need different fixes."""
    return f"HTTP {status} from {'nginx' if NGINX_PAGE.search(body) else 'the app'}"


async def join(phone: Phone, setup: Setup, timeout: float) -> None:
    import aiohttp
    import socketio

    from tests.support.live import is_phone_page

    # An IP host needs an "unsafe" jar, or aiohttp drops the cookie.
    phone.http = aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=timeout),
    )
    join_url = f"{setup.url}/j/{setup.code}"
    async with phone.http.get(join_url) as page:
        text = await page.text()
        if page.status != 200:
            raise RuntimeError(f"GET /j: {answered_by(page.status, text)}")
    match = CSRF_FIELD.search(text)
    if match is None:
        raise RuntimeError("no csrf_token on the join page")
    form = {
        "csrf_token": match.group(1),
        "display_name": "",
        "sector": SECTORS[phone.number % len(SECTORS)],
        "table": "",
        "consent": "yes",
    }
    async with phone.http.post(join_url, data=form) as response:
        body = await response.text()
        if response.status != 200 or not is_phone_page(body, setup.code):
            raise RuntimeError(f"join refused: POST /j: {answered_by(response.status, body)}")
    phone.client = socketio.AsyncClient(http_session=phone.http, reconnection=False)

    async def dropped(reason=None):  # "server disconnect", "transport close", "ping timeout"
        phone.dropped = phone.dropped or str(reason)

    phone.client.on("disconnect", dropped)
    # As the phone page does (live.js): the first sync comes with the connection.
    synced = asyncio.get_running_loop().create_future()
    phone.client.on("synced", lambda reply: synced.done() or synced.set_result(reply))
    await phone.client.connect(
        setup.url,
        auth={"code": setup.code, "role": "participant", "sync": {}},
        transports=["websocket"],
        wait_timeout=timeout,
    )
    ack = await asyncio.wait_for(synced, timeout)
    if not ack.get("ok"):
        raise RuntimeError(f"sync refused: {ack.get('error')}")
    phone.connected = True


async def answer(phone: Phone, setup: Setup, delay: float, rng: random.Random, timeout: float):
    await asyncio.sleep(delay)
    low, high = setup.scale
    value = {"ratings": {key: rng.randint(low, high) for key in setup.stage_items}}
    payload = {"stage": STAGE_KEY, "client_id": uuid.uuid4().hex, "value": value}
    phone.emitted = time.monotonic()
    try:
        ack = await phone.client.call("answer", payload, timeout=timeout)
    except Exception as error:  # a timeout or a dropped connection: counted as not acked
        phone.error = f"answer: {type(error).__name__}"
        return
    if ack.get("ok"):
        phone.acked, phone.seq = time.monotonic(), int(ack["seq"])
    else:
        phone.error = f"answer refused: {ack.get('error')}"


# --statements: posting and voting -------------------------------------------------------


async def post_statements(
    phones: list[Phone], setup: Setup, texts: list[str], timeout: float
) -> list[int]:
    """The authors post TEXTS round-robin (each author one at a time); the ids in order."""
    ids: list[int | None] = [None] * len(texts)

    async def author(number: int, phone: Phone):
        mine = []
        for index in range(number, len(texts), len(phones)):
            payload = {
                "stage": setup.stage_key,
                "client_id": uuid.uuid4().hex,
                "text": texts[index],
            }
            ack = await phone.client.call("comment", payload, timeout=timeout)
            if not ack.get("ok"):
                raise RuntimeError(f"comment refused: {ack.get('error')}")
            ids[index] = int(ack["comment_id"])
            mine.append(ids[index])
        phone.own = tuple(mine)

    await asyncio.gather(*(author(n, phone) for n, phone in enumerate(phones)))
    return [i for i in ids if i is not None]


def planted_views(statements: list[int], camps: int, rng: random.Random) -> dict[int, list[str]]:
    """Each statement's view per camp: a fifth agreed by all (consensus), the others agree
    or disagree at random per camp, so the camps differ on about half of them."""
    views = {}
    for number, statement in enumerate(statements):
        if number % 5 == 0:
            views[statement] = ["agree"] * camps
        else:
            views[statement] = [rng.choice(("agree", "disagree")) for _ in range(camps)]
    return views


def plan_votes(
    phone: Phone, views: dict[int, list[str]], count: int, burst: float, rng: random.Random
) -> None:
    """PHONE's votes: COUNT statements not its own, its camp's view but a fifth at random,
    due at random moments within the burst (in order: a phone votes one at a time)."""
    choices = [s for s in views if s not in phone.own]
    chosen = rng.sample(choices, min(count, len(choices)))
    moments = sorted(rng.uniform(0, burst) for _ in chosen)
    phone.votes = []
    for statement, at in zip(chosen, moments, strict=True):
        reaction = views[statement][phone.camp]
        if rng.random() < 0.2:
            reaction = rng.choice(("agree", "disagree", "pass"))
        phone.votes.append(Vote(statement, reaction, at))


async def vote(phone: Phone, start: float, timeout: float) -> None:
    """Cast PHONE's votes at their moments (late ones at once, after the previous ack)."""
    for planned in phone.votes:
        await asyncio.sleep(max(0.0, start + planned.at - time.monotonic()))
        payload = {
            "comment_id": planned.statement,
            "client_id": uuid.uuid4().hex,
            "reaction": planned.reaction,
        }
        planned.emitted = time.monotonic()
        try:
            ack = await phone.client.call("react", payload, timeout=timeout)
        except Exception as error:  # a timeout or a dropped connection: not acked
            phone.error = phone.error or f"react: {type(error).__name__}"
            continue
        if ack.get("ok"):
            planned.acked, planned.seq = time.monotonic(), int(ack["seq"])
        else:
            phone.error = phone.error or f"react refused: {ack.get('error')}"


def opinion_figures(projectors: list[Projector]) -> dict[str, object]:
    """What the projectors were shown of the opinion groups: messages carrying them, those
    with groups formed, by k (``3:41/2:3``), and the last formed groups' sizes."""
    carried = [o for p in projectors for o in p.opinion if o is not None]
    formed = [o for o in carried if o[0] == "formed"]
    by_k = Counter(o[1] for o in formed)
    # How often the number of groups on a projector changed from one formed map to the
    # next: a room watching the map sees each change.
    changes = 0
    for projector in projectors:
        ks = [o[1] for o in projector.opinion if o is not None and o[0] == "formed"]
        changes += sum(1 for before, after in itertools.pairwise(ks) if before != after)
    return {
        "opinion_msgs": len(carried),
        "opinion_formed_msgs": len(formed),
        "opinion_k": "/".join(f"{k}:{n}" for k, n in sorted(by_k.items())) or "na",
        "opinion_k_changes": changes,
        "opinion_sizes": formed[-1][2] if formed else "na",
        "opinion_status": carried[-1][0] if carried else "na",
    }


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile, or None with no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def ms(value: float | None) -> str:
    return "na" if value is None else f"{value * 1000:.0f}"


def total(pids: list[int], measure) -> float | None:
    """MEASURE summed over the server processes, or None when none is known."""
    return sum(measure(pid) for pid in pids) if pids else None


def rss_kb(pid: int) -> int:
    return memory_kb(pid)["VmRSS"]


def peak_kb(pid: int) -> int:
    return memory_kb(pid)["VmHWM"]


def check_nginx_files(master: int, phones: int, figures: dict) -> None:
    """Warn before the joins when nginx cannot hold every phone: past its open-files limit
    it answers the next joins with its own HTTP 500, whatever the workers could do."""
    found = nginx_open_files(master)
    figures["nginx_open_files"] = "na" if found is None else "x".join(map(str, reversed(found)))
    if found is None:
        return
    limit, processes = found
    # At best, with the phones spread evenly over nginx's processes; the console is one.
    holds = processes * ((limit - NGINX_SPARE_FILES) // NGINX_FILES_PER_PHONE) - 1
    if phones > holds:
        print(
            f"warning: nginx's open-files limit is {limit} in each of its {processes} "
            f"processes: they hold about {holds} phones and answer joins past them with "
            f"nginx's own HTTP 500 (raise the hard limit, ulimit -Hn, or run fewer phones)",
            file=sys.stderr,
        )


def report_join_failures(phones: list[Phone], setup: Setup, figures: dict) -> None:
    """Failed joins by what failed them (the step, HTTP status and who answered), and with
    workers the requests nginx itself failed for want of a descriptor."""
    failed = Counter(p.error for p in phones if p.error.startswith("join"))
    figures["join_failed"] = sum(failed.values())
    if failed:
        print(f"join failures: {dict(failed.most_common())}", file=sys.stderr)
    if setup.nginx is not None:
        figures.update(nginx_out_of_files(setup.nginx[1]))


class CollectorPauses:
    """The load generator's own full garbage collections while it is installed: each stops
    every phone and projector of this process, and its time would read as the server's
    latency. (Freezing what joining made, before the burst, keeps them short.)"""

    def __init__(self):
        self.pauses: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._started)

    def install(self) -> CollectorPauses:
        gc.callbacks.append(self)
        return self

    def remove(self) -> None:
        gc.callbacks.remove(self)

    def figures(self, phase: str) -> dict[str, object]:
        """This phase's figures; the next phase's pauses start afresh."""
        pauses, self.pauses = self.pauses, []
        return {
            f"client_gc_{phase}_full": len(pauses),
            f"client_gc_{phase}_max_ms": ms(max(pauses, default=0.0)),
        }


async def run(args, setup: Setup) -> dict:
    rng = random.Random(args.seed)
    pids = setup.pids
    figures: dict[str, object] = {"phones": args.phones, "workers": len(setup.projector_urls)}
    if args.statements:
        figures["mode"] = "statements"
        figures["opinion_groups"] = args.opinion_groups

    projectors = [Projector(setup, url) for url in setup.projector_urls]
    for projector in projectors:
        await projector.connect(args.call_timeout)
    console = Console(setup)
    await console.connect(args.call_timeout)

    rss_before = total(pids, rss_kb)
    cpu_before = total(pids, cpu_seconds)
    each_cpu_before = [cpu_seconds(pid) for pid in pids]

    if setup.nginx is not None:
        check_nginx_files(setup.nginx[0], args.phones, figures)

    # The server's own collector policy for the load generator's thousands of phones while
    # they join: each full pass freezes what survived it, so the next walks only what is
    # new. Without it this process paused up to 1.1 s a pass (12 passes at 5,000 phones),
    # every phone's join waiting, which read as the server's join time.
    from facilitation.server.collector import install as install_collector

    collector = install_collector()  # its first full pass is before the joins' clock
    pauses = CollectorPauses().install()
    # Joining: at most --join-concurrency at a time.
    phones = [Phone(n) for n in range(args.phones)]
    gate = asyncio.Semaphore(args.join_concurrency)

    async def one(phone: Phone):
        async with gate:
            try:
                await asyncio.wait_for(join(phone, setup, args.call_timeout), args.call_timeout * 2)
            except Exception as error:
                phone.error = f"join: {type(error).__name__}: {error}"[:200]

    started = time.monotonic()
    joining = [asyncio.ensure_future(one(p)) for p in phones]
    _, late = await asyncio.wait(joining, timeout=args.join_timeout)
    for task in late:  # past --join-timeout: those phones count as not connected
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for phone in phones:
        if not phone.connected and not phone.error:
            phone.error = f"join: not done within --join-timeout {args.join_timeout:g} s"
    figures["join_s"] = f"{time.monotonic() - started:.2f}"
    connected = [p for p in phones if p.connected]
    figures["connected"] = len(connected)
    report_join_failures(phones, setup, figures)
    await asyncio.sleep(1.0)  # let the server settle (presence counts, pending broadcasts)
    rss_connected = total(pids, rss_kb)
    cpu_joined = total(pids, cpu_seconds)
    each_cpu_joined = [cpu_seconds(pid) for pid in pids]
    client_joined = cpu_seconds(os.getpid())
    if setup.presence:
        figures["per_worker"] = phones_per_worker(setup.presence)
    # Every phone, projector and the console still connected once all have joined:
    # "held" means nobody was dropped while thousands of others joined.
    figures["held"] = sum(1 for p in connected if p.client.connected)
    reasons = Counter(p.dropped for p in connected if p.dropped)
    if reasons:  # e.g. "ping timeout" (the server went quiet) or "server disconnect"
        print(f"dropped while joining: {dict(reasons)}", file=sys.stderr)

    if args.statements:
        # Before the burst: the statements, posted by the first --authors phones.
        authors = connected[: min(args.authors, len(connected))]
        texts = statement_texts(args.statement_count)
        started = time.monotonic()
        statements = await asyncio.wait_for(
            post_statements(authors, setup, texts, args.call_timeout),
            args.call_timeout * (len(texts) + 1),
        )
        figures["statements"] = len(statements)
        figures["post_s"] = f"{time.monotonic() - started:.2f}"
        views = planted_views(statements, args.planted_groups, rng)
        for phone in connected:
            phone.camp = phone.number % args.planted_groups
            plan_votes(phone, views, args.votes_per_phone, args.burst, rng)
        await asyncio.sleep(1.0)  # the posts' broadcasts and any first computation

    # The burst: every connected phone answers once at a random moment in the window
    # (--statements: casts its votes at theirs).
    figures.update(pauses.figures("join"))
    pauses.remove()  # this collection is not in the burst
    gc.callbacks.remove(collector)
    gc.collect()
    gc.freeze()  # the phones' objects: later collections skip them
    gc.disable()  # and none in the burst: it makes garbage too (10,000 phones: 2 passes)
    pauses.install()
    profile = contextlib.ExitStack()
    if args.profile:  # each server process, from now until the projectors have seen all
        args.profile.mkdir(parents=True, exist_ok=True)
        outputs = {
            args.profile / f"burst-worker{n}-pid{pid}.txt": pid for n, pid in enumerate(pids, 1)
        }
        profile.enter_context(spy.recording(outputs))
    cpu_burst_start = total(pids, cpu_seconds)
    measured = {*pids, os.getpid()}
    others_before, machine_before = cpu_of_processes(measured), machine_busy_seconds()
    burst_start = time.monotonic()
    if args.statements:
        casting = (vote(p, burst_start, args.call_timeout) for p in connected)
        # A phone's votes are sequential: a slow server may push the last ones past the
        # window, each by at most its own --call-timeout.
        bound = args.burst + args.call_timeout * args.votes_per_phone + 5
    else:
        casting = (
            answer(p, setup, rng.uniform(0, args.burst), rng, args.call_timeout) for p in connected
        )
        bound = args.burst + args.call_timeout + 5
    await asyncio.wait_for(asyncio.gather(*casting), bound)
    # What is timed: each answer, or each vote (emit, ack, seq), all Phone or Vote.
    if args.statements:
        samples = [v for p in connected for v in p.votes]
        figures["votes"] = len(samples)
    else:
        samples = connected
    acked = [s for s in samples if s.seq is not None]
    figures["acked"] = len(acked)

    # Wait (bounded) until every projector has seen every acked answer.
    top = max((p.seq for p in acked), default=0)
    deadline = time.monotonic() + args.drain_timeout
    for projector in projectors:
        while projector.top < top and time.monotonic() < deadline:
            projector.changed.clear()
            try:
                await asyncio.wait_for(
                    projector.changed.wait(), max(deadline - time.monotonic(), 0.01)
                )
            except TimeoutError:
                break
    burst_s = time.monotonic() - burst_start
    figures["burst_s"] = f"{burst_s:.2f}"
    # The whole machine in the burst: the cores' busy share, and the programs besides the
    # server and the phones that took the most (the database, Redis, nginx).
    machine_s = machine_busy_seconds() - machine_before
    figures["machine_cpu_burst_s"] = f"{machine_s:.2f}"
    figures["machine_busy_burst_pct"] = f"{100 * machine_s / burst_s / os.cpu_count():.0f}"
    others = cpu_by_program(others_before, cpu_of_processes(measured))
    figures["others_cpu_burst"] = ",".join(
        f"{name}:{seconds:.2f}" for name, seconds in others.most_common(4)
    )
    profile.close()
    pauses.remove()
    gc.enable()
    gc.unfreeze()  # the next run's phones are new: this run's go with its garbage
    figures.update(pauses.figures("burst"))
    # The machine's 1-minute load average as the burst ends (this run's server and phones
    # included, about 2): far above it, something else was running too.
    figures["machine_load"] = f"{os.getloadavg()[0]:.2f}"
    cpu_end = total(pids, cpu_seconds)
    each_cpu_end = [cpu_seconds(pid) for pid in pids]
    client_end = cpu_seconds(os.getpid())
    rss_end = total(pids, rss_kb)
    peak_end = total(pids, peak_kb)
    each_peak = [peak_kb(pid) for pid in pids]

    # Latency: each answer to each projector (so with two workers, every answer counts twice:
    # once on the projector of its own worker, once across the message queue).
    latencies, missing = [], 0
    for number, projector in enumerate(projectors):
        own = []
        for p in acked:
            arrival = projector.first_covering(p.seq, p.emitted)
            if arrival is None:
                missing += 1
            else:
                own.append(arrival - p.emitted)
        latencies += own
        if len(projectors) > 1:
            figures[f"projector{number}_seen"] = projector.answered()
            figures[f"projector{number}_p95_ms"] = ms(percentile(own, 0.95))
    acks = [p.acked - p.emitted for p in acked]
    figures["projector_seen"] = min(projector.answered() for projector in projectors)
    figures["projector_missing"] = missing
    figures["projector_msgs"] = sum(len(projector.seen) for projector in projectors)
    figures["projector_p50_ms"] = ms(percentile(latencies, 0.50))
    figures["projector_p95_ms"] = ms(percentile(latencies, 0.95))
    figures["projector_p99_ms"] = ms(percentile(latencies, 0.99))
    figures["projector_max_ms"] = ms(max(latencies, default=None))
    if args.statements:
        figures.update(opinion_figures(projectors))
    figures["ack_p50_ms"] = ms(percentile(acks, 0.50))
    figures["ack_p99_ms"] = ms(percentile(acks, 0.99))
    figures["console_results"] = console.counts["results"]
    figures["console_people"] = console.counts["people"]
    # The load generator's own CPU in the burst: near burst_s means it was the bottleneck
    # as much as the server (both share the machine's 2 cores).
    figures["client_cpu_burst_s"] = f"{client_end - client_joined:.2f}"
    if pids:
        figures["server_cpu_s"] = f"{cpu_end - cpu_before:.2f}"
        figures["server_cpu_join_s"] = f"{cpu_joined - cpu_before:.2f}"
        figures["server_cpu_burst_s"] = f"{cpu_end - cpu_joined:.2f}"
        if args.statements and acked:
            # The server's CPU per vote in the burst (the statements' posts before it not
            # counted): where the opinion groups' computations show on a busy machine.
            per_vote = (cpu_end - cpu_burst_start) / len(acked)
            figures["server_cpu_per_vote_ms"] = f"{per_vote * 1000:.1f}"
        # With several workers: their sum (each worker's own peak, added up).
        figures["server_rss_peak_mb"] = f"{peak_end / 1024:.1f}"
        figures["server_rss_mb"] = f"{rss_end / 1024:.1f}"
        figures["rss_per_phone_kb"] = f"{(rss_connected - rss_before) / max(args.phones, 1):.1f}"
        if len(pids) > 1:  # each worker's own share: is the load spread evenly?
            for number in range(len(pids)):
                joined = each_cpu_joined[number] - each_cpu_before[number]
                burst = each_cpu_end[number] - each_cpu_joined[number]
                figures[f"worker{number}_cpu_join_s"] = f"{joined:.2f}"
                figures[f"worker{number}_cpu_burst_s"] = f"{burst:.2f}"
                figures[f"worker{number}_rss_peak_mb"] = f"{each_peak[number] / 1024:.1f}"
    else:
        for key in ("server_cpu_s", "server_rss_peak_mb", "rss_per_phone_kb"):
            figures[key] = "na"
    gone = Counter(p.dropped for p in connected if p.dropped)
    figures["dropped"] = sum(gone.values())
    if gone:
        print(f"dropped by the end: {dict(gone)}", file=sys.stderr)
    errors = [p.error for p in phones if p.error]
    figures["errors"] = len(errors)
    if errors:
        print(f"first error: {errors[0]}", file=sys.stderr)

    # Close everything (bounded; the server is stopped afterwards anyway).
    async def close(phone: Phone):
        try:
            if phone.client is not None and phone.client.connected:
                await phone.client.disconnect()
        except Exception:
            pass
        if phone.http is not None:
            await phone.http.close()

    closing = asyncio.gather(
        *(close(p) for p in phones),
        *(projector.client.disconnect() for projector in projectors),
        console.client.disconnect(),
        return_exceptions=True,
    )
    try:
        await asyncio.wait_for(closing, 30)
    except Exception:  # TimeoutError included
        pass
    return figures


def session_id_of(database_url: str, code: str) -> int:
    from sqlalchemy import select

    from facilitation.db import make_engine
    from facilitation.models import WorkshopSession

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(WorkshopSession.id).where(WorkshopSession.code == code))
    finally:
        engine.dispose()


def stored_answers(database_url: str, code: str) -> int:
    from sqlalchemy import func, select

    from facilitation.db import make_engine
    from facilitation.models import Answer

    session_id = session_id_of(database_url, code)
    engine = make_engine(database_url)  # as the app opens it (psycopg 3 for PostgreSQL)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                select(func.count())
                .select_from(Answer)
                .where(Answer.session_id == session_id, Answer.stage_key == STAGE_KEY)
            )
    finally:
        engine.dispose()


def stored_votes(database_url: str, code: str) -> int:
    """--statements: the Reaction rows on the statements stage's statements."""
    from sqlalchemy import func, select

    from facilitation.db import make_engine
    from facilitation.models import Comment, Reaction

    session_id = session_id_of(database_url, code)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            on_stage = select(Comment.id).where(
                Comment.session_id == session_id, Comment.stage_key == STATEMENTS_STAGE_KEY
            )
            return connection.scalar(
                select(func.count()).select_from(Reaction).where(Reaction.comment_id.in_(on_stage))
            )
    finally:
        engine.dispose()


def main() -> None:
    # A dropped phone is counted (``held``, the reasons on stderr); the client libraries'
    # own error line per dropped connection would bury the figures.
    for name in ("engineio.client", "socketio.client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--burst", type=float, help="seconds (default 10; 90 with --statements)")
    parser.add_argument("--url", help="an already running server on 127.0.0.1")
    parser.add_argument("--database-url", help="with --url: the server's DATABASE_URL")
    parser.add_argument("--email", help="with --url: a facilitator (default: create one)")
    parser.add_argument("--password")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid")
    parser.add_argument("--join-concurrency", type=int, default=100)
    parser.add_argument("--call-timeout", type=float, default=30.0)
    parser.add_argument("--join-timeout", type=float, default=300.0)
    parser.add_argument("--drain-timeout", type=float, default=15.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="the whole run")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh server")
    parser.add_argument("--keep", type=Path, help="run the server in this folder and keep it")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="N workers behind nginx (needs --database-url postgresql://... and --message-queue)",
    )
    parser.add_argument("--message-queue", help="with --workers: redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--profile",
        type=Path,
        help="py-spy each server process in the burst into this folder (raw folded stacks)",
    )
    statements = parser.add_argument_group("statements mode (--statements)")
    statements.add_argument(
        "--statements",
        action="store_true",
        help="vote on a statements stage's statements instead of answering a rating",
    )
    statements.add_argument(
        "--opinion-groups",
        choices=("on", "off", "both"),
        help="the stage's opinion_groups (default on; both: each round on and off, alternating)",
    )
    statements.add_argument("--statement-count", type=int, default=30)
    statements.add_argument("--votes-per-phone", type=int, default=20)
    statements.add_argument("--authors", type=int, default=10, help="phones posting them")
    statements.add_argument("--planted-groups", type=int, default=3)
    args = parser.parse_args()
    if args.phones < 1:
        parser.error("--phones must be at least 1")
    if args.burst is None:
        # --statements: 20 votes in 90 s is a vote every 4-5 s, a person reading each one.
        args.burst = 90.0 if args.statements else 10.0
    if args.opinion_groups and not args.statements:
        parser.error("--opinion-groups goes with --statements")
    args.opinion_groups = args.opinion_groups or "on"
    if args.statements:
        if args.statement_count < 2 or args.votes_per_phone < 1 or args.authors < 1:
            parser.error("--statement-count >= 2, --votes-per-phone and --authors >= 1")
        if not 1 <= args.planted_groups <= 5:
            parser.error("--planted-groups must be 1 to 5")
        # One participant's events in any minute (limits.py participant_events_per_minute,
        # 60): a sync, the posts of an author and the votes; the benchmark raises no limit
        # but the joins'.
        posts = -(-args.statement_count // min(args.authors, args.phones))
        if 1 + posts + args.votes_per_phone > 60:
            parser.error("a phone would send more than 60 events a minute (the limit)")
    if args.workers and args.url:
        parser.error("--workers starts its own servers; it does not take --url")

    # Each phone holds sockets here (its HTTP session and WebSocket). The server raises its
    # own limit (facilitation/server/open_files.py); a server we start inherits this one as well.
    limit = raise_open_files(args.phones * 2 + 512)
    if limit < args.phones + 64:
        raise SystemExit(f"open-files limit {limit} is too low for {args.phones} phones")

    # --opinion-groups both: each round runs groups on and off, the order swapped from one
    # round to the next, so a machine whose load drifts weighs on both alike.
    settings = [args.opinion_groups]
    if args.statements and args.opinion_groups == "both":
        settings = ["on", "off"]
    lines: dict[str, list[dict]] = {setting: [] for setting in settings}
    for number in range(1, args.repeat + 1):
        for setting in settings if number % 2 else settings[::-1]:
            figures = one_run(argparse.Namespace(**{**vars(args), "opinion_groups": setting}))
            if args.repeat > 1:
                figures["run"] = number
            lines[setting].append(figures)
            print(_line(figures), flush=True)
    if args.repeat > 1:
        for runs in lines.values():
            print(_line(medians(runs)), flush=True)


def medians(lines: list[dict]) -> dict:
    """Each figure's median over the runs (a word the same in every run, as it is)."""
    median = {"median_of_runs": len(lines)}
    for key in lines[0]:
        values = [f.get(key) for f in lines]
        if len(set(values)) == 1 and not isinstance(values[0], int | float):
            median[key] = values[0]  # the mode, say
            continue
        try:
            median[key] = _number(statistics.median(float(v) for v in values))
        except (TypeError, ValueError):  # "na"
            median[key] = "na"
    median.pop("run", None)
    return median


def one_run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        setup = set_up(args, folder)
        try:
            figures = asyncio.run(asyncio.wait_for(run(args, setup), args.timeout))
            count = stored_votes if args.statements else stored_answers
            figures["stored"] = count(setup.database_url, setup.code)
        finally:
            if setup.stop is not None:
                setup.stop()
    return figures


ORDER = [
    "median_of_runs", "run", "mode", "opinion_groups", "phones", "workers", "connected", "held",
    "per_worker", "join_s", "statements", "votes", "acked", "stored",
    "projector_p50_ms", "projector_p95_ms", "projector_p99_ms", "ack_p50_ms", "ack_p99_ms",
    "server_cpu_s", "server_rss_peak_mb", "rss_per_phone_kb",
]  # fmt: skip


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _line(figures: dict) -> str:
    keys = [k for k in ORDER if k in figures] + [k for k in figures if k not in ORDER]
    return " ".join(f"{k}={figures[k]}" for k in keys)


if __name__ == "__main__":
    main()
