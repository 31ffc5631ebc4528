"""Asking Telegram who is an admin of a chat, each time (admin lists change; nothing is cached).

The decision of who may act is `bot.telegram.guard`'s; these are its questions to Telegram.
"""

from __future__ import annotations

from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ExtBot

ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def is_admin(bot: ExtBot[None], chat_id: int | str, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES


async def can_post(bot: ExtBot[None], chat_id: int | str) -> bool:
    """Whether the bot itself is an admin that may post there (channels need this)."""
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError:
        return False
    if member.status == ChatMemberStatus.OWNER:
        return True
    return member.status == ChatMemberStatus.ADMINISTRATOR and bool(
        getattr(member, "can_post_messages", True)
    )
