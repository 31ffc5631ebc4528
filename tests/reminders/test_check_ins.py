"""Check-ins ("check on us in 2 hours") through the reminder dispatcher: once, on time, on both
backends, across a restart and with two processes on one database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram.ext import Application

from bot import actions
from bot.core.rules import Rules
from bot.emulator import Emulator, User
from bot.reminders import Dispatcher
from bot.store import Store, open_store
from tests.reminders.conftest import Clock

TWO_HOURS = timedelta(hours=2)


async def schedule(store: Store, clock: Clock, user: User, flow: str = "twitch") -> int:
    check_in, created = await store.check_ins.schedule(
        user.id, flow, "urgent", "en", clock(), clock() + TWO_HOURS
    )
    assert created
    return check_in.id


def messages(emu: Emulator, user: User) -> list[dict]:
    return emu.chat_messages(user)


def labels(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_a_check_in_is_sent_once_at_its_time_with_three_answers(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    check_in_id = await schedule(store, clock, ann)
    dispatcher = Dispatcher(store, rules, application.bot, clock)

    clock.advance(TWO_HOURS - timedelta(seconds=1))
    assert (await dispatcher.tick()).sent == 0
    clock.advance(timedelta(seconds=1))
    report = await dispatcher.tick()
    assert (report.sent, report.messages) == (1, 1)
    assert (await dispatcher.tick()).total == 0
    [message] = messages(emu, ann)
    assert "How is your baby now?" in message["text"]
    assert labels(message) == ["✅ All fine now", "🩺 We saw a doctor", "⚠️ New worrying signs"]
    [stored] = await store.check_ins.list_for_chat(ann.id)
    assert (stored.id, stored.status, stored.sent_at) == (check_in_id, "sent", clock())


async def test_exactly_once_across_a_restart_and_with_two_processes(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
    database_url: str,
) -> None:
    ann, bob = emu.add_user("Ann", started=True), emu.add_user("Bob", started=True)
    await schedule(store, clock, ann)
    first = Dispatcher(store, rules, application.bot, clock)
    clock.advance(TWO_HOURS)
    assert (await first.tick()).sent == 1

    # "Restart": a new process opens the same database and dispatches at the same moment.
    second_store = await open_store(database_url)
    try:
        restarted = Dispatcher(second_store, rules, application.bot, clock)
        assert (await restarted.tick()).sent == 0
        # A new check-in, and both processes ticking at once: one sends it.
        await schedule(second_store, clock, bob)
        clock.advance(TWO_HOURS)
        both = await asyncio.gather(first.tick(), restarted.tick())
    finally:
        await second_store.close()
    assert sum(report.sent for report in both) == 1
    assert len(messages(emu, ann)) == len(messages(emu, bob)) == 1


async def test_a_second_tap_or_two_at_once_schedule_one(store: Store, clock: Clock) -> None:
    first, created = await store.check_ins.schedule(
        7, "twitch", "soon", "en", clock(), clock() + TWO_HOURS
    )
    assert created
    later = clock() + timedelta(minutes=5)
    again, created_again = await store.check_ins.schedule(
        7, "smile", "urgent", "en", later, later + TWO_HOURS
    )
    assert (again, created_again) == (first, False)  # the first stands, unchanged

    results = await asyncio.gather(
        *(
            store.check_ins.schedule(8, "twitch", "soon", None, clock(), clock() + TWO_HOURS)
            for _ in range(5)
        )
    )
    assert sum(created for _, created in results) == 1
    assert len({check_in.id for check_in, _ in results}) == 1
    assert len(await store.check_ins.list_for_chat(8)) == 1


async def test_after_it_was_sent_a_new_one_can_be_scheduled(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await schedule(store, clock, ann)
    clock.advance(TWO_HOURS)
    await Dispatcher(store, rules, application.bot, clock).tick()
    await schedule(store, clock, ann)
    assert [c.status for c in await store.check_ins.list_for_chat(ann.id)] == ["sent", "pending"]


async def test_a_check_in_long_overdue_is_skipped_not_sent(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await schedule(store, clock, ann)
    clock.advance(TWO_HOURS + timedelta(hours=7))  # the bot was down all that time
    report = await Dispatcher(store, rules, application.bot, clock).tick()
    assert (report.sent, report.skipped) == (0, 1)
    assert messages(emu, ann) == []
    [stored] = await store.check_ins.list_for_chat(ann.id)
    assert stored.status == "skipped"


async def test_a_parent_who_blocked_the_bot_gets_no_retry(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    ann = emu.add_user("Ann", started=True)
    await schedule(store, clock, ann)
    emu.block(ann, notify=False)
    clock.advance(TWO_HOURS)
    dispatcher = Dispatcher(store, rules, application.bot, clock)
    assert (await dispatcher.tick()).failed == 1
    clock.advance(timedelta(minutes=5))
    assert (await dispatcher.tick()).total == 0
    [stored] = await store.check_ins.list_for_chat(ann.id)
    assert stored.status == "failed"


async def test_forget_removes_a_pending_check_in(store: Store, clock: Clock) -> None:
    await store.check_ins.schedule(9, "twitch", "soon", "en", clock(), clock() + TWO_HOURS)
    assert await actions.forget_chat(store, 9) == 1
    assert await store.check_ins.list_for_chat(9) == []
    clock.advance(TWO_HOURS)
    assert await store.check_ins.due(clock(), 10) == []
