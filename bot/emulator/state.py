"""The emulated world: bots, users, chats, messages, files, pending queries and update queues.

Identifiers look like Telegram's today: user and bot ids above 2^32 (so a 32-bit column in the
bot's database overflows here rather than in production), basic groups around -4 000 000 000,
supergroups and channels as -100xxxxxxxxxx.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError
from bot.emulator.faults import MIGRATED_DESCRIPTION
from bot.emulator.models import Chat, StoredFile, User

# Telegram leaves these out unless a bot lists them in allowed_updates.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def chat_not_found() -> ApiError:
    return ApiError(400, "Bad Request: chat not found")


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class LongPoll:
    """A getUpdates request that is waiting for updates."""

    is_alive: Callable[[], bool]
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    terminated: str | None = None
    closing: bool = False

    def terminate(self, description: str) -> None:
        """Ends the poll with 409 and `description` (another poll or setWebhook took over)."""
        self.terminated = description
        self.wake.set()

    def close(self) -> None:
        """Ends the poll at once with no updates (the emulator is stopping)."""
        self.closing = True
        self.wake.set()


@dataclass
class BotAccount:
    token: str
    user: User
    can_join_groups: bool = True
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = False
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    next_update_id: int = 100_000_001
    allowed_updates: frozenset[str] | None = None  # None: Telegram's default set
    webhook: WebhookConfig | None = None
    commands: dict[tuple[str, int | None, int | None, str], list[dict[str, Any]]] = field(
        default_factory=dict
    )
    # setMyDescription / setMyShortDescription, by language_code ("" for the default).
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)
    poll: LongPoll | None = None
    blocked_by: set[int] = field(default_factory=set)
    started_by: set[int] = field(default_factory=set)

    @property
    def id(self) -> int:
        return self.user.id

    def me(self) -> dict[str, Any]:
        """The getMe answer."""
        data = self.user.to_dict()
        data.update(
            can_join_groups=self.can_join_groups,
            can_read_all_group_messages=self.can_read_all_group_messages,
            supports_inline_queries=self.supports_inline_queries,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return data

    def accepts(self, update_type: str) -> bool:
        if self.allowed_updates is None:
            return update_type not in DEFAULT_EXCLUDED_UPDATES
        return update_type in self.allowed_updates

    def wake_poll(self) -> None:
        if self.poll is not None:
            self.poll.wake.set()


@dataclass
class CallbackQueryRecord:
    id: str
    token: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str | None
    created: float
    answered: bool = False


@dataclass
class InlineQueryRecord:
    id: str
    token: str
    user_id: int
    query: str
    created: float
    answered: bool = False


class World:
    """Everything the emulator knows, shared by the HTTP side and the test-facing side."""

    def __init__(self) -> None:
        self.bots: dict[str, BotAccount] = {}
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.usernames: dict[str, int] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.inline_queries: dict[str, InlineQueryRecord] = {}
        self.dropped_updates: list[dict[str, Any]] = []
        self._user_ids = itertools.count(7_000_000_001)
        self._bot_ids = itertools.count(8_100_000_001)
        self._group_ids = itertools.count(4_000_000_001)
        self._supergroup_ids = itertools.count(1_002_000_000_001)
        self._query_ids = itertools.count(4_200_000_000_000_000_001)
        self._file_ids = itertools.count(1)

    # -- identities ---------------------------------------------------------------------------

    def new_user_id(self) -> int:
        return next(self._user_ids)

    def new_bot_id(self) -> int:
        return next(self._bot_ids)

    def new_group_id(self) -> int:
        return -next(self._group_ids)

    def new_supergroup_id(self) -> int:
        return -next(self._supergroup_ids)

    def new_query_id(self) -> str:
        return str(next(self._query_ids))

    def new_file_ids(self) -> tuple[str, str, int]:
        serial = next(self._file_ids)
        return f"BQACAgIAAxkDAAI{serial:08d}emu", f"AgAD{serial:08d}", serial

    def add_chat(self, chat: Chat) -> Chat:
        self.chats[chat.id] = chat
        if chat.username and chat.type != "private":
            self.usernames[chat.username.lower()] = chat.id
        return chat

    # -- lookups ------------------------------------------------------------------------------

    def find_chat(self, chat_id: Any) -> Chat | None:
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            found = self.usernames.get(chat_id[1:].lower())
            return self.chats.get(found) if found is not None else None
        return None

    def resolve_chat(self, chat_id: Any) -> Chat:
        """The chat a request names; 400 "chat not found" or the migration answer otherwise."""
        chat = self.find_chat(chat_id)
        if chat is None:
            raise chat_not_found()
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                MIGRATED_DESCRIPTION,
                parameters={"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def user_chat(self, user: User) -> Chat:
        """The private chat with `user` (chat id == user id), created on first use."""
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.add_chat(
                Chat(
                    id=user.id,
                    type="private",
                    username=user.username,
                    first_name=user.first_name,
                    last_name=user.last_name,
                )
            )
        return chat

    # -- messages -----------------------------------------------------------------------------

    def store_message(self, chat: Chat, message: dict[str, Any], *, by_bot: bool) -> None:
        chat.messages[message["message_id"]] = message
        if by_bot:
            chat.bot_message_ids.add(message["message_id"])

    def remove_message(self, chat: Chat, message_id: int) -> dict[str, Any] | None:
        chat.bot_message_ids.discard(message_id)
        return chat.messages.pop(message_id, None)

    # -- updates ------------------------------------------------------------------------------

    def queue_update(self, bot: BotAccount, body: dict[str, Any]) -> dict[str, Any]:
        """Gives `body` (one update field) the next update_id and queues it for `bot`.

        Updates of a type the bot's allowed_updates exclude are dropped, as Telegram drops
        them; they are kept in `dropped_updates` for inspection.
        """
        update = {"update_id": bot.next_update_id, **body}
        bot.next_update_id += 1
        kind = next(key for key in body)
        if not bot.accepts(kind):
            self.dropped_updates.append(update)
            return update
        bot.pending.append(update)
        bot.wake_poll()
        return update


def now_unix() -> int:
    return int(time.time())
