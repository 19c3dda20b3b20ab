"""The simulator page at `/`: served or replaced by a notice, and driven in Chromium through an invoice."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot import web
from bot.app import create_app
from bot.clock import FrozenClock
from bot.db import Database
from bot.settings import load_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WHATSAPP = "+912041234567"
OWNER = "+919822012345"
CUSTOMER = "+919811122233"
# The assistant's NLU and dialogues answer within a second; the margin is for a loaded CI machine.
REPLY_TIMEOUT_MS = 15_000


def build_app(
    settings_env: dict[str, str], tmp_path: Path, database: Database, clock: FrozenClock
) -> FastAPI:
    settings = load_settings(tmp_path / "none.yml", environ=settings_env)
    app = create_app(settings, database=database, clock=clock)
    if not any(getattr(route, "path", None) == "/" for route in app.routes):
        app.include_router(web.router)
    return app


@contextmanager
def serving(app: FastAPI, sock: socket.socket) -> Iterator[None]:
    """Run `app` with uvicorn on `sock` in a background thread until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, ws="none", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("TAGADA_TEST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TAGADA_TEST_REQUIRE_BROWSER=1 but there is no browser at {CHROMIUM}")
    pytest.skip(
        f"no browser at {CHROMIUM} (apt-get install chromium; TAGADA_TEST_REQUIRE_BROWSER=1 fails instead)"
    )


@pytest.fixture
def live_server(db: Database, clock: FrozenClock, tmp_path: Path) -> Iterator[str]:
    """The whole app, simulator on, on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        env = {"TAGADA_SIMULATOR_ENABLED": "1", "TAGADA_SERVER_PUBLIC_URL": base}
        with serving(build_app(env, tmp_path, db, clock), sock):
            yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = _chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def seed(base: str) -> None:
    business = httpx.post(
        f"{base}/api/simulator/businesses",
        json={
            "name": "Shree Ganesh Cement Traders",
            "whatsapp_number": WHATSAPP,
            "owner_phone": OWNER,
            "upi_vpa": "ganeshcement@okhdfcbank",
            "language": "hi-Latn",
        },
    )
    assert business.status_code == 201, business.text
    customers = f"{base}/api/simulator/businesses/{business.json()['id']}/customers"
    for name, phone in (("Sharma Traders", CUSTOMER), ("Gupta <b>Hardware</b>", "+919811100000")):
        customer = httpx.post(customers, json={"name": name, "phone": phone, "language": "hi-Latn"})
        assert customer.status_code == 201, customer.text


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the page is the same on either database
def test_owner_bills_a_customer_who_then_sees_the_pdf(
    live_server: str, browser: Browser, tmp_path: Path
) -> None:
    seed(live_server)
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    errors = watch_errors(page)
    page.goto(live_server)

    identity = page.get_by_test_id("identity")
    expect(identity).to_have_value(OWNER)
    expect(page.get_by_test_id("clock")).to_contain_text(re.compile(r"1 Dec,? 2026"))
    # Names are text, never markup.
    expect(identity.locator("option", has_text="Gupta <b>Hardware</b>")).to_have_count(1)

    message = page.get_by_test_id("message-input")
    message.fill("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    message.press("Enter")
    outgoing = page.locator("[data-testid=message][data-direction=out]")
    incoming = page.locator("[data-testid=message][data-direction=in]")
    expect(outgoing.last).to_contain_text("50 bag cement")
    expect(message).to_have_value("")
    expect(incoming.filter(has_text="22,420").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)

    confirm = page.locator("[data-testid=quick-reply][data-button-id=affirm]").last
    title = confirm.inner_text()
    confirm.click()
    expect(outgoing.last).to_contain_text(title)  # a tapped button sends its title
    expect(incoming.filter(has_text=re.compile(r"INV-2026-27-\d+")).first).to_be_visible(
        timeout=REPLY_TIMEOUT_MS
    )
    expect(page.get_by_test_id("note").filter(has_text="→ sent to Sharma Traders").first).to_be_visible()
    page.screenshot(path=tmp_path / "owner.png", full_page=True)

    identity.select_option(CUSTOMER)
    pdf = incoming.locator("a[data-testid=media-file]").first
    expect(pdf).to_have_attribute("href", re.compile(r"/media/invoices/.+\.pdf$"), timeout=REPLY_TIMEOUT_MS)
    expect(pdf).to_have_attribute("target", "_blank")
    expect(incoming.filter(has_text="22,420").first).to_be_visible()
    expect(outgoing).to_have_count(0)  # the customer has written nothing
    page.screenshot(path=tmp_path / "customer.png", full_page=True)
    document = httpx.get(pdf.get_attribute("href") or "")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")

    identity.select_option(OWNER)  # the owner's own messages are still there
    expect(outgoing).to_have_count(2)
    assert errors == []


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_clock_bar_moves_time_and_api_errors_show_as_a_toast(browser: Browser, live_server: str) -> None:
    seed(live_server)
    page = browser.new_page(viewport={"width": 390, "height": 760})  # a phone
    page.goto(live_server)
    expect(page.get_by_test_id("identity")).to_have_value(OWNER)

    page.get_by_test_id("clock-input").fill("2026-12-02T09:00")
    page.get_by_test_id("set-time").click()
    expect(page.get_by_test_id("clock")).to_contain_text(re.compile(r"2 Dec,? 2026"))
    expect(page.get_by_test_id("clock")).to_contain_text("09:00")
    expect(page.get_by_test_id("note").filter(has_text="Clock moved to").first).to_be_visible()

    page.route(
        "**/api/simulator/messages",
        lambda route: route.fulfill(status=503, json={"detail": "the assistant is restarting"}),
    )
    page.get_by_test_id("message-input").fill("kitna baaki hai")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("the assistant is restarting")
    expect(page.locator("[data-testid=message][data-direction=out]").last).to_contain_text("not sent")


def test_page_says_the_simulator_is_off(
    sqlite_database: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    app = build_app({}, tmp_path, sqlite_database, clock)
    with TestClient(app) as client:
        page = client.get("/")
        api = client.get("/api/simulator/businesses")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "The simulator is off" in page.text
    assert 'data-testid="message-input"' not in page.text
    assert api.status_code == 404


def test_page_and_its_files_are_served_with_a_strict_policy(
    sqlite_database: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    app = build_app({"TAGADA_SIMULATOR_ENABLED": "1"}, tmp_path, sqlite_database, clock)
    with TestClient(app) as client:
        page = client.get("/")
        script = client.get("/static/app.js")
        style = client.get("/static/app.css")
        missing = client.get("/static/router.py")
    assert page.status_code == 200
    assert 'data-testid="message-input"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert missing.status_code == 404
    # Nothing is fetched from elsewhere: every script and stylesheet the page names is one of its own.
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page.text)
