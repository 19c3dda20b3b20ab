from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import Database
from bot.migrate import upgrade
from bot.scheduler import in_schema
from bot.schema import load_metadata

CORE_TABLES = {
    "business",
    "staff",
    "customer",
    "customer_phone",
    "invoice",
    "invoice_line",
    "invoice_counter",
    "payment",
    "payment_allocation",
    "payment_link",
    "promise_to_pay",
    "dispute",
    "conversation",
    "message",
    "outbox",
}


def test_upgrading_an_empty_sqlite_database_creates_the_schema(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(database)
    upgrade(database)  # a second run is a no-op
    assert set(inspect(database.engine).get_table_names()) >= CORE_TABLES
    database.dispose()


def test_migrations_match_the_models(db: Database) -> None:
    # `db` was built by running the migrations; the models must describe exactly that schema.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": in_schema})
        diff = compare_metadata(context, load_metadata())
    assert diff == []


def test_money_columns_are_integers(db: Database) -> None:
    columns = {c["name"]: c for c in inspect(db.engine).get_columns("invoice")}
    for name in ("taxable_paise", "cgst_paise", "sgst_paise", "igst_paise", "total_paise"):
        assert columns[name]["type"].python_type is int
