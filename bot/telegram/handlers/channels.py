"""Linking a channel for birth-month reminders, from a private chat with one of its admins.

`/channel @name` (or forwarding one of the channel's posts) checks with Telegram that both the
person and the bot are admins there, the bot with the right to post; then the admin picks the
birth month, time zone and hour as a group admin would. `/channel off @name` unlinks.
"""

from __future__ import annotations

import html

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import actions
from bot.telegram import admins
from bot.telegram.handlers import cohort
from bot.telegram.replies import send
from bot.telegram.services import BotContext


async def resolve_channel(context: BotContext, ref: str) -> Chat | None:
    try:
        chat = await context.bot.get_chat(ref)
    except TelegramError:
        return None
    return chat if chat.type == ChatType.CHANNEL else None


async def link(update: Update, context: BotContext, channel: Chat) -> None:
    t = context.texts(update)
    user = update.effective_user
    if user is None or not await admins.is_admin(context.bot, channel.id, user.id):
        await send(update, t("channel.not_admin"))
        return
    if not await admins.can_post(context.bot, channel.id):
        await send(update, t("channel.bot_cannot_post", bot=context.bot.username))
        return
    await cohort.start(update, context, channel.id, channel.title or channel.username or "")


async def channel_command(update: Update, context: BotContext) -> None:
    """/channel @name | /channel off @name | /channel (how to)."""
    chat = update.effective_chat
    if chat is None:
        return
    t = context.texts(update)
    if chat.type != ChatType.PRIVATE:
        await send(update, t("channel.private_only"))
        return
    args = list(context.args or [])
    unlink = bool(args) and args[0].lower() == "off"
    if unlink:
        args = args[1:]
    if len(args) != 1 or not args[0].lstrip("@"):
        await send(update, t("channel.how_to", bot=context.bot.username))
        return
    ref = args[0] if args[0].startswith(("@", "-")) else f"@{args[0]}"
    channel = await resolve_channel(context, ref)
    if channel is None:
        await send(update, t("channel.not_found", channel=html.escape(ref)))
        return
    if not unlink:
        await link(update, context, channel)
        return
    user = update.effective_user
    if user is None or not await admins.is_admin(context.bot, channel.id, user.id):
        await send(update, t("channel.not_admin"))
        return
    await actions.forget_chat(context.services.store, channel.id)
    await send(update, t("channel.unlinked", channel=html.escape(channel.title or ref)))


async def forwarded_post(update: Update, context: BotContext) -> bool:
    """A post forwarded from a channel into the private chat links that channel."""
    message = update.effective_message
    origin = message.forward_origin if message is not None else None
    channel = getattr(origin, "chat", None)
    if channel is None or channel.type != ChatType.CHANNEL:
        return False
    await link(update, context, channel)
    return True
