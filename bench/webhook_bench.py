"""How fast a webhook is answered, and how fast its messages are then answered in the background.

    python -m bench.webhook_bench [--messages 200] [--voice 5] [--model PATH]

Runs the real server (uvicorn on 127.0.0.1) with the WhatsApp Cloud API channel pointed at a fake Graph API
on localhost, posts signed Cloud API webhooks one after another, and prints the time to the 200 (what Meta
waits for), then how long the replies took to reach the fake Graph API. With --voice, that many voice notes
(transcribed with the test Whisper model, or --model) are mixed in, to show acks stay fast while speech runs.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import json
import os
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bot.app import create_app
from bot.db import Database
from bot.demo import seed_demo
from bot.migrate import upgrade
from bot.settings import load_settings
from tests.fakes.provider import Answer, FakeProvider, Recorded
from tests.whisper_model import test_model_dir

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SECRET = "bench-app-secret"
NUMBER_ID = "106540352242922"
TEXTS = ("kitna baaki hai", "Sharma Traders ka kitna baaki hai?", "aaj kitna payment aaya", "help")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--voice", type=int, default=0, help="voice notes mixed in")
    parser.add_argument("--model", default=None, help="Whisper model (default: the test model)")
    args = parser.parse_args()
    fake = FakeProvider().start()
    fake.always("POST", f"/{NUMBER_ID}/messages", _accepted)
    note = (FIXTURES / "voice" / "en_how_much_outstanding.ogg").read_bytes()
    fake.always("GET", "/media/note.ogg", lambda _: Answer(200, note))
    voice = json.loads((FIXTURES / "meta_whatsapp" / "voice.json").read_text())
    media_id = voice["entry"][0]["changes"][0]["value"]["messages"][0]["audio"]["id"]
    media = {"url": f"{fake.url}/media/note.ogg", "mime_type": "audio/ogg"}
    fake.always("GET", f"/{media_id}", lambda _: Answer(200, media))
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        seed_demo(database, today=date(2026, 11, 28))
        server, url = _serve(database, fake.url, args.model, Path(folder))
        try:
            acks, total = _post_all(url, args.messages, args.voice)
            waited = _wait_for_replies(fake, args.messages + args.voice)
        finally:
            server.should_exit = True
            fake.stop()
            database.dispose()
    acks.sort()
    print(f"{len(acks)} webhooks ({args.voice} voice notes) on one connection, SQLite, this machine:")
    print(f"  time to 200: p50 {_ms(statistics.median(acks))}  p95 {_ms(acks[int(len(acks) * 0.95) - 1])}")
    print(f"               p99 {_ms(acks[int(len(acks) * 0.99) - 1])}  max {_ms(acks[-1])}")
    print(f"  all posted in {total:.2f} s; every reply at the provider {waited:.2f} s after the last")


def _serve(database: Database, graph_url: str, model: str | None, folder: Path) -> tuple[uvicorn.Server, str]:
    environ = {
        "TAGADA_SCHEDULER_ENABLED": "false",
        "TAGADA_META_WHATSAPP_ENABLED": "true",
        "TAGADA_META_WHATSAPP_PHONE_NUMBER_ID": NUMBER_ID,
        "TAGADA_META_WHATSAPP_ACCESS_TOKEN": "bench-token",
        "TAGADA_META_WHATSAPP_APP_SECRET": SECRET,
        "TAGADA_META_WHATSAPP_GRAPH_URL": graph_url,
        "TAGADA_SPEECH_MODEL": model or str(test_model_dir()),
        "TAGADA_SPEECH_CONFIRM_BELOW": "0",
        "TAGADA_SPEECH_CPU_THREADS": os.environ.get("TAGADA_SPEECH_CPU_THREADS", "2"),
        # One sender writes every message here; WhatsApp's pair rate limit would pace his replies at one
        # every 6 s, which is the limiter working, not the webhook path this measures.
        "TAGADA_WHATSAPP_RATE_LIMITS_PER_RECIPIENT_BURST": "100000",
        "TAGADA_WHATSAPP_RATE_LIMITS_PER_NUMBER_PER_SECOND": "100000",
    }
    settings = load_settings(folder / "none.yml", environ=environ)
    config = uvicorn.Config(
        create_app(settings, database=database), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/webhooks/meta_whatsapp"


def _post_all(url: str, messages: int, voices: int) -> tuple[list[float], float]:
    text = json.loads((FIXTURES / "meta_whatsapp" / "text.json").read_text())
    voice = json.loads((FIXTURES / "meta_whatsapp" / "voice.json").read_text())
    every = max(messages // max(voices, 1), 1)
    acks: list[float] = []
    start = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        sent_voices = 0
        for n in range(messages + voices):
            if sent_voices < voices and n % every == 0:
                body, sent_voices = _numbered(voice, n, None), sent_voices + 1
            else:
                body = _numbered(text, n, TEXTS[n % len(TEXTS)])
            raw = json.dumps(body).encode()
            signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
            began = time.perf_counter()
            response = client.post(url, content=raw, headers=headers)
            acks.append(time.perf_counter() - began)
            response.raise_for_status()
    return acks, time.perf_counter() - start


def _numbered(payload: dict[str, Any], n: int, text: str | None) -> dict[str, Any]:
    """A copy with its own message id (else it is a redelivery), to the demo business, from its owner."""
    body = copy.deepcopy(payload)
    value = body["entry"][0]["changes"][0]["value"]
    value["metadata"]["display_phone_number"] = "912041234567"
    message = value["messages"][0]
    message["id"] = f"wamid.bench{n:06d}"
    message["from"] = value["contacts"][0]["wa_id"] = "919822012345"
    if text is not None:
        message["text"]["body"] = text
    return body


def _wait_for_replies(fake: FakeProvider, expected: int, limit: float = 600.0) -> float:
    first = time.perf_counter()
    while len(fake.to("POST", "/messages")) < expected and time.perf_counter() - first < limit:
        time.sleep(0.05)
    return time.perf_counter() - first


def _accepted(request: Recorded) -> Answer:
    return Answer(200, {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.out{time.time_ns()}"}]})


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


if __name__ == "__main__":
    main()
