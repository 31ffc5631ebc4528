"""Acting as Telegram users: each action builds a realistic Update and queues it for the bot.

Updates carry what Telegram would send: a unique increasing update_id, date, from, chat and
entities (a `bot_command` for "/cmd" and "/cmd@bot args", `mention` and `url` where present).
Telegram's delivery rules apply: in groups a bot in privacy mode only sees commands, replies to
its own messages and mentions of it (unless it is an administrator); `chat_member` updates need
the bot to be an administrator; updates outside the bot's allowed_updates are dropped. Every
action moves the waiting cursor (see `observe.py`), so the next `await emu.next_message(...)`
looks at the bot's reaction to it. Entity detection and privacy mode are in `user_text`;
membership changes, blocking and a group's migration in `membership_actions`.
"""

from __future__ import annotations

import copy
import hashlib
import time
from typing import Any

from bot.emulator import forum
from bot.emulator.errors import ApiError
from bot.emulator.models import Chat, User
from bot.emulator.observe import CallLog, ChatRef, chat_id_of
from bot.emulator.state import (
    BotAccount,
    CallbackQueryRecord,
    InlineQueryRecord,
    World,
    now_unix,
)
from bot.emulator.user_text import bot_reads, user_entities


def _chat_instance(chat: Chat) -> str:
    return str(int(hashlib.sha256(str(chat.id).encode()).hexdigest()[:15], 16))


def _place_in_thread(
    user: User,
    chat: Chat,
    topic: int | None,
    replied: dict[str, Any] | None,
    content: dict[str, Any],
) -> None:
    """A message goes into `topic` (or the topic of the message it replies to); a reply in a
    supergroup outside topics belongs to the reply chain's thread, without is_topic_message."""
    if topic is None and replied is not None and replied.get("is_topic_message"):
        topic = replied["message_thread_id"]
    if topic is not None:
        try:
            forum.check_can_write(chat, user.id, topic)
        except ApiError as refused:
            problem = f"{user.first_name} can't write in topic {topic}: {refused}"
            raise ValueError(problem) from None
        forum.in_topic(chat, topic, content)
    elif replied is not None and chat.type == "supergroup":
        content["message_thread_id"] = replied.get("message_thread_id", replied["message_id"])


