"""A forum group's note whose topic went: sent once, to General, with the admins' notice once,
also when the process died right after it stored the fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import BadRequest
from telegram.ext import Application

from bot import actions
from bot.core.milestones import cohort_baby, for_groups
from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.reminders import Dispatcher
from bot.reminders.dispatcher import LEASE
from bot.reminders.topics import is_topic_gone
from bot.store import Store
from tests.reminders.conftest import Clock


@pytest.mark.parametrize(
    ("description", "gone"),
    [
        ("Bad Request: message thread not found", True),
        ("Bad Request: TOPIC_CLOSED", True),
        ("Bad Request: TOPIC_DELETED", True),
        ("Bad Request: chat not found", False),
        ("Bad Request: message is too long", False),
    ],
)
def test_which_refusals_mean_the_topic_went(description: str, gone: bool) -> None:
    assert is_topic_gone(BadRequest(description)) is gone


async def test_a_crash_after_the_fallback_still_sends_the_note_once_with_the_notice(
    emu: Emulator,
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Clock,
) -> None:
    admin = emu.add_user("Ada")
    group = emu.add_group(
        "Dec 2025 babies", supergroup=True, forum=True, members={admin: "administrator"}
    )
    thread = emu.create_topic(group, "Notes", by=admin)
    milestones = for_groups(rules.milestones.values())
    created = await actions.replace_cohort(
        store,
        group.id,
        group.id,
        cohort_baby(2025, 12),
        "Europe/London",
        9,
        clock(),
        milestones,
        locale="en",
        message_thread_id=thread,
    )
    emu.delete_topic(group, thread, by=admin)
    [sub] = await store.subscriptions.list_for_chat(group.id)
    clock.now = sub.upcoming[0].due_at
    # The process that died: Telegram refused the note in the topic, the fallback was stored,
    # and the note stayed claimed (sent nowhere).
    [note] = await store.deliveries.due(clock.now, 10)
    assert await store.deliveries.claim([note.id], clock.now, clock.now + LEASE)
    assert await store.topics.fall_back_to_general(created.id, thread)

    restarted = Dispatcher(store, rules, application.bot, clock)
    assert (await restarted.tick()).sent == 0  # still claimed by the dead process
    clock.advance(LEASE + timedelta(seconds=1))
    assert (await restarted.tick()).sent == 1
    assert (await restarted.tick()).total == 0
    [general] = emu.topic_messages(group, None)
    assert general["text"].startswith("📌 For the admins:")
    assert not (await store.deliveries.due(clock.now + timedelta(days=400), 1))[
        0
    ].owes_fallback_notice
