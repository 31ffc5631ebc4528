"""Forum topics run by the bot: createForumTopic, closeForumTopic, reopenForumTopic,
deleteForumTopic (the rules they share with the users' side are in `bot.emulator.forum`)."""

from __future__ import annotations

from typing import Any

from bot.emulator import forum
from bot.emulator.errors import bad_request, spec_violation
from bot.emulator.methods.base import MethodContext, ensure_member, is_admin
from bot.emulator.models import Chat


def _forum(ctx: MethodContext) -> Chat:
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    return chat


async def create_forum_topic(ctx: MethodContext) -> dict[str, Any]:
    chat = _forum(ctx)
    if not forum.may_manage_topics(chat, ctx.bot.id):
        raise bad_request("not enough rights to create a topic")
    color = ctx.params.get("icon_color")
    if color is not None and color not in forum.ICON_COLORS:
        raise spec_violation("TOPIC_ICON_COLOR_INVALID", f"icon_color {color} is not one listed")
    topic, message = forum.open_topic(chat, ctx.bot.user.to_dict(), ctx.require("name"), color)
    chat.bot_message_ids.add(message["message_id"])
    return topic.to_dict()


def _toggle(ctx: MethodContext, closed: bool) -> bool:
    chat = _forum(ctx)
    thread_id = ctx.require("message_thread_id")
    topic = forum.topic_of(chat, thread_id)
    if topic.creator_id != ctx.bot.id and not forum.may_manage_topics(chat, ctx.bot.id):
        raise bad_request("not enough rights to close or open the topic")
    message = forum.set_closed(chat, ctx.bot.user.to_dict(), thread_id, closed)
    chat.bot_message_ids.add(message["message_id"])
    return True


async def close_forum_topic(ctx: MethodContext) -> bool:
    return _toggle(ctx, closed=True)


async def reopen_forum_topic(ctx: MethodContext) -> bool:
    return _toggle(ctx, closed=False)


async def delete_forum_topic(ctx: MethodContext) -> bool:
    chat = _forum(ctx)
    thread_id = ctx.require("message_thread_id")
    forum.topic_of(chat, thread_id)
    if not is_admin(chat, ctx.bot.id, "can_delete_messages"):
        raise bad_request("not enough rights to delete the topic")
    forum.remove_topic(chat, thread_id)
    return True
