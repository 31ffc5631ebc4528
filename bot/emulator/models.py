"""The small public dataclasses tests hold on to: users, chats, recorded calls and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHAT_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")


@dataclass(frozen=True)
class User:
    """A Telegram account (a person or a bot). Hashable, so it can key `members=` dicts."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `User` object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> User:
        return cls(
            id=data["id"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name"),
            username=data.get("username"),
            language_code=data.get("language_code"),
            is_bot=bool(data.get("is_bot", False)),
        )


@dataclass
class ForumTopic:
    """A topic of a forum supergroup; its id is the id of the service message that opened it."""

    message_thread_id: int
    name: str
    icon_color: int
    creator_id: int
    closed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `ForumTopic` object."""
        return {
            "message_thread_id": self.message_thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }


@dataclass(eq=False)
class Chat:
    """A chat as the emulator keeps it: identity, members and the messages in it.

    `members` maps user id to a status ("creator", "administrator", "member", "restricted",
    "left", "kicked"); bots are members like anyone else. `messages` holds every message in the
    chat in its current state (edits applied, deletions removed), keyed by message_id. A forum
    (`is_forum`) keeps its open and closed `topics` by message_thread_id; a deleted topic is gone
    from there, with its messages.
    """

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    admin_rights: dict[int, dict[str, bool]] = field(default_factory=dict)
    migrated_to: int | None = None
    migrated_from: int | None = None
    messages: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    bot_message_ids: set[int] = field(default_factory=set, repr=False)
    topics: dict[int, ForumTopic] = field(default_factory=dict, repr=False)
    next_message_id: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `Chat` object."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value:
                data[key] = value
        if self.is_forum:
            data["is_forum"] = True
        return data

    def status_of(self, user_id: int) -> str:
        return self.members.get(user_id, "left")

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request, exactly as the bot uploaded it."""

    field: str
    filename: str | None
    content: bytes
    mime_type: str | None = None


@dataclass(frozen=True)
class StoredFile:
    """A file the emulator knows by file_id (uploaded by the bot); `content` is the bytes."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    content: bytes
    mime_type: str | None
    file_path: str
    reported_size: int | None = None  # a user's file too big to build in a test

    @property
    def file_size(self) -> int:
        return len(self.content) if self.reported_size is None else self.reported_size


@dataclass
class Call:
    """One request the bot made and the answer it got.

    `params` are decoded to Python values (ints, bools, parsed JSON; uploaded files as
    `UploadedFile`). `started` and `finished` are `time.monotonic()` readings.
    """

    index: int
    method: str
    params: dict[str, Any]
    token: str
    status: int
    response: dict[str, Any]
    started: float
    finished: float
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.response.get("ok") is True

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def error_code(self) -> int | None:
        return self.response.get("error_code")

    @property
    def description(self) -> str | None:
        return self.response.get("description")

    @property
    def chat_id(self) -> int | str | None:
        """The chat the call was about: the answer's chat when known, else the chat_id sent."""
        result = self.result
        if isinstance(result, dict) and isinstance(result.get("chat"), dict):
            return result["chat"].get("id")
        return self.params.get("chat_id")

    def summary(self, origin: float | None = None) -> str:
        """One readable line, for timeout messages and console output."""
        shown = []
        for key, value in self.params.items():
            text = repr(value.filename) if isinstance(value, UploadedFile) else repr(value)
            if len(text) > 60:
                text = text[:57] + "..."
            shown.append(f"{key}={text}")
        when = f"+{self.finished - origin:.3f}s " if origin is not None else ""
        if self.ok:
            outcome = "ok"
            result = self.result
            if isinstance(result, dict) and "message_id" in result:
                outcome += f" message_id={result['message_id']}"
            elif isinstance(result, list):
                outcome += f" [{len(result)} items]"
        else:
            outcome = f"{self.error_code} {self.description}"
        return f"#{self.index} {when}{self.method}({', '.join(shown)}) -> {outcome}"
