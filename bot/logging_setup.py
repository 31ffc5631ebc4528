"""Logging with the bot token redacted from every line, whoever logs it.

The token leaks in several places: httpx logs request URLs (which contain it) at INFO,
python-telegram-bot logs them at DEBUG, and `InvalidToken` carries it in its message. Quieting
one logger is not enough, so the redaction sits in the formatter of every handler we install and
works on the fully formatted line, tracebacks included.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], fmt: str = LOG_FORMAT) -> None:
        super().__init__(fmt)
        # Longest first, so the whole token is replaced before its secret half is.
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def token_secrets(token: str) -> list[str]:
    """The token and its secret half: either alone is enough to control the bot."""
    return [token, token.split(":", 1)[-1]] if token else []


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    cap_library_loggers(level)


# Libraries that, below these levels, log what families tell the bot: python-telegram-bot and
# httpcore dump requests and updates (names, birth dates, typed text), aiosqlite every statement
# with its parameters, SQLAlchemy statements and parameters. Capped at every LOG_LEVEL.
PRIVATE_BELOW = {
    "telegram": logging.INFO,
    "httpx": logging.INFO,  # request lines only (method URL and status), token redacted
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "aiohttp": logging.INFO,
}


def cap_library_loggers(level: str) -> None:
    """Keep library loggers at or above their private floor, and quiet at INFO."""
    wanted = logging.getLevelName(level)
    for name, floor in PRIVATE_BELOW.items():
        logging.getLogger(name).setLevel(max(wanted, floor))
    # httpx logs every request URL at INFO; keep it for DEBUG runs only (redacted even then).
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(max(wanted, logging.WARNING))
    # Alembic and APScheduler narrate every start-up at INFO; operators need that only to debug.
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
