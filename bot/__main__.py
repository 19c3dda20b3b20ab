"""`python -m bot` is the `tagada` command."""

from bot.cli import app

app(prog_name="tagada")
