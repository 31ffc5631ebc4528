"""Looking at chats and leaving them: getChat, getChatMember, getChatAdministrators,
getChatMemberCount, leaveChat."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.members import chat_member, member_updated
from bot.emulator.methods.base import MethodContext, ensure_member
from bot.emulator.models import User
from bot.emulator.state import now_unix

_PRESENT = ("creator", "administrator", "member", "restricted")


async def get_chat(ctx: MethodContext) -> dict[str, Any]:
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    info = chat.to_dict()
    info.update(accent_color_id=0, max_reaction_count=11)
    if chat.migrated_from is not None:
        info["migrated_from_chat_id"] = chat.migrated_from
    return ctx.spec.complete("ChatFullInfo", info)


def _user(ctx: MethodContext, user_id: Any) -> User:
    if user_id == ctx.bot.id:
        return ctx.bot.user
    user = ctx.world.users.get(user_id) if isinstance(user_id, int) else None
    if user is None:
        raise bad_request("user not found")
    return user


async def get_chat_member(ctx: MethodContext) -> dict[str, Any]:
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    user = _user(ctx, ctx.require("user_id"))
    if chat.type == "private":
        if user.id not in (chat.id, ctx.bot.id):
            raise bad_request("user not found")
        return chat_member(ctx.spec, chat, user, "member")
    return chat_member(ctx.spec, chat, user, chat.status_of(user.id))


async def get_chat_administrators(ctx: MethodContext) -> list[dict[str, Any]]:
    chat = ctx.chat()
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    ensure_member(ctx.bot, chat)
    admins = []
    for user_id, status in chat.members.items():
        if status in ("creator", "administrator"):
            admins.append(chat_member(ctx.spec, chat, _user(ctx, user_id), status))
    return admins


async def get_chat_member_count(ctx: MethodContext) -> int:
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    if chat.type == "private":
        return 2
    return sum(1 for status in chat.members.values() if status in _PRESENT)


async def leave_chat(ctx: MethodContext) -> bool:
    chat = ctx.chat()
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    ensure_member(ctx.bot, chat)
    old_status = chat.status_of(ctx.bot.id)
    chat.members[ctx.bot.id] = "left"
    body = member_updated(
        ctx.spec, chat, ctx.bot.user, old_status, "left", ctx.bot.user, now_unix()
    )
    ctx.world.queue_update(ctx.bot, {"my_chat_member": body})
    return True
