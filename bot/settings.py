"""Settings: config.yml, overridden by TAGADA_* environment variables, built once at start-up.

Every leaf setting has exactly one environment name: its path joined by underscores, upper-cased and
prefixed, so `simulator.enabled` is `TAGADA_SIMULATOR_ENABLED` and `twilio_whatsapp.auth_token` is
`TAGADA_TWILIO_WHATSAPP_AUTH_TOKEN`. Secrets are read from the environment only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.clock import is_timezone
from bot.errors import ConfigError

ENV_PREFIX = "TAGADA_"
CONFIG_PATH_ENV = "TAGADA_CONFIG"
DEFAULT_CONFIG_PATH = Path("config.yml")
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105  (refused outside development)
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "secret", "xxx", "todo", DEVELOPMENT_SECRET_KEY})

Language = Literal["en", "hi", "hi-Latn", "mr", "gu", "ta", "te", "kn", "bn"]
ALL_LANGUAGES: tuple[Language, ...] = get_args(Language)


class DatabaseSettings(BaseModel):
    url: str = "sqlite:///./tagada.db"
    echo: bool = False


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = "http://127.0.0.1:8000"


class LanguageSettings(BaseModel):
    default: Language = "hi-Latn"
    enabled: list[Language] = Field(default_factory=lambda: list(ALL_LANGUAGES))

    @model_validator(mode="after")
    def _default_is_enabled(self) -> LanguageSettings:
        if self.default not in self.enabled:
            raise ValueError(f"default language {self.default!r} is not among the enabled ones")
        return self


class SimulatorSettings(BaseModel):
    enabled: bool = False


class ConversationSettings(BaseModel):
    timeout_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)


class NluSettings(BaseModel):
    # A sentence-transformers model (name or local folder) combined with the n-gram classifier; None: off.
    encoder: str | None = None
    # Where trained NLU artifacts are kept; None: $XDG_CACHE_HOME/tagada/nlu (~/.cache/tagada/nlu).
    cache_dir: Path | None = None


class SchedulerSettings(BaseModel):
    enabled: bool = True
    # How often the server looks for due work: outbox retries, messages a restart left unhandled.
    poll_seconds: float = Field(default=5.0, gt=0, le=3600)
    # How often reminders, promises and briefings are looked for: each look reads every business's ledger.
    collections_minutes: float = Field(default=15.0, gt=0, le=24 * 60)


class TwilioWhatsAppSettings(BaseModel):
    enabled: bool = False
    account_sid: str = ""
    auth_token: SecretStr = SecretStr("")
    # Sends through a Messaging Service (MG...) instead of from the business's number, when set.
    messaging_service_sid: str = ""
    # Twilio's REST API; tests point it at a fake provider on localhost.
    api_url: str = "https://api.twilio.com"


class MetaWhatsAppSettings(BaseModel):
    enabled: bool = False
    phone_number_id: str = ""
    # More businesses on the same Meta app: each business's WhatsApp number (E.164) → its phone number id.
    phone_number_ids: dict[str, str] = Field(default_factory=dict)
    access_token: SecretStr = SecretStr("")
    app_secret: SecretStr = SecretStr("")
    verify_token: SecretStr = SecretStr("")
    graph_url: str = "https://graph.facebook.com"
    api_version: str = "v24.0"


class RazorpaySettings(BaseModel):
    enabled: bool = False
    key_id: str = ""
    key_secret: SecretStr = SecretStr("")
    webhook_secret: SecretStr = SecretStr("")  # set in the Dashboard with the webhook; not the key secret
    # Razorpay's REST API; tests point it at a fake provider on localhost.
    api_url: str = "https://api.razorpay.com"
    # The business whose Razorpay account this is (its WhatsApp number as seeded), for money that comes
    # other than through our links (payment.captured); empty: the only business, if there is one.
    business_number: str = ""


class CollectionsSettings(BaseModel):
    """Reminders: the default cadence (a business or a customer may have its own) and when not to send."""

    before_days: list[int] = Field(default_factory=lambda: [3])  # days before the due date
    on_due: bool = True
    every_days_after: int = Field(default=7, ge=0, le=90)  # 0: none after the due date
    firm_after_days: int = Field(default=15, ge=1)  # overdue this long: a firm tone
    final_after_days: int = Field(default=45, ge=1)  # and this long: the final notice, naming MSMED interest
    # Reminders go out only between these hours, in the business's timezone.
    send_from_hour: int = Field(default=9, ge=0, le=23)
    send_until_hour: int = Field(default=20, ge=1, le=24)
    skip_sundays: bool = True

    @model_validator(mode="after")
    def _sensible(self) -> CollectionsSettings:
        if self.send_from_hour >= self.send_until_hour:
            raise ValueError("collections.send_from_hour must come before send_until_hour")
        if self.firm_after_days > self.final_after_days:
            raise ValueError("collections.firm_after_days must not exceed final_after_days")
        if any(not 0 < days <= 60 for days in self.before_days):
            raise ValueError("collections.before_days are 1 to 60 days before the due date")
        return self


class PaymentsSettings(BaseModel):
    # Above this, customers are offered a bank transfer first: NPCI's usual per-payment UPI limit (₹1 lakh)
    # stops most payers there.
    bank_transfer_above_paise: int = Field(default=10_000_000, ge=0)


class TelegramSettings(BaseModel):
    enabled: bool = False
    bot_token: SecretStr = SecretStr("")
    secret_token: SecretStr = SecretStr("")
    # The business this bot answers for: its WhatsApp number, as seeded (one bot per business).
    business_number: str = ""
    api_url: str = "https://api.telegram.org"


class TemplateSettings(BaseModel):
    """One approved WhatsApp template for one kind of business-initiated message."""

    name: str  # the template's name on the Cloud API
    # The reply's values that fill the template's {{1}}, {{2}}... in order.
    parameters: list[str] = Field(default_factory=list)
    # Our language → the template language registered with Meta (hi-Latn has no code of its own).
    languages: dict[str, str] = Field(default_factory=dict)
    # Our language → Twilio Content SID (HX...) of the same template, for the Twilio channel.
    twilio_content_sids: dict[str, str] = Field(default_factory=dict)


class RateLimitSettings(BaseModel):
    # Messages a second from one business number (Cloud API: 80 by default; Twilio: 10 for text).
    per_number_per_second: float = Field(default=10.0, gt=0)
    # To one person: a burst of this many, then one every `per_recipient_interval_seconds`
    # (Cloud API's pair rate limit is about one message every 6 seconds).
    per_recipient_burst: int = Field(default=6, ge=1)
    per_recipient_interval_seconds: float = Field(default=6.0, gt=0)


class WhatsAppSettings(BaseModel):
    """WhatsApp's rules, the same for the Twilio and Cloud API channels."""

    window_hours: int = Field(default=24, ge=1, le=24)
    templates: dict[str, TemplateSettings] = Field(default_factory=dict)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)


