"""Builds Bot API `ChatMember*` objects from a status, as getChatMember and member updates need."""

from __future__ import annotations

from typing import Any

from bot.emulator.models import Chat, User
from bot.emulator.spec import Spec

_SUBTYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}
# What an administrator may do unless add_group/add_channel said otherwise.
DEFAULT_ADMIN_RIGHTS: dict[str, bool] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
CHANNEL_ADMIN_RIGHTS: dict[str, bool] = {"can_post_messages": True, "can_edit_messages": True}


def chat_member(spec: Spec, chat: Chat | None, user: User, status: str) -> dict[str, Any]:
    """The ChatMember object for `user` having `status` in `chat`."""
    subtype = _SUBTYPES.get(status)
    if subtype is None:
        raise ValueError(f"unknown chat member status {status!r}; use one of {list(_SUBTYPES)}")
    member: dict[str, Any] = {"status": status, "user": user.to_dict()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        rights = dict(DEFAULT_ADMIN_RIGHTS)
        if chat is not None and chat.type == "channel":
            rights.pop("can_pin_messages")
            rights.update(CHANNEL_ADMIN_RIGHTS)
        if chat is not None:
            rights.update(chat.admin_rights.get(user.id, {}))
        member.update(rights)
    elif status == "restricted":
        member.update(is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    known = spec.types[subtype].fields
    member = {key: value for key, value in member.items() if key in known}
    return spec.complete(subtype, member)


def member_updated(
    spec: Spec, chat: Chat, user: User, old_status: str, new_status: str, by: User, date: int
) -> dict[str, Any]:
    """A `ChatMemberUpdated` object (the body of my_chat_member / chat_member updates)."""
    return {
        "chat": chat.to_dict(),
        "from": by.to_dict(),
        "date": date,
        "old_chat_member": chat_member(spec, chat, user, old_status),
        "new_chat_member": chat_member(spec, chat, user, new_status),
    }
