"""Users changing who is in a chat: a member's status (the bot's own included), blocking the bot,
and a basic group becoming a supergroup.

Mixed into `Emulator`. Telegram tells the bot about its own status always (`my_chat_member`),
about other members only when it is an administrator (`chat_member`).
"""

from __future__ import annotations

import copy
from typing import Any

from bot.emulator.actions import UserActionsMixin
from bot.emulator.members import member_updated
from bot.emulator.models import Chat, User
from bot.emulator.observe import ChatRef, chat_id_of
from bot.emulator.spec import load_spec
from bot.emulator.state import now_unix


def _as_user(who: User | dict[str, Any]) -> User:
    return who if isinstance(who, User) else User.from_dict(who)


class MembershipActionsMixin(UserActionsMixin):
    def chat_member_update(
        self,
        chat: ChatRef,
        member: User | dict[str, Any],
        old_status: str,
        new_status: str,
        *,
        by: User | None = None,
    ) -> dict[str, Any]:
        """`member` (a user, or the bot's user dict for my_chat_member) changes status in chat."""
        bot = self._bot()
        target = self.world.chats[chat_id_of(chat)]
        who = _as_user(member)
        actor = by or who
        if who.id == bot.id:
            kind = "my_chat_member"
            if target.type == "private":
                actor = by or User(id=target.id, first_name=target.first_name or "")
                if new_status == "kicked":
                    bot.blocked_by.add(target.id)
                else:
                    bot.blocked_by.discard(target.id)
        else:
            kind = "chat_member"
        target.members[who.id] = new_status
        body = member_updated(load_spec(), target, who, old_status, new_status, actor, now_unix())
        # Telegram only tells administrators about other members' changes.
        visible = kind == "my_chat_member" or target.status_of(bot.id) in (
            "administrator",
            "creator",
        )
        return self._deliver(bot, {kind: body}, visible=visible)

    def block(self, user: User, *, notify: bool = True) -> None:
        """`user` blocks the bot: sends to their chat answer 403 until `unblock`."""
        bot = self._bot()
        chat = self.world.user_chat(user)
        if notify:
            self.chat_member_update(chat, bot.user, "member", "kicked", by=user)
        else:
            bot.blocked_by.add(user.id)

    def unblock(self, user: User, *, notify: bool = True) -> None:
        bot = self._bot()
        chat = self.world.user_chat(user)
        if notify:
            self.chat_member_update(chat, bot.user, "kicked", "member", by=user)
        else:
            bot.blocked_by.discard(user.id)

    def migrate_to_supergroup(self, group: ChatRef, *, by: User | None = None) -> Chat:
        """The group becomes a supergroup with a new id; the old id answers 400 with
        migrate_to_chat_id from now on. Queues both service messages."""
        bot = self._bot()
        old = self.world.chats[chat_id_of(group)]
        if old.type != "group":
            raise ValueError(f"chat {old.id} is a {old.type}, only basic groups migrate")
        if by is None:
            creator = next((uid for uid, s in old.members.items() if s == "creator"), None)
            by = self.world.users.get(creator) if creator is not None else None
        actor = by or bot.user
        new = Chat(
            id=self.world.new_supergroup_id(),
            type="supergroup",
            title=old.title,
            members=dict(old.members),
            admin_rights=copy.deepcopy(old.admin_rights),
            migrated_from=old.id,
            messages=dict(old.messages),
            bot_message_ids=set(old.bot_message_ids),
            next_message_id=old.next_message_id,
        )
        self.world.add_chat(new)
        bot_present = old.status_of(bot.id) not in ("left", "kicked")
        farewell = self._user_message(actor, old, migrate_to_chat_id=new.id)
        old.migrated_to = new.id
        welcome = self._user_message(actor, new, migrate_from_chat_id=old.id)
        self._deliver(bot, {"message": farewell}, visible=bot_present)
        self._deliver(bot, {"message": welcome}, visible=bot_present)
        return new
