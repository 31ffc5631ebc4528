"""Settings read once from the environment into one typed object."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
REPO_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_DATABASE_URL = "sqlite:///data/sleepsigns.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# "<bot id>:<secret>" as BotFather issues it; the secret is 35 characters today.
TOKEN_PATTERN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$")
# Telegram allows 1-256 of these; we ask for 16+ so it can't be guessed and is always redacted.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
WEBHOOK_PORTS = (443, 80, 88, 8443)  # the only ports Telegram delivers webhooks to
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8080


class SettingsError(Exception):
    """A setting is missing or malformed; the message is safe to print (no secrets)."""


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: Telegram POSTs updates to `url`; we listen on `listen`:`port`, `path`."""

    url: str
    secret: str
    port: int = DEFAULT_PORT

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def listen(self) -> str:
        """0.0.0.0 behind a load balancer; loopback only when the URL is loopback (tests)."""
        host = urlsplit(self.url).hostname
        return ("::1" if host == "::1" else "127.0.0.1") if host in LOOPBACK_HOSTS else "0.0.0.0"

    def __repr__(self) -> str:  # the secret lets anyone forge updates: never print it
        return f"Webhook(url={self.url!r}, secret='***', port={self.port})"


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str
    database_url: str
    rules_dir: Path
    log_level: str
    webhook: Webhook | None = None  # None: long polling
    base_file_url: str | None = None  # None: derived from base_url (<root>/file/bot)

    def __repr__(self) -> str:  # never print the token, even in a debugger or a traceback
        return (
            f"Settings(token='***', base_url={self.base_url!r}, database_url=<set>, "
            f"rules_dir={str(self.rules_dir)!r}, log_level={self.log_level!r}, "
            f"webhook={self.webhook!r}, base_file_url={self.base_file_url!r})"
        )


def rules_dir_from(env: Mapping[str, str]) -> Path:
    """RULES_DIR, else the repo's rules/ (an editable install), else ./rules (a plain
    `pip install .` run from the repository, where the package itself sits in site-packages)."""
    if env.get("RULES_DIR"):
        return Path(env["RULES_DIR"])
    return REPO_RULES_DIR if REPO_RULES_DIR.is_dir() else Path.cwd() / "rules"


def log_level_from(env: Mapping[str, str]) -> str:
    level = (env.get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    return level


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if not token:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather, or try the bot "
            "without one: python -m bot console"
        )
    if not TOKEN_PATTERN.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<35 letters, digits, - or _>' "
            "as @BotFather gives it"
        )
    base_url = (env.get("TELEGRAM_BASE_URL") or DEFAULT_BASE_URL).strip()
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError("TELEGRAM_BASE_URL must start with http:// or https://")
    base_file_url = (env.get("TELEGRAM_BASE_FILE_URL") or "").strip() or None
    if base_file_url is not None and not base_file_url.startswith(("http://", "https://")):
        raise SettingsError("TELEGRAM_BASE_FILE_URL must start with http:// or https://")
    return Settings(
        token=token,
        base_url=base_url,
        base_file_url=base_file_url,
        database_url=database_url_from(env),
        rules_dir=rules_dir_from(env),
        log_level=log_level_from(env),
        webhook=webhook_from(env),
    )


def database_url_from(env: Mapping[str, str]) -> str:
    """DATABASE_URL, checked now so a typo is one clear line (never echoing it: it may hold a
    password), not a traceback at the first query."""
    url = (env.get("DATABASE_URL") or DEFAULT_DATABASE_URL).strip()
    from bot.store.urls import async_database_url  # SQLAlchemy, only when the bot runs

    try:
        async_database_url(url)
    except Exception:
        raise SettingsError(
            "DATABASE_URL is malformed: expected sqlite:///path/to/file.db or "
            "postgresql://user:password@host:5432/dbname"
        ) from None
    return url


def webhook_from(env: Mapping[str, str]) -> Webhook | None:
    """WEBHOOK_URL switches to webhook mode; WEBHOOK_SECRET and PORT then apply."""
    url = (env.get("WEBHOOK_URL") or "").strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise SettingsError("WEBHOOK_URL is malformed: expected https://host/path") from None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        pass  # plain http only to this machine (tests, a local reverse proxy)
    elif parts.scheme != "https" or not parts.hostname or parts.fragment or " " in url:
        raise SettingsError(
            "WEBHOOK_URL must be a public https:// URL, e.g. https://bot.example.org/tg"
        )
    elif port is not None and port not in WEBHOOK_PORTS:
        raise SettingsError("WEBHOOK_URL port must be 443, 80, 88 or 8443 (Telegram's only ones)")
    secret = (env.get("WEBHOOK_SECRET") or "").strip()
    if not WEBHOOK_SECRET_PATTERN.match(secret):
        raise SettingsError(
            "WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ or - with "
            "WEBHOOK_URL (e.g. the output of: openssl rand -hex 32)"
        )
    raw_port = (env.get("PORT") or str(DEFAULT_PORT)).strip()
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise SettingsError("PORT must be a number from 1 to 65535")
    return Webhook(url=url, secret=secret, port=int(raw_port))
