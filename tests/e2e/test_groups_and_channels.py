"""Parenting groups and channels: cohort reminders by admins, membership changes, privacy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME, Sandbox
from bot.store.subscriptions import COHORT
from tests.e2e.clocked import START, Clock, clocked_bot, labels


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def sandbox(rules: Rules, database_url: str, clock: Clock) -> AsyncIterator[Sandbox]:
    async with clocked_bot(rules, database_url, clock) as running:
        yield running


async def set_cohort(emu: Emulator, admin, group, year: str = "2026", month: str = "Sep") -> dict:
    emu.send_text(admin, "/subscribe@sleepsigns_bot", group)
    screen = await emu.next_message(group)
    for label in (year, month, "London", "09:00"):
        emu.press_button(admin, screen, label, group)
        screen = await emu.next_edit(group, screen["message_id"])
    return screen


async def test_admin_sets_a_birth_month_and_members_cannot(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    admin, member = emu.add_user("Ada"), emu.add_user("Max")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator", member: "member"})

    emu.send_text(member, "/subscribe", group)
    refusal = await emu.next_message(group)
    assert "only the admins" in refusal["text"]

    emu.send_text(admin, "/subscribe", group)
    screen = await emu.next_message(group)
    answer = await emu.callback_answer(emu.press_button(member, screen, "2026", group))
    assert answer["show_alert"] and "admins" in answer["text"]
    for label in ("2026", "Sep", "London", "09:00"):
        emu.press_button(admin, screen, label, group)
        screen = await emu.next_edit(group, screen["message_id"])
    assert "September 2026" in screen["text"]
    current = await emu.next_message(group)  # what is current for 12-week-olds, phrased for all
    assert "September 2026" in current["text"] and "reply_markup" not in current
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    assert sub.kind == COHORT and sub.birth.day == 15

    emu.send_text(member, "/reminders", group)
    listing = await emu.next_message(group)
    assert "Babies born in September 2026" in listing["text"]
    answer = await emu.callback_answer(emu.press_button(member, listing, "Pause", group))
    assert answer["show_alert"]
    emu.press_button(admin, listing, "Pause", group)
    assert "Paused" in (await emu.next_edit(group, listing["message_id"]))["text"]


async def test_cohort_note_arrives_once_at_the_groups_hour(sandbox: Sandbox, clock: Clock) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator"})
    await set_cohort(emu, admin, group)
    await emu.next_message(group)  # the current note
    await emu.settle(quiet=0.3)
    before = len(emu.chat_messages(group))
    clock.now = datetime(2026, 12, 15, 9, 1, tzinfo=UTC)  # the 15 Sep cohort turns 3 months
    note = await emu.next_message(group)
    assert "September 2026" in note["text"]
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(group)) == before + 1


async def test_removed_from_a_group_forgets_its_reminders(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator"})
    await set_cohort(emu, admin, group)
    emu.chat_member_update(group, emu.bot_user, "member", "kicked", by=admin)
    await emu.settle(quiet=0.3)
    assert await sandbox.store.subscriptions.list_for_chat(group.id) == []


async def test_migration_to_a_supergroup_keeps_one_subscription(
    sandbox: Sandbox, clock: Clock
) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator"})
    await set_cohort(emu, admin, group)
    await emu.next_message(group)
    supergroup = emu.migrate_to_supergroup(group, by=admin)
    await emu.settle(quiet=0.3)
    assert await sandbox.store.subscriptions.list_for_chat(group.id) == []
    assert len(await sandbox.store.subscriptions.list_for_chat(supergroup.id)) == 1
    before = len(emu.chat_messages(supergroup))
    clock.now = datetime(2026, 12, 15, 9, 1, tzinfo=UTC)
    note = await emu.next_message(supergroup)
    assert "September 2026" in note["text"]
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(supergroup)) == before + 1


async def test_channel_link_checks_both_admins(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    owner, stranger = emu.add_user("Olga", username="olga"), emu.add_user("Sam")
    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[owner])
    muted = emu.add_channel("Muted", "mutedchan", admins=[owner], can_post_messages=False)

    emu.send_text(stranger, "/channel @sleeptips")
    assert "not one" in (await emu.next_message(stranger))["text"]
    emu.send_text(owner, "/channel @mutedchan")
    assert "not allowed to post" in (await emu.next_message(owner))["text"]
    assert muted

    emu.forward_channel_post(owner, channel)  # forwarding a post links it, like /channel
    screen = await emu.next_message(owner)
    for label in ("Birth-month notes", "2026", "Sep", "London", "09:00"):
        emu.press_button(owner, screen, label)
        screen = await emu.next_edit(owner, screen["message_id"])
    assert "Sleep tips" in screen["text"]
    [sub] = await sandbox.store.subscriptions.list_for_chat(channel.id)
    assert sub.kind == COHORT
    await emu.settle(quiet=0.3)
    assert emu.chat_messages(channel) == []  # a channel is not flooded with a backlog

    emu.send_text(owner, "/channel off @sleeptips")
    assert "no more reminders" in (await emu.next_message(owner))["text"]
    assert await sandbox.store.subscriptions.list_for_chat(channel.id) == []


async def test_bot_losing_post_rights_in_a_channel_unlinks_it(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    owner = emu.add_user("Olga")
    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[owner])
    emu.send_text(owner, "/channel @sleeptips")
    screen = await emu.next_message(owner)
    for label in ("Birth-month notes", "2026", "Sep", "London", "09:00"):
        emu.press_button(owner, screen, label)
        screen = await emu.next_edit(owner, screen["message_id"])
    emu.chat_member_update(channel, emu.bot_user, "administrator", "left", by=owner)
    await emu.settle(quiet=0.3)
    assert await sandbox.store.subscriptions.list_for_chat(channel.id) == []


async def test_group_forget_and_export_are_for_admins(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    admin, member = emu.add_user("Ada"), emu.add_user("Max")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator", member: "member"})
    for command in ("/forget", "/export", "/unsubscribe"):
        emu.send_text(member, command, group)
        assert "only the admins" in (await emu.next_message(group))["text"]


def test_cohort_and_channel_kinds_are_distinct_in_the_codec() -> None:
    from bot.core.callback_data import BUTTONS, PickYear

    decoded = BUTTONS.decode("c1:y:2026")
    assert decoded.kind.prefix == "c" and decoded.press == PickYear(2026)
    assert SANDBOX_TOKEN and SANDBOX_USERNAME  # the sandbox names the tests rely on


async def test_a_channel_can_get_a_weekly_tip_instead(sandbox: Sandbox, clock: Clock) -> None:
    emu = sandbox.emulator
    owner = emu.add_user("Olga")
    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[owner])
    emu.send_text(owner, "/channel @sleeptips")
    screen = await emu.next_message(owner)
    for label in ("weekly sleep tip", "London", "09:00"):
        emu.press_button(owner, screen, label)
        screen = await emu.next_edit(owner, screen["message_id"])
    assert "every week" in screen["text"]
    clock.now = datetime(2026, 11, 26, 9, 0, 30, tzinfo=UTC)  # tomorrow at 09:00 London
    tip = await emu.next_message(channel)
    first_topic = next(iter(sandbox.services.rules.explainers.values()))
    assert tip["text"].split("\n")[0] in first_topic.body.get("en")
    assert labels(tip) == ["Open Sleepsigns"]
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(channel)) == 1
    clock.now = datetime(2026, 12, 3, 9, 0, 30, tzinfo=UTC)  # a week later: the next topic
    second = await emu.next_message(channel)
    assert second["text"] != tip["text"]