class SpeechSettings(BaseModel):
    enabled: bool = True
    # A faster-whisper model: a size (tiny, base, small, medium, large-v3) or a local CTranslate2 folder.
    model: str = "small"
    # Another model for one language (a Hindi fine-tune, say): language → size or folder.
    language_models: dict[str, str] = Field(default_factory=dict)
    # Where named models are downloaded to and looked up; None: faster-whisper's default cache.
    download_root: Path | None = None
    compute_type: str = "int8"
    cpu_threads: int = Field(default=2, ge=1)
    # Below this confidence (0-1) the person sees what was heard and confirms it first.
    confirm_below: float = Field(default=0.6, ge=0, le=1)
    # Longer voice notes are not transcribed (nobody dictates an order for ten minutes).
    max_seconds: int = Field(default=180, ge=1)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="forbid")

    environment: Literal["development", "production"] = "development"
    timezone: str = "Asia/Kolkata"
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    languages: LanguageSettings = Field(default_factory=LanguageSettings)
    simulator: SimulatorSettings = Field(default_factory=SimulatorSettings)
    conversation: ConversationSettings = Field(default_factory=ConversationSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    twilio_whatsapp: TwilioWhatsAppSettings = Field(default_factory=TwilioWhatsAppSettings)
    meta_whatsapp: MetaWhatsAppSettings = Field(default_factory=MetaWhatsAppSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    razorpay: RazorpaySettings = Field(default_factory=RazorpaySettings)
    payments: PaymentsSettings = Field(default_factory=PaymentsSettings)
    collections: CollectionsSettings = Field(default_factory=CollectionsSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)
    speech: SpeechSettings = Field(default_factory=SpeechSettings)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not is_timezone(value):
            raise ValueError(f"unknown timezone {value!r}")
        return value

    @model_validator(mode="after")
    def _real_secrets_outside_development(self) -> Settings:
        if self.environment == "development":
            return self
        weak = []
        for path, value in _secret_values(self):
            # A top-level secret is always needed; a channel's only while that channel is enabled.
            needed = len(path) == 1 or bool(getattr(getattr(self, path[0]), "enabled", True))
            if value.strip().lower() in PLACEHOLDER_SECRETS or (needed and not value):
                weak.append(env_name(path))
        if weak:
            raise ValueError(
                f"environment is {self.environment!r} but these secrets are missing or placeholders: "
                + ", ".join(weak)
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # load_settings merges config.yml and the environment itself (one env name per leaf, secrets
        # refused in the file), so only the values passed in count; nothing is read behind its back.
        return (init_settings,)


def env_name(path: tuple[str, ...]) -> str:
    return ENV_PREFIX + "_".join(path).upper()


def setting_paths(
    model: type[BaseModel] = Settings, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], FieldInfo]]:
    """Every leaf setting as (path, field), depth first."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from setting_paths(annotation, (*prefix, name))
        else:
            yield (*prefix, name), field


def _secret_values(model: BaseModel, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _secret_values(value, (*prefix, name))
        elif isinstance(value, SecretStr):
            yield (*prefix, name), value.get_secret_value()


def _values_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path, field in setting_paths():
        raw = environ.get(env_name(path))
        if raw is None:
            continue
        value: Any = raw
        if get_origin(field.annotation) is list:
            value = [item.strip() for item in raw.split(",") if item.strip()]
        _put(values, path, value)
    return values


def _values_from_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path} must hold a mapping of settings")
    secrets_in_file = [
        ".".join(p) for p, field in setting_paths() if field.annotation is SecretStr and _get(loaded, p)
    ]
    if secrets_in_file:
        raise ConfigError(
            f"{path} holds secrets ({', '.join(secrets_in_file)}); set them as environment variables "
            f"instead ({', '.join(env_name(tuple(s.split('.'))) for s in secrets_in_file)})"
        )
    return loaded


def load_settings(
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from config.yml and the environment.

    Args:
        config_path: the YAML file; default `$TAGADA_CONFIG` or ./config.yml (absent file: defaults).
        environ: the environment to read; default os.environ.

    Raises:
        ConfigError: the file or a value is invalid, or a secret is a placeholder outside development.
    """
    environ = os.environ if environ is None else environ
    path = config_path or Path(environ.get(CONFIG_PATH_ENV, DEFAULT_CONFIG_PATH))
    merged = _deep_merge(_values_from_file(path), _values_from_environment(environ))
    try:
        return Settings(**merged)
    except ValueError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _get(source: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    current: Any = source
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return None
        current = current[key]
    return current


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged
