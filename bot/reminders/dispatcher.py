"""Send the milestone notes that are due, once each, within Telegram's limits.

One round (`tick`): read the due notes (indexed, at most `batch_size`), record as skipped those
older than the 72-hour grace window, those of paused subscriptions and those whose milestone no
longer exists; claim the rest; group twins in one chat into one message; send the messages
`in_flight` (N) at a time through the PTB bot, and once all N have come back, record the
accepted ones in one write (failures are recorded as they come). N is 1 within Telegram's limits
(30/s: one message in flight keeps up) and `IN_FLIGHT` = 8 with them lifted (paid broadcasts,
`max_per_second=None` or above 30), where one at a time would cap the rate at one message per
round trip (N per round trip: 8 at 8 ms is 1000 a second). `pacing.SendPacer` holds the sends to
Telegram's limits (30 in any second overall, counting those in flight; one per second per chat;
the bot's AIORateLimiter alone lets a burst through), and a round sends at most one message per
chat, so N in flight never hold two messages for one chat and each chat's notes keep their
order. While a backlog lasts, rounds follow each other at once: the pacer sets the speed. The
steps live beside this module: `due_notes` (what to skip, the twins' grouping, the text),
`outcomes` (one send and the record of what Telegram answered).

Exactly once, except in one window: a note is recorded as sent after Telegram accepted it, in
the write that follows its batch of N. A process that dies between a send and that write leaves
the note claimed; the next leader takes the claim back (`leader`), or on SQLite the claim
(lease) runs out, and the note is sent again. So a crash can duplicate at most the N messages in
flight (sent or being sent, not yet recorded; twins in one chat share one): one message within
Telegram's limits, as before issue 15; up to 8 with the limits lifted, sent within the last
~5-40 ms before the crash (one batch), and never loses one: the rest of the round's claimed
notes were not sent yet and go out, once, after the takeover. A send that timed out although
Telegram accepted it is retried: the same window. Two dispatchers on one database never send the
same note, because only the one whose claim changed the row sends it. With several replicas only
the elected leader runs a dispatcher (`leader`); `active` tells a round to stop between two
batches when this process stops leading, and gives the rest of its claimed notes back.

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
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import Forbidden

from bot import actions
from bot.core.rules import Rules
from bot.metrics import record_reminders
from bot.reminders import due_notes
from bot.reminders.check_in_message import check_in_message
from bot.reminders.outcomes import FloodWait, Queued, Sender, TickReport, TopicGone
from bot.reminders.pacing import MESSAGES_PER_SECOND, SendPacer
from bot.reminders.topics import with_fallback_notice
from bot.store import Store
from bot.store.check_ins import CheckIn
from bot.store.deliveries import DueNote
from bot.store.leased import LeasedRows

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# Messages in flight at once (N): sent together, recorded together once all came back; a crash
# sends at most these again (see the module docstring). With Telegram's limits lifted (paid
# broadcasts, up to 1000/s) this is what carries the rate: N / round-trip time at most, so 8 at
# 8 ms. Against the emulator on this project's 2-core machine the sender is CPU-bound, not
# waiting (raw sends: 1 450/s one at a time, 3 200/s with 8 in flight, 3 500/s with 16), so 8;
# a far-away deployment, with a longer round trip, may want more. Within the limits one message
# in flight keeps up with 30 a second: N stays 1, and a crash repeats at most one message.
IN_FLIGHT = 8
PACED_IN_FLIGHT = 1


def default_in_flight(max_per_second: int | None) -> int:
    """N for a dispatcher held to `max_per_second` (None: no limit)."""
    if max_per_second is None or max_per_second > MESSAGES_PER_SECOND:
        return IN_FLIGHT
    return PACED_IN_FLIGHT


MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=30)  # doubled after every failed attempt
LEASE = timedelta(minutes=10)  # far longer than a round takes, even with 429 waits inside it
# A "check on us in 2 hours" that could not go out for this long is no use any more: skipped.
CHECK_IN_GRACE = timedelta(hours=6)


def _always() -> bool:
    return True


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
        in_flight: int | None = None,
        active: Callable[[], bool] = _always,
    ) -> None:
        if in_flight is None:
            in_flight = default_in_flight(max_per_second)
        if in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        self._store = store
        self._rules = rules
        self._bot = bot
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease
        self._sender = Sender(
            store,
            bot,
            clock,
            SendPacer(max_per_second),
            max_attempts=max_attempts,
            backoff=backoff,
        )
        self._in_flight = in_flight
        self._active = active
        self._flood_until: datetime | None = None

    async def take_back_claims(self) -> int:
        """Release every claim on notes and check-ins (a predecessor's); see `leader` for
        when that is safe. Returns how many rows were claimed."""
        now = self._clock()
        notes = await self._store.deliveries.release_claims(now)
        return notes + await self._store.check_ins.release_claims(now)

    async def tick(self) -> TickReport:
        """One round; see the module docstring."""
        report = TickReport()
        now = self._clock()
        if self._flood_until is not None and now < self._flood_until:
            return report
        deliveries = self._store.deliveries
        notes = await deliveries.due(now, self._batch_size)
        report.full = len(notes) >= self._batch_size
        live = await due_notes.skip_unsendable(deliveries, self._rules, notes, now, report)
        claimed = await deliveries.claim([n.id for n in live], now, now + self._lease)
        served: set[int] = set()
        batch: list[tuple[DueNote, ...]] = []
        for group in due_notes.messages([n for n in live if n.id in claimed]):
            if group[0].chat_id in served:  # one message per chat and round
                await self._put_back(group, None, report)
            else:
                served.add(group[0].chat_id)
                batch.append(group)
        for start in range(0, len(batch), self._in_flight):
            if not self._active():  # no longer the leader: another replica takes over
                for rest in batch[start:]:
                    await self._put_back(rest, None, report)
                break
            flood = await self._send_at_once(batch[start : start + self._in_flight], report)
            if flood is not None:
                # Telegram asked the bot to slow down: nobody gets anything until then.
                self._flood_until = flood
                for rest in batch[start + self._in_flight :]:
                    await self._put_back(rest, flood, report)
                return report
        if self._active():
            await self._check_ins(now, served, report)
        return report

    async def _send_at_once(
        self, groups: Sequence[tuple[DueNote, ...]], report: TickReport
    ) -> datetime | None:
        """Send one message per group, all in flight together; record those accepted in one
        write once all have come back. Returns when a flood wait ends if Telegram asked for
        one (the groups it refused are put back until then)."""
        outcomes = await asyncio.gather(
            *(self._deliver(group, report) for group in groups), return_exceptions=True
        )
        await self._sender.record_sent()
        flood: datetime | None = None
        for group, outcome in zip(groups, outcomes, strict=True):
            if isinstance(outcome, FloodWait):
                flood = max(flood or outcome.until, outcome.until)
                await self._put_back(group, outcome.until, report)
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(outcome, FloodWait):
                raise outcome  # the claims of this round's other notes run out with their lease
        return flood

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
                await self._sender.record_sent()
            except FloodWait as wait:
                self._flood_until = wait.until
                for rest in items[position:]:
                    await self._put_back((rest,), wait.until, report, queue)
                return

    async def _deliver_check_in(self, item: CheckIn, report: TickReport) -> None:
        locale = self._rules.pick_locale(item.locale)
        text, markup = check_in_message(self._rules, locale, item.id)
        await self._sender.send(
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

    async def _deliver(self, group: Sequence[DueNote], report: TickReport) -> None:
        text, markup = due_notes.render(self._rules, self._bot.username, group)
        note = group[0]
        if note.owes_fallback_notice:  # its topic went: the first note in General says so
            locale = self._rules.pick_locale(note.locale)
            text = with_fallback_notice(self._rules, locale, text)
        try:
            sent = await self._sender.send(
                self._store.deliveries,
                group,
                note.milestone_id,
                text,
                markup,
                report,
                self._notes_refused,
                thread=note.message_thread_id,
            )
        except TopicGone as gone:
            await self._fall_back_to_general(group, gone, report)
            return
        if sent and note.owes_fallback_notice:
            await self._store.topics.told_of_fallback(note.subscription_id, self._clock())

    async def _fall_back_to_general(
        self, group: Sequence[DueNote], gone: TopicGone, report: TickReport
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

    async def _put_back(
        self,
        group: Sequence[Queued],
        not_before: datetime | None,
        report: TickReport,
        queue: LeasedRows | None = None,
    ) -> None:
        await (queue or self._store.deliveries).release([i.id for i in group], not_before)
        report.retried += len(group)
