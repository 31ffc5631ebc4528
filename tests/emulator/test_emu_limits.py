"""Flood-limit accounting: off by default, counts breaches, optionally answers 429."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.emulator import Emulator, User


async def test_limits_are_off_by_default(bot: Bot, emu: Emulator, ann: User) -> None:
    for n in range(10):
        await bot.send_message(ann.id, f"#{n}")
    assert emu.rate_violations == 0


async def test_a_burst_to_one_private_chat_is_counted(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.rate_limits.enabled = True
    emu.rate_limits.private_burst = 3

    for n in range(8):
        await bot.send_message(ann.id, f"#{n}")

    assert emu.rate_violations == 5  # the first three fit the burst
    assert {breach.kind for breach in emu.rate_violation_details} == {"private"}
    assert len(emu.chat_messages(ann)) == 8  # counted, not refused


async def test_group_and_overall_limits(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.rate_limits.enabled = True
    group = emu.add_group("Family", members={ann: "creator"})
    users = [emu.add_user(f"U{n}", started=True) for n in range(35)]

    for n in range(21):
        await bot.send_message(group.id, f"#{n}")
    group_breaches = emu.rate_violations
    for user in users:
        await bot.send_message(user.id, "hi")

    assert group_breaches == 1
    overall = [b for b in emu.rate_violation_details if b.kind == "overall"]
    assert len(overall) >= 5


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_respond_429_refuses_the_breaching_send(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.rate_limits.enabled = True
    emu.rate_limits.respond_429 = True
    emu.rate_limits.private_burst = 1

    await bot.send_message(ann.id, "first")
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(ann.id, "second")

    assert emu.rate_violations == 1
    assert [m["text"] for m in emu.chat_messages(ann)] == ["first"]
    emu.lift_limits()
    await bot.send_message(ann.id, "third")
    assert emu.rate_violations == 0
