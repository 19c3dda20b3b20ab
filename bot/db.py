"""Database: declarative base, engine set-up for SQLite and PostgreSQL, and units of work."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Enum, ForeignKey, MetaData, Uuid, create_engine, event
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from bot.clock import utc_now

# Stable constraint names, so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLITE_BUSY_TIMEOUT_MS = 30_000


class AwareDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back an aware datetime (SQLite forgets the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Enums are stored as their string values in a VARCHAR: readable in SQL, and no ALTER TYPE dance
    # on PostgreSQL when a status is added.
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: AwareDateTime(),
        uuid.UUID: Uuid(),
        enum.StrEnum: Enum(
            enum.StrEnum, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        ),
    }


class Entity:
    """Primary key and write time shared by every table."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4, sort_order=-10)
    created_at: Mapped[datetime] = mapped_column(default=utc_now, sort_order=10)


class BusinessOwned(Entity):
    """A row that belongs to one business (tenant); every query on it filters by business_id."""

    @declared_attr
    def business_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805  (declared_attr receives the class)
        return mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True, sort_order=-9)


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalize_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True)
    engine = create_engine(url, echo=echo)
    _make_sqlite_safe_for_concurrent_writers(engine)
    return engine


def _make_sqlite_safe_for_concurrent_writers(engine: Engine) -> None:
    # WAL lets readers run beside a writer; the busy timeout makes a second writer wait instead of failing.
    # Transactions begin IMMEDIATE: a deferred one that reads, then writes after another writer committed,
    # fails at once with SQLITE_BUSY_SNAPSHOT, which no timeout retries — that would lose the write.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine plus units of work. Built once at start-up and passed to whoever needs it."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.engine = make_engine(url, echo=echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._current: ContextVar[Session | None] = ContextVar(f"tagada_session_{id(self)}", default=None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back if it raises.

        A call inside another `transaction()` of the same database joins it, so a service that owns its
        transaction when called alone becomes part of the caller's when the caller (the message gateway,
        the demo seeder) needs several services to commit or fail together. The inner block runs in a
        savepoint: if it raises and the caller handles the error, nothing the inner block wrote survives.
        """
        outer = self._current.get()
        if outer is not None:
            with outer.begin_nested():
                yield outer
            return
        with self._sessions() as session, session.begin():
            token = self._current.set(session)
            try:
                yield session
            finally:
                self._current.reset(token)

    def dispose(self) -> None:
        self.engine.dispose()
