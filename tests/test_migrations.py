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