class UserActionsMixin:
    """User-side actions. Mixed into `Emulator`; updates go to its default bot."""

    world: World
    _log: CallLog

    def _bot(self) -> BotAccount:
        raise NotImplementedError

    # -- helpers ------------------------------------------------------------------------------

    def _target_chat(self, user: User, chat: ChatRef | None) -> Chat:
        if chat is None:
            return self.world.user_chat(user)
        found = self.world.chats.get(chat_id_of(chat))
        if found is None:
            raise KeyError(f"no chat {chat_id_of(chat)}; create it with add_group/add_channel")
        if found.migrated_to is not None:
            raise ValueError(f"chat {found.id} became supergroup {found.migrated_to}")
        return found

    def _check_can_write(self, bot: BotAccount, user: User, chat: Chat) -> None:
        if chat.type == "private":
            if chat.id != user.id:
                raise ValueError(f"{user.first_name} can't write in {chat.first_name}'s chat")
            if user.id in bot.blocked_by:
                raise ValueError(f"{user.first_name} blocked the bot; call unblock() first")
            return
        if chat.type == "channel":
            raise ValueError("users don't write in channels; use forward_channel_post()")
        if chat.status_of(user.id) in ("left", "kicked"):
            raise ValueError(
                f"{user.first_name} is not a member of {chat.title!r}; pass members= to add_group"
            )

    def _user_message(self, user: User, chat: Chat, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": chat.take_message_id(),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": now_unix(),
            **content,
        }
        self.world.store_message(chat, message, by_bot=False)
        return message

    def _deliver(self, bot: BotAccount, body: dict[str, Any], *, visible: bool = True) -> dict:
        self._log.mark()
        if not visible:
            update = {"update_id": None, **body}
            self.world.dropped_updates.append(update)
            return update
        return self.world.queue_update(bot, body)

    def _current_message(
        self, user: User, message: dict[str, Any] | int, chat: ChatRef | None
    ) -> tuple[Chat, dict[str, Any]]:
        if isinstance(message, dict):
            target = self._target_chat(user, message["chat"]["id"])
            message_id = message["message_id"]
        else:
            target = self._target_chat(user, chat)
            message_id = message
        current = target.messages.get(message_id)
        if current is None:
            raise KeyError(f"message {message_id} is not in chat {target.id} (deleted?)")
        return target, current

    # -- actions ------------------------------------------------------------------------------

    def send_text(
        self,
        user: User,
        text: str,
        chat: ChatRef | None = None,
        *,
        reply_to: dict[str, Any] | int | None = None,
        topic: int | None = None,
    ) -> dict[str, Any]:
        """`user` sends `text` (to the private chat with the bot unless `chat` is given; into
        the forum topic `topic`, else its General)."""
        bot = self._bot()
        target = self._target_chat(user, chat)
        self._check_can_write(bot, user, target)
        replied = None
        if reply_to is not None:
            replied_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
            replied = target.messages.get(replied_id)
            if replied is None:
                raise KeyError(f"message {replied_id} is not in chat {target.id}")
        content: dict[str, Any] = {"text": text}
        entities = user_entities(text)
        if entities:
            content["entities"] = entities
        if replied is not None:
            content["reply_to_message"] = {
                key: value for key, value in replied.items() if key != "reply_to_message"
            }
        _place_in_thread(user, target, topic, replied, content)
        message = self._user_message(user, target, **content)
        if target.type == "private":
            bot.started_by.add(user.id)
        visible = bot_reads(bot, target, text, replied)
        return self._deliver(bot, {"message": message}, visible=visible)

    def press(
        self,
        user: User,
        message: dict[str, Any] | int,
        callback_data: str,
        chat: ChatRef | None = None,
    ) -> dict[str, Any]:
        """`user` presses a callback button with `callback_data` under a bot message."""
        bot = self._bot()
        target, current = self._current_message(user, message, chat)
        if target.type != "channel":  # anyone who sees a channel post can press its buttons
            self._check_can_write(bot, user, target)
        query_id = self.world.new_query_id()
        self.world.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id,
            token=bot.token,
            user_id=user.id,
            chat_id=target.id,
            message_id=current["message_id"],
            data=callback_data,
            created=time.monotonic(),
        )
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": copy.deepcopy(current),
            "chat_instance": _chat_instance(target),
            "data": callback_data,
        }
        return self._deliver(bot, {"callback_query": query})

    def press_button(
        self,
        user: User,
        message: dict[str, Any] | int,
        text_or_index: str | int,
        chat: ChatRef | None = None,
    ) -> dict[str, Any]:
        """Presses the inline button with that label (exact, else unique substring) or flat
        index, in the message's current keyboard."""
        _, current = self._current_message(user, message, chat)
        rows = current.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        if not buttons:
            raise ValueError(f"message {current['message_id']} has no inline keyboard")
        labels = [button.get("text", "") for button in buttons]
        if isinstance(text_or_index, int):
            if not 0 <= text_or_index < len(buttons):
                raise IndexError(f"no button #{text_or_index}; buttons: {labels}")
            button = buttons[text_or_index]
        else:
            exact = [b for b in buttons if b.get("text") == text_or_index]
            partial = [b for b in buttons if text_or_index in b.get("text", "")]
            matches = exact or partial
            if len(matches) != 1:
                problem = "no button" if not matches else "several buttons"
                raise ValueError(f"{problem} labelled {text_or_index!r}; buttons: {labels}")
            button = matches[0]
        if "callback_data" not in button:
            kind = next((key for key in button if key != "text"), "plain")
            raise ValueError(f"button {button.get('text')!r} is a {kind} button, not a callback")
        return self.press(user, current, button["callback_data"])

    def inline_query(
        self, user: User, query: str, *, offset: str = "", chat_type: str = "sender"
    ) -> dict[str, Any]:
        """`user` types "@bot query" in some chat; await `inline_answer(update)` for results."""
        bot = self._bot()
        if not bot.supports_inline_queries:
            raise ValueError(
                "the bot has inline mode off; use add_bot(..., supports_inline_queries=True)"
            )
        query_id = self.world.new_query_id()
        self.world.inline_queries[query_id] = InlineQueryRecord(
            id=query_id, token=bot.token, user_id=user.id, query=query, created=time.monotonic()
        )
        body = {
            "id": query_id,
            "from": user.to_dict(),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return self._deliver(bot, {"inline_query": body})

    def forward_channel_post(
        self,
        user: User,
        channel: ChatRef,
        text: str = "A post from the channel",
        *,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """`user` forwards a post of `channel` to the bot (forward_origin type "channel")."""
        bot = self._bot()
        source = self.world.chats[chat_id_of(channel)]
        if source.type != "channel":
            raise ValueError(f"chat {source.id} is not a channel")
        target = self.world.user_chat(user)
        self._check_can_write(bot, user, target)
        if message_id is None:
            message_id = source.take_message_id()
        origin = {
            "type": "channel",
            "chat": source.to_dict(),
            "message_id": message_id,
            "date": now_unix() - 60,
        }
        content: dict[str, Any] = {"forward_origin": origin, "text": text}
        if entities := user_entities(text):
            content["entities"] = entities
        message = self._user_message(user, target, **content)
        bot.started_by.add(user.id)
        return self._deliver(bot, {"message": message})

    def queue_update(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queues a hand-made update body such as {"message": {...}}; assigns update_id."""
        return self._deliver(self._bot(), body)
