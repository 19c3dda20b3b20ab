"""`tagada telegram --polling` as the README has a person run it: a real process, a fake Bot API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.db import Database
from bot.migrate import upgrade
from modules.business.service import NewBusiness, create_business
from tests.fakes.provider import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
TOKEN = "123456:polling-test-token"


def _ok(result: Any) -> Answer:
    return Answer(200, {"ok": True, "result": result})


def test_polling_answers_a_telegram_message(tmp_path: Path, fake_provider: FakeProvider) -> None:
    database = Database(f"sqlite:///{tmp_path / 'shop.db'}")
    upgrade(database)
    create_business(
        database,
        NewBusiness(
            display_name="My Shop",
            whatsapp_number="+912041230000",
            owner_phone="+919822012345",
            state_code="27",
        ),
    )
    database.dispose()
    update = json.loads((FIXTURES / "text.json").read_text())
    updates = iter([[update]])
    fake_provider.always("POST", "/getMe", lambda _: _ok({"id": 1, "is_bot": True, "first_name": "Tagada"}))
    fake_provider.always("POST", "/deleteWebhook", lambda _: _ok(True))
    fake_provider.always("POST", "/getUpdates", lambda _: _ok(next(updates, [])))
    chat = update["message"]["chat"]

    def sent(request: Recorded) -> Answer:
        return _ok({"message_id": 9, "date": 1795840200, "chat": chat, "text": "ok"})

    fake_provider.always("POST", "/sendMessage", sent)
    environ = os.environ | {
        "TAGADA_CONFIG": str(tmp_path / "none.yml"),
        "TAGADA_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
        "TAGADA_SPEECH_ENABLED": "0",
        "TAGADA_TELEGRAM_ENABLED": "1",
        "TAGADA_TELEGRAM_BOT_TOKEN": TOKEN,
        "TAGADA_TELEGRAM_BUSINESS_NUMBER": "+912041230000",
        "TAGADA_TELEGRAM_API_URL": fake_provider.url,
    }
    command = [str(Path(sys.executable).parent / "tagada"), "telegram", "--polling"]
    process = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # a bound on a hang, not a speed check
        while not fake_provider.to("POST", "/sendMessage") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode()
    (reply,) = fake_provider.to("POST", "/sendMessage")
    fields = {name: values[0] for name, values in reply.form().items()}
    assert fields["chat_id"] == str(chat["id"])
    assert (
        json.loads(fields["reply_markup"])["keyboard"][0][0]["request_contact"] is True
    )  # "share your number"
    assert TOKEN not in output  # httpx would log the token-bearing URL at INFO
