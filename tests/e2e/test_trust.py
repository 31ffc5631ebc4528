"""Trust (issue 11): who may press is decided from Telegram, blocking pauses, logs stay private.

Every test runs the real Application against the emulator, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.callbacks import to_base36
from bot.core.milestones import Baby
from bot.core.rules import Rules
from bot.emulator import Emulator, RateLimits
from bot.logging_setup import RedactingFormatter, configure_logging
from bot.sandbox import Sandbox
from bot.store.schema import chat_states, scheduled_notes, subscriptions, triage_results
from bot.telegram.handlers.subscribe import MAX_BABIES
from bot.telegram.handlers.triage import data_for
from tests.e2e.clocked import START, Clock, clocked_bot
from tests.store.backends import BACKENDS, database_for

SEP_COHORT_NOTE = datetime(2026, 12, 15, 9, 1, tzinfo=UTC)  # the 15 Sep 2026 cohort's next note
# Only these may follow a refused press: nothing is edited, posted or sent anywhere.
HARMLESS = {"answerCallbackQuery", "getChatMember", "getUpdates"}


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def sandbox(rules: Rules, database_url: str, clock: Clock) -> AsyncIterator[Sandbox]:
    async with clocked_bot(rules, database_url, clock) as running:
        yield running


async def snapshot(sandbox: Sandbox) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a press could change."""
    rows = {}
    async with sandbox.store.engine.connect() as conn:
        for table in (subscriptions, scheduled_notes, chat_states, triage_results):
            result = await conn.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result.all()]
    return rows


async def set_cohort(emu: Emulator, admin, group) -> None:
    emu.send_text(admin, "/subscribe@sleepsigns_bot", group)
    screen = await emu.next_message(group)
    for label in ("2026", "Sep", "London", "09:00"):
        emu.press_button(admin, screen, label, group)
        screen = await emu.next_edit(group, screen["message_id"])
    await emu.next_message(group)  # what is current for the cohort


def forged_data(rules: Rules, sid: int, owner: int) -> list[str]:
    """Every callback kind the bot emits (or a forger could aim) at a group or channel."""
    flow = rules.triage["twitch"]
    own = to_base36(owner)
    return [
        "m1:subscribe",
        "m1:reminders",
        f"f1:yes:{own}",
        f"f1:no:{own}",
        "r1:l",
        f"r1:p:{sid}",
        f"r1:r:{sid}",
        f"r1:h:{sid}",
        f"r1:H:{sid}:7",
        f"r1:d:{sid}",
        f"r1:D:{sid}",
        "r1:U",
        "c1:x",
        "c1:y",
        "c1:y:2026",
        "c1:m:2026:9",
        "c1:z:0",
        "c1:h:9",
        "c1:k:tips",
        "s1:x",
        "s1:y:2026",
        "n1:social_smile_6w:smiling",
        data_for(flow, owner, 29_000_000, ()),
        data_for(flow, owner, 29_000_000, (0,)),
    ]


async def presses_change_nothing(
    sandbox: Sandbox, presser, message: dict, data: list[str], chat
) -> None:
    emu = sandbox.emulator
    await emu.settle(quiet=0.2)
    before = await snapshot(sandbox)
    since = emu.mark()
    for item in data:
        answer = await emu.callback_answer(emu.press(presser, message, item))
        assert answer.get("show_alert"), (item, answer)
        assert "admins" in answer["text"] or "private chat" in answer["text"], (item, answer)
    await emu.settle(quiet=0.2)
    made = {call.method for call in emu.calls[since:]}
    assert made <= HARMLESS, made - HARMLESS
    assert await snapshot(sandbox) == before
    assert emu.chat(chat).messages[message["message_id"]] == message  # not edited


@pytest.mark.parametrize("presser", ["member", "demoted admin"])
async def test_non_admin_presses_in_a_group_change_nothing(
    sandbox: Sandbox, rules: Rules, presser: str
) -> None:
    emu = sandbox.emulator
    owner, ada, max_ = emu.add_user("Olga"), emu.add_user("Ada"), emu.add_user("Max")
    group = emu.add_group(
        "Sep 2026 babies",
        members={owner: "creator", ada: "administrator", max_: "member"},
    )
    await set_cohort(emu, ada, group)
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    emu.send_text(ada, "/subscribe", group)  # a half-done setup a forged cancel could drop
    await emu.next_message(group)
    emu.send_text(ada, "/forget", group)
    confirm = await emu.next_message(group)
    if presser == "demoted admin":
        emu.chat_member_update(group, ada, "administrator", "member", by=owner)
        who = ada
    else:
        who = max_
    as_sent = forged_data(rules, sub.id, ada.id)
    own_id = forged_data(rules, sub.id, who.id)
    await presses_change_nothing(sandbox, who, confirm, as_sent + own_id, group)

    # Reading explainers stays open to every member, and admins still act.
    emu.press(max_, confirm, "x1:m")
    assert "What would you like to know" in (await emu.next_edit(group))["text"]
    emu.send_text(owner, "/forget", group)
    emu.press_button(owner, await emu.next_message(group), "Yes", group)
    await emu.next_edit(group)
    assert await sandbox.store.subscriptions.list_for_chat(group.id) == []


