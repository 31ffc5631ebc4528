"""The dispatcher end to end: real store, real PTB bot, the emulator, an injected clock."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

import pytest
from telegram import Bot
from telegram.ext import Application

from bot.core.milestones import Baby
from bot.core.rules import Rules
from bot.emulator import Emulator, User
from bot.reminders import Dispatcher, start_dispatcher
from bot.reminders.dispatcher import IN_FLIGHT, default_in_flight
from bot.store import Store, open_store
from tests.reminders.conftest import TOKEN, Clock
from tests.store.reminder_data import BIRTH, HOUR, TZ

# Due instants (UTC) for a baby born 2026-01-01, London, 09:00.
SOCIAL_SMILE = Clock().now.replace(month=2, day=12, hour=9, minute=0)
CDC_2_MONTHS = SOCIAL_SMILE.replace(month=3, day=1)
TWITCHES_FADE = SOCIAL_SMILE.replace(month=4, day=1, hour=8)  # 09:00 BST


async def subscribe(
    store: Store, rules: Rules, clock: Clock, chat_id: int, name: str | None = "Ann"
) -> int:
    new = await store.subscriptions.subscribe(
        chat_id, Baby(BIRTH, None, name), TZ, HOUR, clock(), rules.milestones.values()
    )
    return new.id


def texts(emu: Emulator, chat: User | int) -> list[str]:
    return [message["text"] for message in emu.chat_messages(chat)]


async def statuses(store: Store, chat_id: int) -> dict[str, str]:
    [sub] = await store.subscriptions.list_for_chat(chat_id)
    return {note.milestone_id: note.status for note in sub.notes}


async def test_a_due_note_is_sent_exactly_once_even_by_two_processes(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
    database_url: str,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id)
    dispatcher = Dispatcher(store, rules, application.bot, clock)

    clock.now = SOCIAL_SMILE - timedelta(minutes=1)
    assert (await dispatcher.tick()).sent == 0
    clock.now = SOCIAL_SMILE
    report = await dispatcher.tick()
    assert (report.sent, report.messages) == (1, 1)
    assert (await dispatcher.tick()).sent == 0
    [text] = texts(emu, ann)
    assert "Ann" in text and "smile" in text

    # Another process on the same database, ticking at the same moment: still one per note.
    second_store = await open_store(database_url)
    try:
        restarted = Dispatcher(second_store, rules, application.bot, clock)
        assert (await restarted.tick()).sent == 0
        clock.now = CDC_2_MONTHS + timedelta(seconds=5)
        both = await asyncio.gather(dispatcher.tick(), restarted.tick())
    finally:
        await second_store.close()
    assert sum(report.sent for report in both) == 1
    assert len(texts(emu, ann)) == 2
    assert (await statuses(store, ann.id))["cdc_2_months"] == "sent"


async def test_after_downtime_the_recent_note_arrives_once_and_stale_ones_are_skipped(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id)
    dispatcher = Dispatcher(store, rules, application.bot, clock)

    clock.now = TWITCHES_FADE + timedelta(days=2)  # down since before the 12-week note
    report = await dispatcher.tick()
    assert (report.sent, report.skipped) == (1, 3)
    assert (await dispatcher.tick()).total == 0
    [text] = texts(emu, ann)
    assert text.startswith("3 months: sleep jerks often fade")
    passed = {m: s for m, s in (await statuses(store, ann.id)).items() if s != "pending"}
    assert passed == {
        "social_smile_6w": "skipped",
        "cdc_2_months": "skipped",
        "smile_check_12w": "skipped",  # 8 days late: older than the 72-hour grace
        "twitches_fade_3m": "sent",
    }


async def test_twins_get_one_combined_message(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id, "Mia")
    await subscribe(store, rules, clock, ann.id, "Leo")
    clock.now = SOCIAL_SMILE

    report = await Dispatcher(store, rules, application.bot, clock).tick()

    assert (report.sent, report.messages) == (2, 1)
    [text] = texts(emu, ann)
    assert "Mia and Leo" in text


async def test_a_blocked_chat_is_paused_and_the_others_still_get_their_note(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann, bob, cy = (emu.add_user(name, started=True) for name in ("Ann", "Bob", "Cy"))
    for user in (ann, bob, cy):
        await subscribe(store, rules, clock, user.id)
    emu.block(bob, notify=False)
    dispatcher = Dispatcher(store, rules, application.bot, clock)
    clock.now = SOCIAL_SMILE

    report = await dispatcher.tick()

    assert (report.sent, report.failed) == (2, 1)
    assert len(texts(emu, ann)) == len(texts(emu, cy)) == 1
    [bobs] = await store.subscriptions.list_for_chat(bob.id)
    assert bobs.blocked_at is not None and bobs.notes[0].status == "failed"
    sends_to_bob = len([c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == bob.id])
    clock.now = CDC_2_MONTHS
    report = await dispatcher.tick()
    assert (report.sent, report.skipped) == (2, 1)  # no further try for the paused chat
    assert sends_to_bob == len(
        [c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == bob.id]
    )


async def test_a_single_429_is_honoured_by_the_bots_rate_limiter(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id)
    emu.inject("sendMessage", chat_id=ann, error_code=429, retry_after=1)
    clock.now = SOCIAL_SMILE

    began = time.monotonic()
    report = await Dispatcher(store, rules, application.bot, clock).tick()

    assert report.sent == 1 and len(texts(emu, ann)) == 1
    assert time.monotonic() - began >= 1.0  # waited retry_after before the second try


@pytest.mark.parametrize("in_flight", [1, 2])
async def test_a_flood_wait_leaves_notes_pending_until_retry_after(
    emu: Emulator, store: Store, rules: Rules, clock: Clock, in_flight: int
) -> None:
    ann, bob = emu.add_user("Ann", started=True), emu.add_user("Bob", started=True)
    for user in (ann, bob):
        await subscribe(store, rules, clock, user.id)
    emu.inject("sendMessage", chat_id=ann, error_code=429, retry_after=30)
    clock.now = SOCIAL_SMILE
    # A bot without a rate limiter, so the 429 reaches the dispatcher itself.
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        dispatcher = Dispatcher(store, rules, bot, clock, in_flight=in_flight)
        report = await dispatcher.tick()
        # One at a time, Bob's message waits too; two in flight, it was on its way beside Ann's
        # when the 429 came, and went out.
        assert (report.sent, report.retried) == (in_flight - 1, 3 - in_flight)
        assert not texts(emu, ann)
        clock.advance(timedelta(seconds=29))
        assert (await dispatcher.tick()).total == 0
        clock.advance(timedelta(seconds=1))
        report = await dispatcher.tick()
    assert report.sent == 3 - in_flight
    assert len(texts(emu, ann)) == len(texts(emu, bob)) == 1
    assert len(emu.calls_to("sendMessage")) == 3


async def test_a_migrated_group_gets_its_note_under_the_new_id(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    group = emu.add_group("Parents", members={ann: "creator"})
    await subscribe(store, rules, clock, group.id)
    supergroup = emu.migrate_to_supergroup(group)
    clock.now = SOCIAL_SMILE

    report = await Dispatcher(store, rules, application.bot, clock).tick()

    assert report.sent == 1
    assert len(texts(emu, supergroup)) == 1
    assert await store.subscriptions.list_for_chat(group.id) == []
    [moved] = await store.subscriptions.list_for_chat(supergroup.id)
    assert moved.notes[0].status == "sent"


async def test_server_errors_are_retried_with_backoff_then_fail_loudly(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id)
    emu.inject("sendMessage", chat_id=ann, error_code=500, times=10)
    backoff = timedelta(minutes=1)
    dispatcher = Dispatcher(store, rules, application.bot, clock, max_attempts=3, backoff=backoff)
    clock.now = SOCIAL_SMILE

    assert (await dispatcher.tick()).retried == 1
    clock.advance(backoff - timedelta(seconds=1))
    assert (await dispatcher.tick()).total == 0  # still backing off
    clock.advance(timedelta(seconds=1))
    assert (await dispatcher.tick()).retried == 1
    clock.advance(2 * backoff)  # doubled
    with caplog.at_level(logging.ERROR, logger="bot.reminders"):
        assert (await dispatcher.tick()).failed == 1

    [sub] = await store.subscriptions.list_for_chat(ann.id)
    note = sub.notes[0]
    assert (note.status, note.attempts) == ("failed", 3)
    assert "500" in (note.last_error or "") or "Internal" in (note.last_error or "")
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "social_smile_6w" in record.getMessage() and str(ann.id) in record.getMessage()
    assert texts(emu, ann) == []


async def test_start_dispatcher_runs_one_loop_until_closed(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await subscribe(store, rules, clock, ann.id)
    clock.now = SOCIAL_SMILE

    handle = start_dispatcher(application, store, rules, clock, interval=0.05)
    try:
        message = await emu.next_message(ann, timeout=5)
        await asyncio.sleep(0.2)  # several more rounds
    finally:
        await handle.close()

    assert "smile" in message["text"] and len(texts(emu, ann)) == 1
    assert handle.task.done()


async def test_a_round_stops_between_messages_once_this_process_no_longer_leads(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    users = [emu.add_user(name, started=True) for name in ("Ann", "Bob", "Cy")]
    for user in users:
        await subscribe(store, rules, clock, user.id)
    clock.now = SOCIAL_SMILE

    def leading() -> bool:  # the leadership is lost after two messages
        return len(emu.calls_to("sendMessage")) < 2

    # One message in flight at a time, so the round can stop after any one of them.
    dispatcher = Dispatcher(store, rules, application.bot, clock, in_flight=1, active=leading)
    report = await dispatcher.tick()

    assert (report.sent, report.retried) == (2, 1)
    # The third note went back unclaimed: the next leader can send it at once.
    [left] = await store.deliveries.due(clock.now, 10)
    assert [len(texts(emu, user)) for user in users].count(0) == 1
    assert left.chat_id == next(user.id for user in users if not texts(emu, user))


async def test_a_new_leader_takes_back_claims_but_not_back_offs(
    store: Store, rules: Rules, clock: Clock
) -> None:
    for chat_id in (101, 102, 103):
        await subscribe(store, rules, clock, chat_id)
    clock.now = SOCIAL_SMILE
    claimed, backing_off, free = await store.deliveries.due(clock.now, 10)
    # A dead leader's claim (its lease still runs), and a note backing off after a failure.
    assert await store.deliveries.claim([claimed.id], clock.now, clock.now + timedelta(hours=1))
    await store.deliveries.retry_later([backing_off.id], "TimedOut", clock.now + timedelta(hours=1))
    assert [n.id for n in await store.deliveries.due(clock.now, 10)] == [free.id]

    dispatcher = Dispatcher(store, rules, Bot(TOKEN), clock)
    assert await dispatcher.take_back_claims() == 1

    assert [n.id for n in await store.deliveries.due(clock.now, 10)] == [claimed.id, free.id]
    clock.advance(timedelta(hours=1))
    assert len(await store.deliveries.due(clock.now, 10)) == 3  # the back-off ran out


async def test_with_limits_lifted_n_messages_go_out_together_and_are_recorded_together(
    emu: Emulator, store: Store, rules: Rules, clock: Clock
) -> None:
    users = [emu.add_user(f"Parent {n}", started=True) for n in range(5)]
    for user in users:
        await subscribe(store, rules, clock, user.id)
    clock.now = SOCIAL_SMILE
    writes: list[int] = []
    mark_sent = store.deliveries.mark_sent

    async def counted(ids: list[int], now: datetime) -> None:
        writes.append(len(ids))
        await mark_sent(ids, now)

    store.deliveries.mark_sent = counted  # type: ignore[method-assign]
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        dispatcher = Dispatcher(store, rules, bot, clock, max_per_second=None, in_flight=2)
        report = await dispatcher.tick()
    assert (report.sent, report.messages) == (5, 5)
    assert writes == [2, 2, 1]  # one write per batch of N = 2
    assert all(len(texts(emu, user)) == 1 for user in users)
    assert default_in_flight(None) == IN_FLIGHT and default_in_flight(30) == 1
