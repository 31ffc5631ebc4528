"""Issue 14 end to end: /reminders → "📈 Timeline" sends the picture, for a family's twins and
for a group's birth month (any member may look)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from bot.core.milestones import cohort_baby, for_groups
from bot.core.milestones.models import Baby
from bot.core.rules import Rules
from bot.sandbox import Sandbox, running_bot
from bot.store.subscriptions import COHORT

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
async def clocked(rules: Rules, database_url: str) -> AsyncIterator[Sandbox]:
    async with running_bot(rules, database_url=database_url, clock=lambda: NOW) as sandbox:
        yield sandbox
    sandbox.emulator.assert_no_violations()


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_twins_get_one_timeline_picture_from_reminders(
    clocked: Sandbox, rules: Rules
) -> None:
    emu, store = clocked.emulator, clocked.store
    ann = emu.add_user("Ann")
    for name in ("Mia", "Leo"):
        await store.subscriptions.subscribe(
            ann.id, Baby(date(2026, 9, 1), None, name), "Europe/London", 9, NOW,
            rules.milestones.values(),
        )  # fmt: skip
    emu.send_text(ann, "/reminders")
    screen = await emu.next_message(ann)
    assert "📈 Timeline: Mia" in buttons(screen) and "📈 Timeline: Leo" in buttons(screen)
    emu.press_button(ann, screen, "📈 Timeline: Leo")
    picture = await emu.next_message(ann)
    assert picture["photo"][0]["width"] == 1200
    assert picture["caption"] == rules.text("timeline.caption", "en")
    assert emu.file(picture["photo"][0]["file_id"]).content.startswith(b"\x89PNG")


async def test_a_group_member_gets_the_cohort_timeline(clocked: Sandbox, rules: Rules) -> None:
    emu, store = clocked.emulator, clocked.store
    admin, member = emu.add_user("Ada"), emu.add_user("Max")
    group = emu.add_group("Sep babies", members={admin: "administrator", member: "member"})
    await store.subscriptions.subscribe(
        group.id, cohort_baby(2026, 9), "Europe/London", 9, NOW,
        for_groups(rules.milestones.values()), kind=COHORT,
    )  # fmt: skip
    emu.send_text(member, "/reminders", group)
    screen = await emu.next_message(group)
    label = next(b for b in buttons(screen) if b.startswith("📈"))
    emu.press_button(member, screen, label)
    picture = await emu.next_message(group)
    assert "photo" in picture
