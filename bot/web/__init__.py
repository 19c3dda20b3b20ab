"""The simulator's web page: a WhatsApp-like chat with the assistant, served at `/`."""

from bot.web.router import router

__all__ = ["router"]
