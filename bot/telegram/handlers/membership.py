"""The bot's own membership: blocked or unblocked by a parent, removed from a group or channel,
or a group became a supergroup."""

from __future__ import annotations

import html
import logging

from telegram import ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError

from bot import actions
from bot.telegram.services import BotContext, Texts

log = logging.getLogger(__name__)

GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def my_chat_member(update: Update, context: BotContext) -> None:
    """A parent's block pauses (never deletes); removal from a group or channel, or losing the
    right to post in a channel, stops and forgets that chat's reminders."""
    change = update.my_chat_member
    if change is None:
        return
    chat, member = change.chat, change.new_chat_member
    if chat.type == ChatType.PRIVATE:
        await private_membership(update, context, member.status)
        return
    cannot_post = chat.type == ChatType.CHANNEL and not (
        member.status == ChatMemberStatus.OWNER
        or (isinstance(member, ChatMemberAdministrator) and member.can_post_messages)
    )
    if member.status in GONE or cannot_post:
        removed = await actions.forget_chat(context.services.store, chat.id)
        log.info("bot lost chat %s (%s); removed %d stored rows", chat.id, member.status, removed)


async def private_membership(update: Update, context: BotContext, status: str) -> None:
    """Blocked: hold the reminders. Unblocked: resume them and say so once, with what was
    missed (a second unblock update finds nothing held and says nothing)."""
    change = update.my_chat_member
    assert change is not None
    chat_id, blocks = change.chat.id, context.services.store.blocks
    if status == ChatMemberStatus.BANNED:
        held = await blocks.block_chat(chat_id, context.services.clock())
        log.info("chat %s blocked the bot; %d subscription(s) paused", chat_id, held)
        return
    if status != ChatMemberStatus.MEMBER:
        return
    unblocked = await blocks.unblock_chat(chat_id)
    if not unblocked.resumed:
        return
    log.info("chat %s unblocked the bot; %d subscription(s) resumed", chat_id, unblocked.resumed)
    t = context.texts(update)
    try:
        await context.bot.send_message(
            chat_id, welcome_back(context, t, unblocked.missed), parse_mode=ParseMode.HTML
        )
    except TelegramError as error:
        log.warning("could not welcome chat %s back: %s", chat_id, error)


def welcome_back(context: BotContext, t: Texts, missed: tuple[str, ...]) -> str:
    lines = [t("reminders.welcome_back")]
    titles = [
        html.escape(context.rules.milestones[m].title.get(t.locale))
        for m in missed
        if m in context.rules.milestones
    ]
    if titles:
        lines += ["", t("reminders.missed_title")]
        lines += [t("reminders.missed_item", title=title) for title in titles]
    return "\n".join(lines)


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
    await actions.move_chat(context.services.store, old, new)
    log.info("chat %s became supergroup %s; reminders moved", old, new)
