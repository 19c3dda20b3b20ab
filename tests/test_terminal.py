"""`tagada chat`: the same gateway in a terminal, as the owner or as a customer."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGADA_CONFIG", str(tmp_path / "none.yml"))
    monkeypatch.setenv("TAGADA_DATABASE_URL", f"sqlite:///{tmp_path / 'chat.db'}")
    assert CliRunner().invoke(cli, ["demo", "--today", "2026-11-28"]).exit_code == 0


def test_the_owner_drafts_a_bill_and_confirms_with_a_number(demo: None) -> None:
    lines = "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST\n1\n/quit\n"
    result = CliRunner().invoke(cli, ["chat", "--as", "owner"], input=lines)
    assert result.exit_code == 0, result.output
    assert "₹22,420" in result.output
    assert "[1]" in result.output  # the buttons, numbered
    assert "→ Sharma Traders:" in result.output and ".pdf" in result.output


def test_a_customer_sees_only_their_own_balance(demo: None) -> None:
    result = CliRunner().invoke(cli, ["chat", "--as", "+919811122233"], input="mera kitna baaki hai?\n")
    assert result.exit_code == 0, result.output
    assert "₹" in result.output
    assert "Deshmukh" not in result.output  # another customer of the demo business


def test_an_unknown_business_is_a_clear_error(demo: None) -> None:
    result = CliRunner().invoke(cli, ["chat", "--business", "+919000000000"], input="")
    assert result.exit_code == 2
    assert "no such business" in result.output
