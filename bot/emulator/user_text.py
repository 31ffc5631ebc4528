"""What Telegram makes of what a user types: the entities it detects, and whether the bot gets
the message at all (privacy mode in groups)."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.models import Chat
from bot.emulator.state import BotAccount
from bot.emulator.text_units import utf16_len

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}")
_URL = re.compile(r"https?://\S+")


def user_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram detects in what a user types."""
    found: list[tuple[int, int, str]] = []
    if command := _COMMAND.match(text):
        found.append((0, command.end(), "bot_command"))
    found += [(m.start(), m.end(), "mention") for m in _MENTION.finditer(text)]
    found += [(m.start(), m.end(), "url") for m in _URL.finditer(text)]
    return [
        {
            "type": kind,
            "offset": utf16_len(text[:start]),
            "length": utf16_len(text[start:end]),
        }
        for start, end, kind in sorted(found)
    ]


def bot_reads(bot: BotAccount, chat: Chat, text: str, reply_to: dict | None) -> bool:
    """Whether the bot sees a message: in groups a bot in privacy mode only sees commands (to
    it or to no bot), replies to its own messages and mentions of it, unless it is an admin."""
    status = chat.status_of(bot.id)
    if chat.type == "private":
        return True
    if status in ("left", "kicked"):
        return False
    if bot.can_read_all_group_messages or status in ("administrator", "creator"):
        return True
    if command := _COMMAND.match(text):
        addressed = command.group(0).partition("@")[2]
        if not addressed or addressed.lower() == (bot.user.username or "").lower():
            return True
    if reply_to is not None and reply_to["message_id"] in chat.bot_message_ids:
        return True
    return f"@{bot.user.username}".lower() in text.lower()
