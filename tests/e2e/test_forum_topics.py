"""A birth-month group that uses topics: notes in the topic where /subscribe ran, and in General
(with one word to the admins) once that topic is deleted or closed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from bot.core.rules import Rules
from bot.emulator import Chat, Emulator, User
from bot.sandbox import Sandbox
from bot.store.leased import SENT
from tests.e2e.clocked import clocked_bot
from tests.e2e.test_groups_and_channels import START, Clock

SUBSCRIBE = "/subscribe@sleepsigns_bot"
LISTING = "/reminders@sleepsigns_bot"


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def sandbox(rules: Rules, database_url: str, clock: Clock) -> AsyncIterator[Sandbox]:
    async with clocked_bot(rules, database_url, clock) as running:
        yield running


def forum(emu: Emulator, admin: User) -> Chat:
    members = {admin: "administrator"}
    return emu.add_group("Sep 2026 babies", supergroup=True, forum=True, members=members)


async def subscribe_in(emu: Emulator, admin: User, group: Chat, topic: int | None) -> dict:
    """The admin's set-up, run in `topic`; returns the note that is current now."""
    emu.send_text(admin, SUBSCRIBE, group, topic=topic)
    screen = await emu.next_message(group)
    assert screen.get("message_thread_id") == topic
    for label in ("2026", "Sep", "London", "09:00"):
        emu.press_button(admin, screen, label, group)
        screen = await emu.next_edit(group, screen["message_id"])
    assert ("this topic" in screen["text"]) == (topic is not None)
    current = await emu.next_message(group)
    assert current.get("message_thread_id") == topic
    return current


async def due_times(sandbox: Sandbox, group: Chat) -> list[datetime]:
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    return [note.due_at for note in sub.upcoming]


async def test_notes_come_to_the_topic_where_an_admin_subscribed(
    sandbox: Sandbox, clock: Clock
) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = forum(emu, admin)
    topic = emu.create_topic(group, "Baby notes", by=admin)
    await subscribe_in(emu, admin, group, topic)

    clock.now = (await due_times(sandbox, group))[0] + timedelta(minutes=1)
    note = await emu.next_message(group)
    assert "September 2026" in note["text"]
    assert note["message_thread_id"] == topic and note["is_topic_message"]

    emu.send_text(admin, LISTING, group, topic=topic)
    here = await emu.next_message(group)
    assert here["message_thread_id"] == topic and "Notes come to this topic." in here["text"]
    emu.send_text(admin, LISTING, group)  # in General
    elsewhere = await emu.next_message(group)
    assert "message_thread_id" not in elsewhere
    link = f"https://t.me/c/{-group.id - 1_000_000_000_000}/{topic}"
    assert "another topic" in elsewhere["text"]
    assert {"type": "text_link", "url": link} in [
        {k: e[k] for k in ("type", "url") if k in e} for e in elsewhere["entities"]
    ]


@pytest.mark.parametrize("how", ["deleted", "closed"])
async def test_a_topic_that_goes_sends_notes_to_general_and_tells_the_admins_once(
    sandbox: Sandbox, clock: Clock, how: str
) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = forum(emu, admin)
    topic = emu.create_topic(group, "Baby notes", by=admin)
    await subscribe_in(emu, admin, group, topic)
    first, second = (await due_times(sandbox, group))[:2]
    (emu.delete_topic if how == "deleted" else emu.close_topic)(group, topic, by=admin)

    clock.now = first + timedelta(minutes=1)
    refused = await emu.wait_for("sendMessage", lambda call: not call.ok)
    assert refused.params["message_thread_id"] == topic
    note = await emu.next_message(group)
    assert "message_thread_id" not in note  # General
    assert note["text"].startswith("📌 For the admins: the topic for these notes was closed")
    assert "September 2026" in note["text"]

    clock.now = second + timedelta(minutes=1)
    later = await emu.next_message(group)
    assert "message_thread_id" not in later and "For the admins" not in later["text"]
    await emu.settle(quiet=0.3)
    general = emu.topic_messages(group, None)
    assert [m["message_id"] for m in general] == [note["message_id"], later["message_id"]]
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    assert [n.status for n in sub.notes if n.due_at in (first, second)] == [SENT, SENT]

    emu.send_text(admin, LISTING, group)
    listing = await emu.next_message(group)
    assert "Notes come to General, since their topic was closed or deleted." in listing["text"]

    # Subscribing again in a topic puts the notes there again.
    fresh = emu.create_topic(group, "Notes again", by=admin)
    await subscribe_in(emu, admin, group, fresh)
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    assert (sub.message_thread_id, sub.fallback_thread_id) == (fresh, None)


async def test_groups_without_topics_are_unchanged(sandbox: Sandbox, clock: Clock) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = emu.add_group("Sep 2026 babies", supergroup=True, members={admin: "administrator"})
    hello = emu.send_text(admin, "/help@sleepsigns_bot", group)["message"]
    await emu.next_message(group)
    # A reply has a message_thread_id outside forums too; it is no topic, nothing is stored.
    emu.send_text(admin, SUBSCRIBE, group, reply_to=hello)
    screen = await emu.next_message(group)
    assert "message_thread_id" not in screen
    for label in ("2026", "Sep", "London", "09:00"):
        emu.press_button(admin, screen, label, group)
        screen = await emu.next_edit(group, screen["message_id"])
    assert "topic" not in screen["text"]
    await emu.next_message(group)
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    assert sub.message_thread_id is None

    clock.now = (await due_times(sandbox, group))[0] + timedelta(minutes=1)
    assert "message_thread_id" not in await emu.next_message(group)
    emu.send_text(admin, LISTING, group)
    assert "📌" not in (await emu.next_message(group))["text"]
