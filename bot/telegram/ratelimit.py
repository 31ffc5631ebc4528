"""Telegram's flood limits apply to messages, so only messages spend them.

python-telegram-bot's AIORateLimiter counts every request that names a group's chat_id against
that group's 20-per-minute budget, getChatMember included: a burst of button presses, each
asking Telegram whether the presser is an admin, used up the budget, left the presses spinning
and held back the group's own reminders. Here sends and edits keep the per-chat and overall
limits; look-ups and answers pass straight through (still with the 429 retry handling).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

# Methods that put a message into a chat or change one there (what Telegram rate-limits).
_LIMITED_PREFIXES = ("send", "edit", "copymessage", "forwardmessage", "stoppoll")


def spends_message_budget(endpoint: str) -> bool:
    lowered = endpoint.lower()
    return lowered.startswith(_LIMITED_PREFIXES) and lowered != "sendchataction"


class MessageRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if not spends_message_budget(endpoint):
            # Without a chat_id the parent applies neither the group nor the overall limiter.
            data = {key: value for key, value in data.items() if key != "chat_id"}
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
