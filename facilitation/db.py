"""The database engine and one SQLAlchemy session per request or Socket.IO event."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from functools import cache

from flask import Flask, current_app, g
from sqlalchemy import Select, bindparam, create_engine, event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# Seconds a write waits for another connection's SQLite lock before it gives up.
DEFAULT_BUSY_TIMEOUT = 30.0
# Seconds a new PostgreSQL connection may take; an unreachable server then fails fast
# instead of holding a phone's answer until the TCP stack gives up.
CONNECT_TIMEOUT = 5

# What a phone is told when the database cannot be reached or stays locked. The phone keeps
# the answer and sends it again (the ack carries ``retry: true``).
UNAVAILABLE = "The server can't save right now; your answer will be sent again"


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is unreachable or locked (not a bad request).

    OperationalError covers "database is locked" (SQLite's busy timeout ran out) and a
    refused or dropped PostgreSQL connection; an invalidated connection and a pool that
    cannot hand one out mean the same to the person waiting.
    """
    if isinstance(error, (sa_exc.OperationalError, sa_exc.TimeoutError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def make_engine(url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_timeout},
            pool_pre_ping=False,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets readers (projector aggregates) run while a vote is written;
            # NORMAL sync is durable across a process crash, which is what we need.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # A deleted row's bytes are overwritten with zeros, not left in free space:
            # a withdrawal must remove the words from the file, not only from the tables.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cursor.close()
            # Let SQLAlchemy's BEGIN start every transaction, reads included, so that a
            # projector update reads its counts and their seq from one snapshot.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # pool_pre_ping: a connection that died while the database was away is replaced on
    # checkout, so the app recovers by itself once the database is back.
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )


class Database:
    """The engine and its session factory."""

    def __init__(self, url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.url = url
        self.engine = make_engine(url, busy_timeout)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)


def init_app(app: Flask) -> None:
    busy_timeout = float(app.config.get("DATABASE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT))
    app.extensions["database"] = Database(app.config["DATABASE_URL"], busy_timeout)

    @app.teardown_appcontext
    def _close_db(_exc):
        # Closed but kept in ``g``, not popped: a streamed response (``stream_with_context``)
        # pushes this same context again while it runs, after the request's own teardown,
        # and opens a new transaction on this session; the context's teardown at the end
        # of the stream (finished, or closed when the client went away) must still find
        # the session to close it. Popped, it held a read transaction (and a pooled
        # connection) until the garbage collector freed it, which kept SQLite's WAL from
        # being checkpointed. A closed session is reusable: it begins again on next use.
        db = g.get("db")
        if db is not None:
            db.close()


def database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["database"]


def get_db() -> Session:
    if "db" not in g:
        g.db = database().sessionmaker()
    return g.db


_sqlite_write_locks: dict[int, threading.RLock] = {}


def write_lock(db: Session):
    """The process-wide SQLite write lock for ``db``'s engine (a no-op on PostgreSQL).

    SQLite takes one writer at a time; serialising writes in the process avoids
    "database is locked" errors when a read transaction upgrades to a write.
    PostgreSQL serialises per workshop session with a row lock instead.
    """
    engine = db.get_bind()
    if engine.dialect.name != "sqlite":
        return _no_lock()
    return _sqlite_write_locks.setdefault(id(engine), threading.RLock())


@contextmanager
def _no_lock():
    yield


@contextmanager
def transaction(db: Session):
    """One write: committed if the block finishes, rolled back if anything fails inside,
    under the process's SQLite write lock (``write_lock``)."""
    with write_lock(db):
        try:
            yield
            db.commit()
        except BaseException:
            db.rollback()
            raise


# Rows by id: statements built once per model. A statement built anew is compiled from
# the cache too, but building it and working out its cache key cost about as much as the
# query itself on SQLite; the join and vote paths read a row by id several times each.


@cache
def _by_id(model) -> Select:
    return select(model).where(model.id == bindparam("row_id"))


@cache
def _locked_by_id(model) -> Select:
    return _by_id(model).with_for_update().execution_options(populate_existing=True)


def row_by_id(db: Session, model, row_id: int):
    """``db.get(model, row_id)`` at about two thirds of its cost: the same row, no query
    when ``db`` holds it already; None for an id that is not an int, as from a cookie."""
    if not isinstance(row_id, int) or isinstance(row_id, bool):
        return None
    if db.identity_map.get((model, (row_id,), None)) is not None:
        return db.get(model, row_id)  # held: the identity map's rules (expired, deleted)
    with db.no_autoflush:  # as db.get: reading a row flushes nothing pending
        return db.execute(_by_id(model), {"row_id": row_id}).scalar_one_or_none()


def locked_row(db: Session, model, row_id: int):
    """``model``'s row ``row_id`` read afresh and locked until the transaction ends
    (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite is serialised by ``write_lock``), or
    None if there is no such row."""
    return db.execute(_locked_by_id(model), {"row_id": row_id}).scalar_one_or_none()


# How long a checkpoint after a deletion waits for other connections' reads to finish: it
# polls (a cooperative sleep under gevent) rather than block in SQLite's busy handler, which
# would stop every other greenlet, the readers it waits for included.
CHECKPOINT_TRIES = 50
CHECKPOINT_PAUSE = 0.05  # seconds between tries


def forget_deleted(db: Session) -> bool:
    """Make what was just deleted gone from disk, not only from the tables (SQLite; a no-op
    on PostgreSQL). Call it after the deletion's commit.

    In WAL mode a change is written to the ``-wal`` file and copied into the database file
    later; the older frames, holding the deleted text, stay in the ``-wal`` file until it is
    overwritten. ``wal_checkpoint(TRUNCATE)`` copies everything into the database file
    (where ``secure_delete``, set on every connection, has zeroed the deleted bytes) and
    cuts the ``-wal`` file to 0 bytes. It cannot finish while another connection holds a
    read transaction (one reading from the ``-wal`` file), so it is tried again for a short
    while: every session must be closed when its work ends, streamed downloads included
    (``init_app``). Returns whether the ``-wal`` file was emptied.
    """
    engine = db.get_bind()
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        (busy_timeout,) = cursor.execute("PRAGMA busy_timeout").fetchone()
        cursor.execute("PRAGMA busy_timeout=0")
        try:
            for _ in range(CHECKPOINT_TRIES):
                # In-process writers wait on the write lock during a try (milliseconds),
                # not during the pause between tries.
                with write_lock(db):
                    (busy, _frames, _copied) = cursor.execute(
                        "PRAGMA wal_checkpoint(TRUNCATE)"
                    ).fetchone()
                if not busy:
                    return True
                time.sleep(CHECKPOINT_PAUSE)
        finally:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")
            cursor.close()
    finally:
        connection.close()
    log.warning(
        "the -wal file could not be emptied after a deletion (a read transaction stayed "
        "open); the deleted text stays in it until the next checkpoint"
    )
    return False
