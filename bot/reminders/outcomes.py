"""Send one reminder message and record what came of it, right after the send.

The outcomes, by what Telegram answered: accepted (sent); the chat refused the bot (blocked,
handled by the caller's `OnForbidden`); the chat moved to a supergroup (moved, sent again
once); slow down (`FloodWait` for the round to stop); a forum topic deleted or closed
(`TopicGone`, for the caller to send to General); a bad request (failed, for good);
anything transient (retried with a doubling backoff, failed after `max_attempts`). Sent rows
are recorded in batches (`record_sent`, which the dispatcher calls once its sends in flight have
all come back); every other outcome is recorded right away. Why that keeps a crash to at most N
duplicate messages: the module docstring of `bot.reminders.dispatcher`.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot import actions
from bot.reminders.pacing import SendPacer
from bot.reminders.topics import is_topic_gone
from bot.store import Store
from bot.store.leased import LeasedRows

log = logging.getLogger(__name__)

# Reminders are sent with `do_api_request`, which returns Telegram's answer as it came instead
# of building a Message from it (a fifth of the dispatcher's CPU, and the message is not used).
# PTB warns when that is done for a method it knows; here it is on purpose.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.sendMessage' instead", category=PTBUserWarning
)


class Queued(Protocol):
    """A row the dispatcher sends: a milestone note or a check-in."""

    @property
    def id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def attempts(self) -> int: ...


@dataclass
class TickReport:
    """What one round did, counted in notes (twins sent together count once each)."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0  # left pending for a later round: flood wait, backoff, or one chat's turn
    messages: int = 0
    full: bool = False  # the batch was full: more may be due right now

    @property
    def total(self) -> int:
        return self.sent + self.skipped + self.failed + self.retried


# What to do when a chat refuses a message (the bot was blocked or removed).
OnForbidden = Callable[[int, Sequence[Queued], Forbidden, TickReport], Awaitable[None]]


class FloodWait(Exception):
    """Telegram asked the bot to send nothing until `until`."""

    def __init__(self, until: datetime) -> None:
        self.until = until


class TopicGone(Exception):
    """The forum topic `thread` refused the message: deleted or closed (`topics`)."""

    def __init__(self, thread: int, reason: str) -> None:
        self.thread = thread
        self.reason = reason


def retry_after_of(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():
        # PTB warns that the int form of retry_after is deprecated; both forms are handled.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class Sender:
    """Sends through the pacer and records each outcome in the row's queue."""

    def __init__(
        self,
        store: Store,
        bot: Bot,
        clock: Callable[[], datetime],
        pacer: SendPacer,
        *,
        max_attempts: int,
        backoff: timedelta,
    ) -> None:
        self._store = store
        self._bot = bot
        self._clock = clock
        self._pacer = pacer
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._unrecorded: dict[LeasedRows, list[int]] = {}  # accepted, not recorded as sent yet

    async def send(
        self,
        queue: LeasedRows,
        group: Sequence[Queued],
        what: str,
        text: str,
        markup: InlineKeyboardMarkup | None,
        report: TickReport,
        refused: OnForbidden,
        *,
        thread: int | None = None,
    ) -> bool:
        """Send one message for `group` (into forum topic `thread`, if any); record a failure
        in `queue` right after, an acceptance at the next `record_sent`. True if Telegram
        accepted it.

        Raises `FloodWait`, or `TopicGone` when `thread` was deleted or closed (nothing
        recorded: the caller puts the rows back).
        """
        ids = [item.id for item in group]
        chat_id = group[0].chat_id
        for _ in range(2):  # a second try only after a group moved to a supergroup
            try:
                async with self._pacer.send(chat_id):
                    await self._bot.do_api_request(
                        "sendMessage",
                        {
                            "chat_id": chat_id,
                            "text": text,
                            "parse_mode": ParseMode.HTML,
                            "reply_markup": markup,
                            "message_thread_id": thread,
                        },
                    )
            except ChatMigrated as error:
                await actions.move_chat(self._store, chat_id, error.new_chat_id)
                log.info("chat %s became %s; reminders moved", chat_id, error.new_chat_id)
                chat_id = error.new_chat_id
                continue
            except RetryAfter as error:
                raise FloodWait(self._clock() + retry_after_of(error)) from error
            except Forbidden as error:
                await refused(chat_id, group, error, report)
            except BadRequest as error:
                if thread is not None and is_topic_gone(error):
                    raise TopicGone(thread, error.message) from error
                await self._give_up(queue, group, what, f"bad request: {error.message}", report)
            except TelegramError as error:  # TimedOut, NetworkError (5xx), anything transient
                await self._retry_or_give_up(queue, group, what, error, report)
            else:
                self._unrecorded.setdefault(queue, []).extend(ids)
                report.sent += len(ids)
                report.messages += 1
                return True
            return False
        await self._give_up(queue, group, what, "chat kept migrating", report)
        return False

    async def record_sent(self) -> None:
        """Record every accepted message since the last call as sent: one write per queue."""
        unrecorded, self._unrecorded = self._unrecorded, {}
        now = self._clock()
        for queue, ids in unrecorded.items():
            await queue.mark_sent(ids, now)

    async def _retry_or_give_up(
        self,
        queue: LeasedRows,
        group: Sequence[Queued],
        what: str,
        error: TelegramError,
        report: TickReport,
    ) -> None:
        attempts = max(item.attempts for item in group) + 1
        reason = f"{type(error).__name__}: {error.message}"
        if attempts >= self._max_attempts:
            await self._give_up(queue, group, what, reason, report)
            return
        retry_at = self._clock() + self._backoff * 2 ** (attempts - 1)
        await queue.retry_later([i.id for i in group], reason, retry_at)
        log.warning(
            "reminder to chat %s failed (%s); retry at %s", group[0].chat_id, error, retry_at
        )
        report.retried += len(group)

    async def _give_up(
        self,
        queue: LeasedRows,
        group: Sequence[Queued],
        what: str,
        reason: str,
        report: TickReport,
    ) -> None:
        await queue.mark_failed([i.id for i in group], reason)
        log.error(
            "gave up on reminder %s for chat %s (rows %s): %s",
            what,
            group[0].chat_id,
            [i.id for i in group],
            reason,
        )
        report.failed += len(group)