@pytest.mark.parametrize("presser", ["viewer", "demoted admin"])
async def test_presses_on_a_channel_post_are_for_its_admins_now(
    sandbox: Sandbox, rules: Rules, presser: str
) -> None:
    emu = sandbox.emulator
    olga, ada, viewer = emu.add_user("Olga"), emu.add_user("Ada"), emu.add_user("Vic")
    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[olga, ada])
    emu.send_text(olga, "/channel @sleeptips")
    screen = await emu.next_message(olga)
    for label in ("Birth-month notes", "2026", "Sep", "London", "09:00"):
        emu.press_button(olga, screen, label)
        screen = await emu.next_edit(olga, screen["message_id"])
    [sub] = await sandbox.store.subscriptions.list_for_chat(channel.id)
    await sandbox.application.bot.send_message(channel.id, "A post with the channel as sender")
    post = await emu.next_message(channel)
    assert post["sender_chat"]["id"] == channel.id  # what fooled the old check
    if presser == "demoted admin":
        emu.chat_member_update(channel, ada, "administrator", "member", by=olga)
        who = ada
    else:
        who = viewer
    data = forged_data(rules, sub.id, olga.id) + forged_data(rules, sub.id, who.id)
    data += ["x1:m", "m1:home"]  # in a channel even reading would edit the channel's post
    emu.mark()
    await emu.settle(quiet=0.2)
    before = await snapshot(sandbox)
    since = emu.mark()
    for item in data:
        answer = await emu.callback_answer(emu.press(who, post, item))
        assert answer.get("show_alert") and "admins of this channel" in answer["text"], item
    await emu.settle(quiet=0.2)
    assert {call.method for call in emu.calls[since:]} <= HARMLESS
    assert await snapshot(sandbox) == before


async def test_a_former_channel_admin_cannot_finish_linking(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    olga, ada = emu.add_user("Olga"), emu.add_user("Ada")
    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[olga, ada])
    emu.send_text(ada, "/channel @sleeptips")
    screen = await emu.next_message(ada)
    emu.chat_member_update(channel, ada, "administrator", "member", by=olga)
    await emu.settle(quiet=0.2)
    before = await snapshot(sandbox)
    answer = await emu.callback_answer(emu.press_button(ada, screen, "Birth-month notes"))
    assert answer["show_alert"] and "admins of this channel" in answer["text"]
    await emu.settle(quiet=0.2)
    assert await snapshot(sandbox) == before


async def test_block_then_unblock_keeps_and_resumes_reminders(
    sandbox: Sandbox, rules: Rules, clock: Clock
) -> None:
    emu, subs = sandbox.emulator, sandbox.store.subscriptions
    ann = emu.add_user("Ann", started=True)
    baby = Baby(date(2026, 10, 20), None, "Mia")
    await subs.subscribe(ann.id, baby, "Europe/London", 9, START, rules.milestones.values())
    [sub] = await subs.list_for_chat(ann.id)
    first, second = sub.upcoming[0], sub.upcoming[1]

    emu.block(ann)
    await emu.settle(quiet=0.2)
    [held] = await subs.list_for_chat(ann.id)
    assert held.blocked_at is not None and not held.paused and len(held.notes) == len(sub.notes)

    clock.now = first.due_at + timedelta(minutes=1)  # due while blocked: not sent, not retried
    async with asyncio.timeout(5):  # the dispatcher's rounds make no call to see
        while (await subs.list_for_chat(ann.id))[0].notes[0].status != "skipped":  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    await emu.settle(quiet=0.3)
    assert [c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == ann.id] == []

    emu.unblock(ann)
    welcome = await emu.next_message(ann)
    title = rules.milestones[first.milestone_id].title.get("en")
    assert "Welcome back" in welcome["text"] and title in welcome["text"]
    emu.chat_member_update(emu.private_chat(ann), emu.bot_user, "kicked", "member")
    await emu.settle(quiet=0.3)
    assert len([c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == ann.id]) == 1

    emu.send_text(ann, "/reminders")
    assert "Mia" in (await emu.next_message(ann))["text"]
    clock.now = second.due_at + timedelta(minutes=1)  # resumed: the next note arrives
    note = await emu.next_message(ann)
    assert "Mia" in note["text"]


