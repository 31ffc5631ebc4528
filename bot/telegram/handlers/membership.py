"""The bot's own membership: removed from a group or channel, or a group became a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.telegram.services import BotContext

log = logging.getLogger(__name__)

GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def my_chat_member(update: Update, context: BotContext) -> None:
    """Removed, or no longer allowed to post in a channel: stop and forget that chat's reminders."""
    change = update.my_chat_member
    if change is None:
        return
    chat, member = change.chat, change.new_chat_member
    cannot_post = chat.type == ChatType.CHANNEL and not (
        member.status == ChatMemberStatus.OWNER
        or (isinstance(member, ChatMemberAdministrator) and member.can_post_messages)
    )
    if member.status in GONE or cannot_post:
        removed = await context.services.store.forget_chat(chat.id)
        log.info("bot lost chat %s (%s); removed %d stored rows", chat.id, member.status, removed)


async def migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its reminders follow the new id, without a gap or a copy.

    Telegram sends a service message to both the old and the new chat; moving is idempotent,
    so whichever arrives first does the work.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await context.services.store.move_chat(old, new)
    log.info("chat %s became supergroup %s; reminders moved", old, new)
