from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import env_name, load_settings, setting_paths

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config.yml"


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.yml", environ={})
    assert settings.database.url == "sqlite:///./tagada.db"
    assert settings.timezone == "Asia/Kolkata"
    assert settings.simulator.enabled is False
    assert settings.languages.default == "hi-Latn"


def test_repository_config_turns_the_simulator_on() -> None:
    settings = load_settings(REPO_CONFIG, environ={})
    assert settings.simulator.enabled is True
    assert settings.scheduler.enabled is True
    assert settings.environment == "development"


def test_environment_overrides_the_file() -> None:
    settings = load_settings(
        REPO_CONFIG,
        environ={
            "TAGADA_DATABASE_URL": "sqlite:////tmp/x.db",
            "TAGADA_SIMULATOR_ENABLED": "0",
            "TAGADA_SERVER_PORT": "9001",
            "TAGADA_LANGUAGES_ENABLED": "en, hi-Latn",
            "TAGADA_TWILIO_WHATSAPP_AUTH_TOKEN": "tok",
        },
    )
    assert settings.database.url == "sqlite:////tmp/x.db"
    assert settings.simulator.enabled is False
    assert settings.server.port == 9001
    assert settings.languages.enabled == ["en", "hi-Latn"]
    assert settings.twilio_whatsapp.auth_token.get_secret_value() == "tok"
    assert settings.scheduler.enabled is True  # untouched values keep the file's


def test_config_file_named_by_environment(tmp_path: Path) -> None:
    other = tmp_path / "other.yml"
    other.write_text("timezone: Asia/Dubai\n")
    assert load_settings(environ={"TAGADA_CONFIG": str(other)}).timezone == "Asia/Dubai"


def test_every_setting_has_its_own_environment_name() -> None:
    names = [env_name(path) for path, _ in setting_paths()]
    assert len(names) == len(set(names))
    assert "TAGADA_SIMULATOR_ENABLED" in names and "TAGADA_DATABASE_URL" in names


def test_secrets_in_the_file_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("telegram:\n  bot_token: '123:abc'\n")
    with pytest.raises(ConfigError, match="TAGADA_TELEGRAM_BOT_TOKEN"):
        load_settings(config, environ={})


def test_production_refuses_placeholder_and_missing_secrets(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TAGADA_SECRET_KEY"):
        load_settings(tmp_path / "none.yml", environ={"TAGADA_ENVIRONMENT": "production"})
    with pytest.raises(ConfigError, match="TAGADA_TELEGRAM_BOT_TOKEN"):
        load_settings(
            tmp_path / "none.yml",
            environ={
                "TAGADA_ENVIRONMENT": "production",
                "TAGADA_SECRET_KEY": "s3cr3t-long-random-value",
                "TAGADA_TELEGRAM_ENABLED": "1",
                "TAGADA_TELEGRAM_SECRET_TOKEN": "changeme",
            },
        )


def test_production_with_real_secrets_starts(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path / "none.yml",
        environ={"TAGADA_ENVIRONMENT": "production", "TAGADA_SECRET_KEY": "s3cr3t-long-random-value"},
    )
    assert settings.environment == "production"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TAGADA_TIMEZONE", "Mars/Olympus"),
        ("TAGADA_SERVER_PORT", "not-a-port"),
        ("TAGADA_LANGUAGES_DEFAULT", "fr"),
        ("TAGADA_LANGUAGES_ENABLED", "en,ta"),
        ("TAGADA_SIMULATOR_ENABLED", "maybe"),
    ],
)
def test_bad_values_are_a_config_error(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "none.yml", environ={variable: value})


def test_unknown_keys_in_the_file_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("databse:\n  url: sqlite:///x.db\n")
    with pytest.raises(ConfigError):
        load_settings(config, environ={})