async def test_a_burst_of_presses_is_answered_at_once_and_holds_no_note_back(
    sandbox: Sandbox, clock: Clock
) -> None:
    emu = sandbox.emulator
    emu.rate_limits = RateLimits(enabled=True, respond_429=True)  # Telegram's 20/min per group
    ada, max_ = emu.add_user("Ada"), emu.add_user("Max")
    group = emu.add_group("Sep 2026 babies", members={ada: "administrator", max_: "member"})
    await set_cohort(emu, ada, group)
    emu.send_text(max_, "/reminders", group)
    listing = await emu.next_message(group)
    await emu.settle(quiet=0.2)

    presses = []
    for number in range(60):  # 60 presses in 3 s: a harder burst than 60 in 30 s
        presses.append(emu.press(max_, listing, "r1:U"))
        if number == 30:
            clock.now = SEP_COHORT_NOTE  # a note falls due to the group mid-burst
            due_since, calls_then = time.monotonic(), len(emu.calls)
        await asyncio.sleep(0.05)
    note = await emu.next_message(group, timeout=5, since=calls_then)
    assert "September 2026" in note["text"]
    assert time.monotonic() - due_since < 3.0
    for update in presses:
        query_id = update["callback_query"]["id"]
        await emu.callback_answer(query_id)
        record = emu.world.callback_queries[query_id]
        [answer] = [
            c
            for c in emu.calls_to("answerCallbackQuery")
            if str(c.params["callback_query_id"]) == query_id
        ]
        assert answer.finished - record.created < 1.0
    assert emu.rate_violations == 0
    assert len(await sandbox.store.subscriptions.list_for_chat(group.id)) == 1


async def test_a_debug_run_logs_no_name_birth_date_or_text(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    out = io.StringIO()
    configure_logging("DEBUG")
    capture = logging.StreamHandler(out)
    capture.setFormatter(RedactingFormatter([]))
    root.addHandler(capture)
    try:
        ann = emu.add_user("Ann")
        emu.send_text(ann, "/subscribe")
        await emu.next_message(ann)
        emu.send_text(ann, "2026-10-03")  # a typed birth date
        early = await emu.next_message(ann)
        emu.press_button(ann, early, "On time")
        await emu.next_edit(ann, early["message_id"])
        emu.send_text(ann, "Zephyrine")  # a name
        zones = await emu.next_message(ann)
        emu.press_button(ann, zones, "London")
        hours = await emu.next_edit(ann, zones["message_id"])
        emu.press_button(ann, hours, "09:00")
        await emu.next_edit(ann, zones["message_id"])
        await emu.settle(quiet=0.2)  # and the note that is current for her age
        emu.send_text(ann, "/triage twitch")
        screen = await emu.next_message(ann)
        while "Yes" in str(screen.get("reply_markup")) and "Summary" not in str(screen):
            emu.press_button(ann, screen, 0)
            screen = await emu.next_edit(ann, screen["message_id"])
        emu.send_text(ann, "she spits up after feeds and I worry about reflux")
        await emu.next_message(ann)
        await emu.settle(quiet=0.3)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
    logged = out.getvalue()
    assert "sendMessage" in logged or "getUpdates" in logged  # the run was really logged
    for secret in ("Zephyrine", "2026-10-03", "03 Oct 2026", "reflux", "spits up"):
        assert secret not in logged, secret
    [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
    assert sub.baby_name == "Zephyrine"


async def test_export_includes_a_sign_up_in_progress(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/subscribe")
    await emu.next_message(ann)
    emu.send_text(ann, "2026-10-03")
    await emu.next_message(ann)
    emu.send_text(ann, "/export")
    exported = await emu.next_message(ann)
    data = json.loads(emu.document(exported).content)
    assert data["draft"]["kind"] == "subscribe"
    assert data["draft"]["data"]["birth"] == "2026-10-03"


async def test_a_chat_keeps_at_most_ten_babies(sandbox: Sandbox, rules: Rules) -> None:
    emu, subs = sandbox.emulator, sandbox.store.subscriptions
    ann = emu.add_user("Ann")
    for number in range(MAX_BABIES):
        baby = Baby(date(2026, 10, 1), None, f"Baby {number}")
        await subs.subscribe(ann.id, baby, "Europe/London", 9, START, rules.milestones.values())
    emu.send_text(ann, "/subscribe")
    assert "10 babies already" in (await emu.next_message(ann))["text"]
    emu.send_text(ann, "/reminders")
    listing = await emu.next_message(ann)
    buttons = [b for row in listing["reply_markup"]["inline_keyboard"] for b in row]
    assert len(buttons) <= 100
    assert len(await subs.list_for_chat(ann.id)) == MAX_BABIES


async def test_control_characters_are_stripped_from_a_typed_name(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/subscribe")
    await emu.next_message(ann)
    emu.send_text(ann, "2026-10-03")
    early = await emu.next_message(ann)
    emu.press_button(ann, early, "On time")
    await emu.next_edit(ann, early["message_id"])
    emu.send_text(ann, "Mi\x00a\u202e\n")
    zones = await emu.next_message(ann)
    emu.press_button(ann, zones, "London")
    hours = await emu.next_edit(ann, zones["message_id"])
    emu.press_button(ann, hours, "09:00")
    await emu.next_edit(ann, zones["message_id"])
    [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
    assert sub.baby_name == "Mia"
