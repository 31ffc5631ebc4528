"""Send the milestone notes that are due, once each, within Telegram's limits.

One round (`tick`): read the due notes (indexed, at most `batch_size`), record as skipped those
older than the 72-hour grace window, those of paused subscriptions and those whose milestone no
longer exists; claim the rest; group twins in one chat into one message; send sequentially
through the PTB bot and record each outcome right after its send. `pacing.SendPacer` holds the
sends to Telegram's limits (30 in any second overall, one per second per chat; the bot's
AIORateLimiter alone lets a burst through), and a round sends at most one message per chat.
While a backlog lasts, rounds follow each other at once: the pacer sets the speed.

Exactly once: a note is recorded as sent right after Telegram accepted it. A process that dies
between a send and its record leaves the note claimed; the claim (lease) runs out and another
round sends it again. Sends go one at a time, so a crash can duplicate at most the one message
in flight (sent, not yet recorded; twins in one chat share it), and never loses one: the rest of
the round's claimed notes were not sent yet and go out, once, when their lease runs out. A send
that timed out although Telegram accepted it is retried: the same one-message window. Two
dispatchers on one database never send the same note, because only the one whose claim changed
the row sends it. With several replicas only the elected leader runs a dispatcher (`leader`);
`active` tells a round to stop between two messages when this process stops leading, and gives
the rest of its claimed notes back.

A forum group's notes go into the topic where its admin ran /subscribe. When Telegram says that
topic was deleted or closed, the note is given back unsent and goes to General in the next
round, starting with a word to the admins; from then on notes go to General (`topics`).

Check-ins ("check on us in 2 hours", `store.check_ins`) go out in the same round, after the
notes, with the same claim, record, retry and one-message-per-chat rules; one that could not go
out within `CHECK_IN_GRACE` of its time is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot import actions
from bot.core.milestones import group_twins, is_within_grace
from bot.core.rules import Rules
from bot.core.tips import topic_of
from bot.metrics import record_reminders
from bot.reminders.check_in_message import check_in_message
from bot.reminders.pacing import MESSAGES_PER_SECOND, SendPacer
from bot.reminders.rendering import cohort_message, note_message, tip_message
from bot.reminders.topics import is_topic_gone, with_fallback_notice
from bot.store import Store
from bot.store.blocking import PAUSED_REASON
from bot.store.check_ins import CheckIn
from bot.store.deliveries import DueNote
from bot.store.leased import LeasedRows
from bot.store.subscriptions import COHORT, TIPS

log = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=30)  # doubled after every failed attempt
LEASE = timedelta(minutes=10)  # far longer than a round takes, even with 429 waits inside it
# A "check on us in 2 hours" that could not go out for this long is no use any more: skipped.
CHECK_IN_GRACE = timedelta(hours=6)


class Queued(Protocol):
    """A row the dispatcher sends: a milestone note or a check-in."""

    @property
    def id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def attempts(self) -> int: ...


# What to do when a chat refuses a message (the bot was blocked or removed).
OnForbidden = Callable[[int, Sequence[Queued], Forbidden, "TickReport"], Awaitable[None]]


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


def retry_after_of(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():
        # PTB warns that the int form of retry_after is deprecated; both forms are handled.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _always() -> bool:
    return True


class _FloodWait(Exception):
    def __init__(self, until: datetime) -> None:
        self.until = until


class _TopicGone(Exception):
    """The forum topic `thread` refused the note: deleted or closed (`topics`)."""

    def __init__(self, thread: int, reason: str) -> None:
        self.thread = thread
        self.reason = reason


class Dispatcher:
    def __init__(
        self,
        store: Store,
        rules: Rules,
        bot: Bot,
        clock: Callable[[], datetime],
        *,
        batch_size: int = BATCH_SIZE,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: timedelta = BACKOFF,
        lease: timedelta = LEASE,
        max_per_second: int | None = MESSAGES_PER_SECOND,
        active: Callable[[], bool] = _always,
    ) -> None:
        self._store = store
        self._rules = rules
        self._bot = bot
        self._clock = clock
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._lease = lease
        self._pacer = SendPacer(max_per_second)
        self._active = active
        self._flood_until: datetime | None = None

    async def tick(self) -> TickReport:
        """One round; see the module docstring."""
        report = TickReport()
        now = self._clock()
        if self._flood_until is not None and now < self._flood_until:
            return report
        deliveries = self._store.deliveries
        notes = await deliveries.due(now, self._batch_size)
        report.full = len(notes) >= self._batch_size
        live = await self._skip_unsendable(notes, now, report)
        claimed = await deliveries.claim([n.id for n in live], now, now + self._lease)
        messages = self._messages([n for n in live if n.id in claimed])
        served: set[int] = set()
        for position, group in enumerate(messages):
            if not self._active():  # no longer the leader: another replica takes over
                for rest in messages[position:]:
                    await self._put_back(rest, None, report)
                break
            if group[0].chat_id in served:
                await self._put_back(group, None, report)
                continue
            served.add(group[0].chat_id)
            try:
                await self._deliver(group, report)
            except _FloodWait as wait:
                # Telegram asked the bot to slow down: nobody gets anything until then.
                self._flood_until = wait.until
                for rest in messages[position:]:
                    await self._put_back(rest, wait.until, report)
                return report
        if self._active():
            await self._check_ins(now, served, report)
        return report

    async def _check_ins(self, now: datetime, served: set[int], report: TickReport) -> None:
        """The same round for due check-ins: skip the stale, claim, send one per chat."""
        queue = self._store.check_ins
        due = await queue.due(now, self._batch_size)
        report.full = report.full or len(due) >= self._batch_size
        stale = [c.id for c in due if now - c.due_at > CHECK_IN_GRACE]
        await queue.mark_skipped(stale, "older than the check-in grace window when due")
        report.skipped += len(stale)
        live = [c for c in due if c.id not in stale]
        claimed = await queue.claim([c.id for c in live], now, now + self._lease)
        items = [c for c in live if c.id in claimed]
        for position, item in enumerate(items):
            if not self._active() or item.chat_id in served:
                await self._put_back((item,), None, report, queue)
                continue
            served.add(item.chat_id)
            try:
                await self._deliver_check_in(item, report)
            except _FloodWait as wait:
                self._flood_until = wait.until
                for rest in items[position:]:
                    await self._put_back((rest,), wait.until, report, queue)
                return

    async def _deliver_check_in(self, item: CheckIn, report: TickReport) -> None:
        locale = self._rules.pick_locale(item.locale)
        text, markup = check_in_message(self._rules, locale, item.id)
        await self._send(
            self._store.check_ins, (item,), "check-in", text, markup, report, self._refused
        )

    async def _refused(
        self, chat_id: int, items: Sequence[Queued], error: Forbidden, report: TickReport
    ) -> None:
        """A parent who blocked the bot gets no check-in; nothing else changes."""
        report.failed += len(items)
        await self._store.check_ins.mark_failed(
            [i.id for i in items], f"forbidden: {error.message}"
        )
        log.warning("chat %s refused a check-in (%s)", chat_id, error)

    async def run_forever(self, stop: asyncio.Event, interval: float) -> None:
        """The one repeating driver: a round every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            delay = interval
            try:
                report = await self.tick()
            except Exception:
                log.exception("reminder round failed; the next round will try again")
            else:
                record_reminders(report)
                if report.total:
                    log.info("reminders: %s", report)
                if report.full:
                    delay = 0.0  # drain a backlog; the pacer keeps to Telegram's limits
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)

    def _known(self, note: DueNote) -> bool:
        """Whether the rules still have what the note shows (a milestone, or a tip's topic)."""
        if note.kind == TIPS:
            return topic_of(note.milestone_id) in self._rules.explainers
        return note.milestone_id in self._rules.milestones

    async def _skip_unsendable(
        self, notes: Sequence[DueNote], now: datetime, report: TickReport
    ) -> list[DueNote]:
        stale, paused, unknown, live = [], [], [], []
        for note in notes:
            if not is_within_grace(note.due_at, now):
                stale.append(note.id)
            elif note.paused:
                paused.append(note.id)
            elif not self._known(note):
                unknown.append(note.id)
            else:
                live.append(note)
        deliveries = self._store.deliveries
        await deliveries.mark_skipped(stale, "older than the grace window when due")
        await deliveries.mark_skipped(paused, PAUSED_REASON)
        await deliveries.mark_skipped(unknown, "milestone no longer in rules")
        if unknown:
            log.warning("skipped %d notes of milestones no longer in rules", len(unknown))
        report.skipped += len(stale) + len(paused) + len(unknown)
        return live

    def _messages(self, notes: Sequence[DueNote]) -> list[tuple[DueNote, ...]]:
        """One message per chat, milestone and group of twins, in due order."""
        by_topic: dict[tuple[int, str], list[DueNote]] = {}
        for note in notes:
            by_topic.setdefault((note.chat_id, note.milestone_id), []).append(note)
        return [group for same in by_topic.values() for group in group_twins(same)]

    def _render(self, group: Sequence[DueNote]) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = self._rules.pick_locale(group[0].locale)
        if group[0].kind == TIPS:
            topic = topic_of(group[0].milestone_id) or ""
            return tip_message(self._rules, locale, topic, self._bot.username)
        milestone = self._rules.milestones[group[0].milestone_id]
        if group[0].kind == COHORT:
            return cohort_message(self._rules, locale, milestone, group[0].birth)
        return note_message(self._rules, locale, milestone, [n.baby_name for n in group])

    async def _deliver(self, group: Sequence[DueNote], report: TickReport) -> None:
        text, markup = self._render(group)
        note = group[0]
        if note.owes_fallback_notice:  # its topic went: the first note in General says so
            locale = self._rules.pick_locale(note.locale)
            text = with_fallback_notice(self._rules, locale, text)
        try:
            sent = await self._send(
                self._store.deliveries,
                group,
                note.milestone_id,
                text,
                markup,
                report,
                self._notes_refused,
                thread=note.message_thread_id,
            )
        except _TopicGone as gone:
            await self._fall_back_to_general(group, gone, report)
            return
        if sent and note.owes_fallback_notice:
            await self._store.topics.told_of_fallback(note.subscription_id, self._clock())

    async def _fall_back_to_general(
        self, group: Sequence[DueNote], gone: _TopicGone, report: TickReport
    ) -> None:
        """The topic was deleted or closed: notes go to General from now on, this one in the
        next round (given back unsent, so it still goes out once) with the admins' notice."""
        for subscription_id in {note.subscription_id for note in group}:
            await self._store.topics.fall_back_to_general(subscription_id, gone.thread)
        await self._put_back(group, None, report)
        log.warning(
            "chat %s: topic %s refused a note (%s); notes go to General",
            group[0].chat_id,
            gone.thread,
            gone.reason,
        )

    async def _notes_refused(
        self, chat_id: int, group: Sequence[Queued], error: Forbidden, report: TickReport
    ) -> None:
        ids = [note.id for note in group]
        report.failed += len(ids)
        if chat_id < 0:
            # A group or channel that removed the bot: its subscription is removed (a
            # parent who blocked the bot keeps theirs, paused, to resume later).
            removed = await actions.forget_chat(self._store, chat_id)
            log.warning("chat %s removed the bot (%s); %d rows gone", chat_id, error, removed)
            return
        paused = await self._store.blocks.block_chat(chat_id, self._clock())
        await self._store.deliveries.mark_failed(ids, f"forbidden: {error.message}")
        log.warning("chat %s refused reminders (%s); paused %d", chat_id, error, paused)

    async def _send(
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
        """Send one message for `group` (into forum topic `thread`, if any) and record the
        outcome in `queue` right after; True if Telegram accepted it."""
        ids = [item.id for item in group]
        chat_id = group[0].chat_id
        for _ in range(2):  # a second try only after a group moved to a supergroup
            try:
                async with self._pacer.send(chat_id):
                    await self._bot.send_message(
                        chat_id,
                        text,
                        parse_mode=ParseMode.HTML,
                        reply_markup=markup,
                        message_thread_id=thread,
                    )
            except ChatMigrated as error:
                await actions.move_chat(self._store, chat_id, error.new_chat_id)
                log.info("chat %s became %s; reminders moved", chat_id, error.new_chat_id)
                chat_id = error.new_chat_id
                continue
            except RetryAfter as error:
                raise _FloodWait(self._clock() + retry_after_of(error)) from error
            except Forbidden as error:
                await refused(chat_id, group, error, report)
            except BadRequest as error:
                if thread is not None and is_topic_gone(error):
                    raise _TopicGone(thread, error.message) from error
                await self._give_up(queue, group, what, f"bad request: {error.message}", report)
            except TelegramError as error:  # TimedOut, NetworkError (5xx), anything transient
                await self._retry_or_give_up(queue, group, what, error, report)
            else:
                await queue.mark_sent(ids, self._clock())
                report.sent += len(ids)
                report.messages += 1
                return True
            return False
        await self._give_up(queue, group, what, "chat kept migrating", report)
        return False

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

    async def _put_back(
        self,
        group: Sequence[Queued],
        not_before: datetime | None,
        report: TickReport,
        queue: LeasedRows | None = None,
    ) -> None:
        await (queue or self._store.deliveries).release([i.id for i in group], not_before)
        report.retried += len(group)
