"""Who may change a group's or channel's settings: its admins, asked of Telegram each time.

Admin lists change; the issue asks for a check at the time of the command, so nothing is cached.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
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


async def sender_is_admin(update: Update, bot: ExtBot[None]) -> bool:
    """For a message or button press in a group: is the person an admin of that group?

    An anonymous admin writes as the group itself (sender_chat == chat), which only admins can.
    """
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True
    return user is not None and await is_admin(bot, chat.id, user.id)
