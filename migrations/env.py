"""Alembic environment: the schema from bot.schema, the connection from the caller or the settings."""

from __future__ import annotations

from alembic import context

from bot.db import make_engine
from bot.scheduler import in_schema
from bot.schema import load_metadata
from bot.settings import load_settings

target_metadata = load_metadata()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:  # tagada db upgrade and the tests hand over their own connection
        _run(connection)
        return
    engine = make_engine(load_settings().database.url)
    with engine.connect() as own_connection:
        _run(own_connection)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=in_schema,
        render_as_batch=True,  # SQLite can only ALTER by copying the table; batch mode does that
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
