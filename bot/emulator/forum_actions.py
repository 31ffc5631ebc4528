"""Users running a forum supergroup's topics: open, close, reopen and delete one.

Mixed into `Emulator`. Each returns what Telegram would tell the bot: the service message goes
out as a `message` update (bots in privacy mode get service messages too); deleting a topic
sends no update, its messages just disappear. Write in a topic with
`send_text(user, text, group, topic=thread_id)`.
"""

from __future__ import annotations

from bot.emulator import forum
from bot.emulator.actions import UserActionsMixin
from bot.emulator.models import Chat, User
from bot.emulator.observe import ChatRef, chat_id_of


class ForumActionsMixin(UserActionsMixin):
    def _forum_run_by(self, group: ChatRef, user: User) -> Chat:
        chat = self.world.chats[chat_id_of(group)]
        if not chat.is_forum:
            raise ValueError(f"chat {chat.id} has no topics; use add_group(..., forum=True)")
        if not forum.may_manage_topics(chat, user.id):
            raise ValueError(f"{user.first_name} may not manage topics in {chat.title!r}")
        return chat

    def create_topic(self, group: ChatRef, name: str, *, by: User) -> int:
        """`by` (an admin) opens a topic; returns its message_thread_id."""
        chat = self._forum_run_by(group, by)
        topic, message = forum.open_topic(chat, by.to_dict(), name)
        self._deliver(self._bot(), {"message": message})
        return topic.message_thread_id

    def close_topic(self, group: ChatRef, thread_id: int, *, by: User) -> None:
        """`by` closes the topic: from now on only admins who manage topics can post there."""
        chat = self._forum_run_by(group, by)
        message = forum.set_closed(chat, by.to_dict(), thread_id, closed=True)
        self._deliver(self._bot(), {"message": message})

    def reopen_topic(self, group: ChatRef, thread_id: int, *, by: User) -> None:
        chat = self._forum_run_by(group, by)
        message = forum.set_closed(chat, by.to_dict(), thread_id, closed=False)
        self._deliver(self._bot(), {"message": message})

    def delete_topic(self, group: ChatRef, thread_id: int, *, by: User) -> None:
        """`by` deletes the topic and everything in it; sends into it fail from now on."""
        chat = self._forum_run_by(group, by)
        forum.remove_topic(chat, thread_id)
        self._log.mark()
