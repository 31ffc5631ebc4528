"""Forum supergroups: topics opened, closed, reopened and deleted, and who may write in them.

Shared by the Bot API methods (`methods/topics.py`) and the users' side (`forum_actions.py`).
As on Telegram: a topic's message_thread_id is the message_id of the `forum_topic_created`
service message that opened it; every message in a topic carries message_thread_id and
is_topic_message and, unless it replies to something else, replies to that service message;
General has no thread id; deleting a topic deletes its messages; a closed topic takes messages
only from admins who may manage topics. A send into a deleted (or never created) topic gets
400 "message thread not found", into a closed one 400 "TOPIC_CLOSED" (the descriptions bots
see from the real Bot API, e.g. tdlib/telegram-bot-api#854 and #472 for the first, the
TOPIC_CLOSED reports of grammY/PTB users for the second).
"""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import ApiError, bad_request
from bot.emulator.models import Chat, ForumTopic
from bot.emulator.state import now_unix

# The colours createForumTopic accepts (the spec's list); the first is Telegram's default.
ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
THREAD_NOT_FOUND = "message thread not found"
TOPIC_CLOSED = "TOPIC_CLOSED"


def thread_not_found() -> ApiError:
    return bad_request(THREAD_NOT_FOUND)


def topic_closed() -> ApiError:
    return bad_request(TOPIC_CLOSED)


def may_manage_topics(chat: Chat, user_id: int) -> bool:
    """The chat's creator, or an admin whose rights do not take can_manage_topics away."""
    status = chat.status_of(user_id)
    if status == "creator":
        return True
    rights = chat.admin_rights.get(user_id, {})
    return status == "administrator" and rights.get("can_manage_topics", True)


def topic_of(chat: Chat, thread_id: int) -> ForumTopic:
    """The open or closed topic `thread_id` of a forum; 400 "message thread not found"."""
    topic = chat.topics.get(thread_id) if chat.is_forum else None
    if topic is None:
        raise thread_not_found()
    return topic


def check_can_write(chat: Chat, user_id: int, thread_id: int) -> ForumTopic:
    """Whether `user_id` may post in the topic now (it exists, and is open or theirs to run)."""
    topic = topic_of(chat, thread_id)
    if topic.closed and not may_manage_topics(chat, user_id):
        raise topic_closed()
    return topic


def in_topic(chat: Chat, thread_id: int, message: dict[str, Any]) -> None:
    """Marks `message` as posted in the topic (a reply to its opening unless a reply already)."""
    message["message_thread_id"] = thread_id
    message["is_topic_message"] = True
    root = chat.messages.get(thread_id)
    if "reply_to_message" not in message and root is not None:
        message["reply_to_message"] = {k: v for k, v in root.items() if k != "reply_to_message"}


def open_topic(
    chat: Chat, sender: dict[str, Any], name: str, icon_color: int | None = None
) -> tuple[ForumTopic, dict[str, Any]]:
    """A new topic and its `forum_topic_created` service message (stored in the chat)."""
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    color = ICON_COLORS[0] if icon_color is None else icon_color
    thread_id = chat.take_message_id()
    topic = ForumTopic(thread_id, name, color, creator_id=sender["id"])
    message = {
        "message_id": thread_id,
        "message_thread_id": thread_id,
        "is_topic_message": True,
        "from": sender,
        "chat": chat.to_dict(),
        "date": now_unix(),
        "forum_topic_created": {"name": name, "icon_color": color},
    }
    chat.topics[thread_id] = topic
    chat.messages[thread_id] = message
    return topic, message


def set_closed(chat: Chat, sender: dict[str, Any], thread_id: int, closed: bool) -> dict[str, Any]:
    """Closes or reopens a topic; returns the service message (stored in the chat)."""
    topic = topic_of(chat, thread_id)
    if topic.closed == closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.closed = closed
    message: dict[str, Any] = {
        "message_id": chat.take_message_id(),
        "from": sender,
        "chat": chat.to_dict(),
        "date": now_unix(),
        "forum_topic_closed" if closed else "forum_topic_reopened": {},
    }
    in_topic(chat, thread_id, message)
    chat.messages[message["message_id"]] = message
    return message


def remove_topic(chat: Chat, thread_id: int) -> int:
    """Deletes a topic with all its messages; returns how many messages went."""
    topic_of(chat, thread_id)
    del chat.topics[thread_id]
    gone = [
        message_id
        for message_id, message in chat.messages.items()
        if message_id == thread_id or message.get("message_thread_id") == thread_id
    ]
    for message_id in gone:
        chat.messages.pop(message_id, None)
        chat.bot_message_ids.discard(message_id)
    return len(gone)
