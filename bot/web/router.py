"""Serve the simulator chat page at `/` and its static files; a short notice while the simulator is off."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from bot.api.deps import SettingsDep

STATIC = Path(__file__).parent / "static"

# A fixed list rather than a directory mount: nothing else under the package can be asked for.
ASSETS = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "icon.svg": "image/svg+xml",
}

# The page runs only its own files and calls only this server. Images may come from `server.public_url`
# (invoice QR codes, charts), which can be another origin than the one the page was opened on.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data: http: https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def page(settings: SettingsDep) -> FileResponse:
    """The chat page, or a notice that the simulator is off (still 200: the server itself is fine)."""
    name = "index.html" if settings.simulator.enabled else "off.html"
    return FileResponse(STATIC / name, media_type="text/html; charset=utf-8", headers=HEADERS)


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
    return FileResponse(STATIC / name, media_type=media_type, headers=HEADERS)
