"""Alembic environment: runs migrations on the engine the app itself would use."""

from alembic import context

from facilitation.db import make_engine
from facilitation.models import Base

config = context.config


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table by copying it, dropping the old one and
            # renaming the copy; with foreign keys enforced, dropping a table other rows
            # point at fails. SQLite ignores this pragma inside a transaction, so it is set
            # on the raw connection before the migrations' transaction begins.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _check_foreign_keys(connection)
    engine.dispose()


def _check_foreign_keys(connection) -> None:
    """Every reference still points at a row (inside the transaction: a broken migration
    is rolled back, not committed)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left foreign keys pointing nowhere: {broken[:10]}")


run_migrations()
