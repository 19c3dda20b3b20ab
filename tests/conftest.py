"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, a settable clock, no network."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app as cli
from bot.clock import FrozenClock
from bot.db import Database
from bot.migrate import upgrade
from bot.schema import load_metadata
from bot.settings import load_settings
from modules.business.models import Business
from modules.business.service import NewBusiness, create_business
from modules.customers.models import Customer
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice
from modules.payments.models import Payment, PaymentMode
from modules.payments.service import record_payment
from nlu.pipeline import load_pipeline
from tests.fakes.provider import FakeProvider, running
from tests.whisper_model import test_model_dir

IST = ZoneInfo("Asia/Kolkata")
SECRET = "test-secret-key-0123456789"
POSTGRES_URL = os.environ.get("TAGADA_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(scope="session", autouse=True)
def _nlu_artifact() -> None:
    """Train the NLU (or load its cached artifact) once, before any test: the server a test starts in
    its own process then loads the same artifact instead of training against the test's deadline."""
    load_pipeline()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond this machine fails the test (PostgreSQL and test servers are on loopback)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("db") / "tagada.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[Database]:
    if not _postgres_available():
        if os.environ.get("TAGADA_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    schema = f"tagada_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    # Every connection of this engine works inside the throw-away schema.
    database = Database(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    try:
        upgrade(database)
        yield database
    finally:
        database.dispose()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated database, emptied after each test; every test using it runs on both engines."""
    database: Database = request.getfixturevalue(f"{request.param}_database")
    yield database
    with database.transaction() as session:
        for table in reversed(load_metadata().sorted_tables):
            session.execute(text(f'DELETE FROM "{table.name}"'))


def ist(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=IST)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 1, 10, 0, tzinfo=IST))


@pytest.fixture
def client(db: Database, clock: FrozenClock, tmp_path: Path) -> Iterator[TestClient]:
    """The whole app on the test database and clock, with the simulator on and a known secret key."""
    environ = {
        "TAGADA_SIMULATOR_ENABLED": "true",
        "TAGADA_SECRET_KEY": SECRET,
        "TAGADA_SCHEDULER_ENABLED": "false",  # tests move time themselves
        "TAGADA_SPEECH_MODEL": str(test_model_dir()),  # loaded at the first voice note that decodes
    }
    settings = load_settings(tmp_path / "none.yml", environ=environ)
    with TestClient(create_app(settings, database=db, clock=clock)) as test_client:
        yield test_client


def make_business(
    db: Database,
    *,
    number: str = "+912041234567",
    state_code: str = "27",
    gstin: str | None = "27AAPFS1234C1ZD",
    owner: str = "+919822012345",
    upi_vpa: str | None = "ganeshcement@okhdfcbank",
) -> Business:
    return create_business(
        db,
        NewBusiness(
            display_name="Shree Ganesh Cement Traders",
            whatsapp_number=number,
            owner_phone=owner,
            gstin=gstin,
            state_code=state_code,
            upi_vpa=upi_vpa,
        ),
    )


def make_customer(
    db: Database,
    business: Business,
    *,
    name: str = "Sharma Traders",
    phone: str = "+919811122233",
    gstin: str | None = "27ABCDE1234F1Z0",
    state_code: str | None = None,
    credit_days: int = 30,
) -> Customer:
    return create_customer(
        db,
        business_id=business.id,
        new=NewCustomer(
            name=name,
            phones=[phone],
            gstin=gstin,
            state_code=state_code,
            language="hi-Latn",
            credit_days=credit_days,
        ),
    )


def cement(quantity: int = 50, rupees: int = 380, rate: str = "18") -> LineInput:
    return LineInput(
        description="Cement OPC 53",
        quantity=Decimal(quantity),
        unit_price_paise=rupees * 100,
        gst_rate=Decimal(rate),
        hsn_sac="2523",
        unit="bag",
    )


def make_invoice(
    db: Database,
    business: Business,
    customer: Customer,
    *,
    issue: date = date(2026, 11, 1),
    quantity: int = 50,
    rupees: int = 380,
    number: str | None = None,
    status: InvoiceStatus = InvoiceStatus.SENT,
    due: date | None = None,
) -> Invoice:
    return create_invoice(
        db,
        business_id=business.id,
        customer_id=customer.id,
        lines=[cement(quantity, rupees)],
        issue_date=issue,
        due_date=due,
        number=number,
        status=status,
    )


def pay(
    db: Database,
    customer: Customer,
    amount_paise: int,
    *,
    mode: PaymentMode = PaymentMode.UPI,
    received_at: datetime | None = None,
    **details: Any,
) -> Payment:
    """Record a payment from `customer` (confirmed unless told otherwise), received 28 Nov 2026 by default."""
    return record_payment(
        db,
        business_id=customer.business_id,
        customer_id=customer.id,
        amount_paise=amount_paise,
        mode=mode,
        received_at=received_at or ist(2026, 11, 28),
        **details,
    )


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A SQLite file that the `tagada` command (run with typer's CliRunner) uses, migrated by `tagada db
    upgrade`; tests seed it, then dispose of it before the command opens it."""
    monkeypatch.setenv("TAGADA_CONFIG", str(tmp_path / "none.yml"))
    monkeypatch.setenv("TAGADA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert CliRunner().invoke(cli, ["db", "upgrade"]).exit_code == 0
    database = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    yield database
    database.dispose()


@pytest.fixture
def fake_provider() -> Iterator[FakeProvider]:
    """A provider API on localhost that records requests and answers as the test scripts it."""
    yield from running()
