"""Channels: WhatsApp (Twilio, Cloud API), Telegram and the local simulator, behind one `Channel` seam."""
