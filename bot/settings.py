"""Settings read once from the environment into one typed object."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
REPO_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_DATABASE_URL = "sqlite:///data/sleepsigns.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# "<bot id>:<secret>" as BotFather issues it; the secret is 35 characters today.
TOKEN_PATTERN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is safe to print (no secrets)."""


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str
    database_url: str
    rules_dir: Path
    log_level: str

    def __repr__(self) -> str:  # never print the token, even in a debugger or a traceback
        return (
            f"Settings(token='***', base_url={self.base_url!r}, database_url=<set>, "
            f"rules_dir={str(self.rules_dir)!r}, log_level={self.log_level!r})"
        )


def rules_dir_from(env: Mapping[str, str]) -> Path:
    return Path(env.get("RULES_DIR") or REPO_RULES_DIR)


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
    return Settings(
        token=token,
        base_url=base_url,
        database_url=(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL).strip(),
        rules_dir=rules_dir_from(env),
        log_level=log_level_from(env),
    )
