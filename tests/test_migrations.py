"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from facilitation.db import make_engine
from facilitation.migrations import upgrade_database
from facilitation.models import Base


def test_migrations_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == [], "models changed without a migration: " + repr(differences)


@pytest.mark.services
def test_migrations_run_on_postgresql(postgres_url):
    import sqlalchemy as sa

    engine = make_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS migration_check CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA migration_check")
    try:
        upgrade_database(f"{postgres_url}?options=-csearch_path%3Dmigration_check")
        scoped = make_engine(f"{postgres_url}?options=-csearch_path%3Dmigration_check")
        with scoped.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        scoped.dispose()
        assert differences == []
        assert {"event", "answer", "comment", "participant", "workshop_session"} <= tables
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA migration_check CASCADE")
        engine.dispose()


# Ids are never reused (migration 0004) -------------------------------------------------


def _integer_id_tables(connection) -> list[str]:
    """Tables whose key is one integer ``id`` column (reaction's is two columns)."""
    import sqlalchemy as sa

    inspector = sa.inspect(connection)
    return [
        name
        for name in inspector.get_table_names()
        if inspector.get_pk_constraint(name)["constrained_columns"] == ["id"]
    ]


def test_every_table_with_an_id_never_reuses_one_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'ids.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = _integer_id_tables(connection)
        schema = dict(
            connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            ).all()
        )
    engine.dispose()
    assert {"comment", "note", "participant", "event", "facilitator"} <= set(tables)
    assert [name for name in tables if "AUTOINCREMENT" not in schema[name]] == []
    # The models say so too, so a database the models create behaves the same.
    assert [
        name
        for name in tables
        if not Base.metadata.tables[name].dialect_options["sqlite"]["autoincrement"]
    ] == []


@pytest.mark.services
def test_every_table_with_an_id_draws_it_from_a_sequence_on_postgresql(postgres_url):
    """SERIAL and IDENTITY columns take their ids from a sequence, which never goes back."""
    from tests.support.cluster import postgres_schema

    with postgres_schema(postgres_url, "ids_check") as url:
        upgrade_database(url)
        engine = make_engine(url)
        with engine.connect() as connection:
            tables = _integer_id_tables(connection)
            drawn = dict(
                connection.exec_driver_sql(
                    "SELECT table_name, coalesce(column_default, '') || is_identity "
                    "FROM information_schema.columns "
                    "WHERE table_schema = 'ids_check' AND column_name = 'id'"
                ).all()
            )
        engine.dispose()
    assert "comment" in tables
    assert [
        name for name in tables if "nextval(" not in drawn[name] and "YES" not in drawn[name]
    ] == []


def _at_0003_with_rows(url: str) -> None:
    """A database as 0003 left it: a session whose highest comment was withdrawn (its
    comment.highlighted event is still in the log), and a second phone using the same
    client id as the first."""
    import sqlalchemy as sa

    upgrade_database(url, "0003")
    engine = make_engine(url)
    at = "2026-11-20 10:00:00"
    with engine.begin() as connection:

        def insert(table: str, **row) -> None:
            columns = ", ".join(row)
            values = ", ".join(f":{name}" for name in row)
            connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)

        insert(
            "workshop_session",
            id=1,
            code="ABC234",
            plan_slug="p",
            plan_title="P",
            plan_source="",
            created_at=at,
            last_seq=4,
            status="live",
            stage_index=0,
            input_open=True,
            revealed=False,
        )
        for pid, name in ((1, "ann"), (2, "bob")):
            insert("participant", id=pid, session_id=1, pseudonym=name, joined_at=at)
        for cid, pid in ((1, 1), (2, 2)):
            insert(
                "comment",
                id=cid,
                session_id=1,
                stage_key="s",
                participant_id=pid,
                text=f"comment {cid}",
                hidden=False,
                agree=0,
                disagree=0,
                seq=cid,
                created_at=at,
            )
        insert("reaction", comment_id=1, participant_id=2, value=1)
        insert("answer", id=1, session_id=1, stage_key="s", participant_id=1, value="{}", seq=1)
        for seq, pid, type_, payload in (
            (1, 1, "comment.posted", '{"text": "comment 1", "comment_id": 1}'),
            (2, 2, "comment.posted", '{"text": "comment 2", "comment_id": 2}'),
            (3, None, "comment.highlighted", '{"comment_id": 3}'),  # comment 3 was withdrawn
        ):
            insert(
                "event",
                id=seq,
                session_id=1,
                seq=seq,
                at=at,
                actor="ann" if pid == 1 else "bob" if pid == 2 else "facilitator",
                participant_id=pid,
                type=type_,
                client_id=f"client-{seq}-0000",
                payload=payload,
            )
    engine.dispose()


def test_0004_keeps_every_row_and_id_and_new_rows_get_ids_never_seen(tmp_path):
    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    _at_0003_with_rows(url)

    upgrade_database(url, "0004")

    engine = make_engine(url)
    with engine.begin() as connection:

        def rows(query: str) -> list[tuple]:
            return [tuple(row) for row in connection.exec_driver_sql(query)]

        assert rows("SELECT id, pseudonym FROM participant ORDER BY id") == [(1, "ann"), (2, "bob")]
        assert rows("SELECT id, participant_id, text FROM comment ORDER BY id") == [
            (1, 1, "comment 1"),
            (2, 2, "comment 2"),
        ]
        assert rows("SELECT comment_id, participant_id, value FROM reaction") == [(1, 2, 1)]
        assert rows("SELECT id, seq, type FROM event ORDER BY id") == [
            (1, 1, "comment.posted"),
            (2, 2, "comment.posted"),
            (3, 3, "comment.highlighted"),
        ]
        assert rows("PRAGMA foreign_key_check") == []

        # Bob withdraws: his comment (the highest id) goes. A new comment takes neither
        # its id nor the withdrawn comment 3 the log still names.
        connection.exec_driver_sql("DELETE FROM comment WHERE id = 2")
        connection.exec_driver_sql(
            "INSERT INTO comment (session_id, stage_key, participant_id, text, hidden, "
            "highlighted, agree, disagree, passes, seq, created_at) "
            "VALUES (1, 's', 1, 'new', 0, 0, 0, 0, 0, 5, '2026-11-20 11:00:00')"
        )
        assert rows("SELECT max(id) FROM comment") == [(4,)]
        connection.exec_driver_sql("DELETE FROM event WHERE id = 3")
        connection.exec_driver_sql(
            "INSERT INTO event (session_id, seq, at, actor, type, client_id, payload) "
            "VALUES (1, 6, '2026-11-20 11:00:00', 'facilitator', 'x', NULL, '{}')"
        )
        assert rows("SELECT max(id) FROM event") == [(4,)]

        # A client id is unique per sender now: Bob may send the one Ann used.
        connection.exec_driver_sql(
            "INSERT INTO event (session_id, seq, at, actor, participant_id, type, client_id, "
            "payload) VALUES (1, 7, '2026-11-20 11:00:00', 'bob', 2, 'answer.submitted', "
            "'client-1-0000', '{}')"
        )
    engine.dispose()
