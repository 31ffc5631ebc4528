"""A forum group's notes go to its topic; when Telegram says the topic is gone, to General.

Telegram refuses a send into a deleted topic with 400 "Bad Request: message thread not found"
(some servers say "TOPIC_DELETED"), and into a closed one with 400 "Bad Request: TOPIC_CLOSED"
(the bot may not post there unless it manages topics). python-telegram-bot drops the
"Bad Request: " prefix and capitalises the rest: "Message thread not found", "Topic_closed".
The dispatcher then sends the note to General instead, and the first note there starts with a
word to the admins (`with_fallback_notice`), once.
"""

from __future__ import annotations

from telegram.error import BadRequest

from bot.core.rules import Rules

_GONE = ("message thread not found", "topic_closed", "topic_deleted")


def is_topic_gone(error: BadRequest) -> bool:
    """Whether Telegram refused a send because its topic was deleted or closed."""
    message = error.message.lower()
    return any(gone in message for gone in _GONE)


def with_fallback_notice(rules: Rules, locale: str, text: str) -> str:
    """The note, after a word to the admins on why it comes to General now."""
    return f"{rules.text('cohort.topic_fallback', locale)}\n\n{text}"
