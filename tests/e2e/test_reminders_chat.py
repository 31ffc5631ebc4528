"""Milestone reminders in a private chat: subscribing, delivery at the right hour, managing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME, Sandbox, running_bot
from bot.store.schema import chat_states, scheduled_notes, subscriptions, triage_results
from tests.e2e.clocked import START, Clock, labels


@pytest.fixture
async def clocked(rules: Rules, database_url: str) -> AsyncIterator[Sandbox]:
    """The bot on a fixed date (25 Nov 2026), so date pickers and ages never drift."""
    async with running_bot(rules, database_url=database_url, clock=Clock(START)) as sandbox:
        yield sandbox
    sandbox.emulator.assert_no_violations()


async def press(emu: Emulator, user, message: dict, label: str) -> dict:
    emu.press_button(user, message, label)
    return await emu.next_edit(user, message["message_id"])


async def subscribe_by_picker(emu: Emulator, user, name: str = "Mia") -> dict:
    emu.send_text(user, "/subscribe")
    screen = await emu.next_message(user)
    assert "When was your baby born?" in screen["text"]
    assert labels(screen)[0] == "2026" and "2027" not in labels(screen)
    months = await press(emu, user, screen, "2026")
    assert "Dec" not in labels(months)  # no future months
    days = await press(emu, user, months, "Sep")
    early = await press(emu, user, days, "1")
    named = await press(emu, user, early, "On time")
    assert "call your baby" in named["text"]
    emu.send_text(user, name)  # after typed text the next step comes as a new message
    zones = await emu.next_message(user)
    hours = await press(emu, user, zones, "London")
    return await press(emu, user, hours, "09:00")


async def count(sandbox: Sandbox, table, chat_id: int) -> int:
    query = select(func.count()).select_from(table).where(table.c.chat_id == chat_id)
    async with sandbox.store.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_subscribe_by_picker_then_exactly_one_note_at_the_local_hour(
    rules: Rules, database_url: str
) -> None:
    clock = Clock(START)
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann")
        async with running_bot(
            rules, database_url=database_url, clock=clock, emulator=emu, reminder_interval=0.05
        ) as sandbox:
            done = await subscribe_by_picker(emu, ann)
            assert "All set" in done["text"] and "Mia" in done["text"]
            # What is current for a 12-week-old right now: one note, not the backlog.
            current = await emu.next_message(ann)
            assert "12" in current["text"] and "Mia" in current["text"]
            await emu.settle(quiet=0.3)
            before = len(emu.chat_messages(ann))
            assert await count(sandbox, subscriptions, ann.id) == 1

            # 3 months old on 1 Dec: due at 09:00 London time (09:00 UTC in winter).
            clock.now = datetime(2026, 12, 1, 8, 59, tzinfo=UTC)
            await emu.settle(quiet=0.3)
            assert len(emu.chat_messages(ann)) == before
            clock.now = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)
            note = await emu.next_message(ann)
            assert note["text"].startswith("3 months")
            await emu.settle(quiet=0.3)
            assert len(emu.chat_messages(ann)) == before + 1
        # Restart with the same database at the same moment: nothing is sent twice.
        async with running_bot(
            rules, database_url=database_url, clock=clock, emulator=emu, reminder_interval=0.05
        ):
            await emu.settle(quiet=0.5)
            assert len(emu.chat_messages(ann)) == before + 1
        emu.assert_no_violations()


async def test_missed_note_after_two_days_down_arrives_once(
    rules: Rules, database_url: str
) -> None:
    clock = Clock(START)
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann")
        async with running_bot(rules, database_url=database_url, clock=clock, emulator=emu):
            await subscribe_by_picker(emu, ann)
            await emu.settle(quiet=0.3)
        before = len(emu.chat_messages(ann))
        clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # down from 25 Nov to 3 Dec
        async with running_bot(
            rules, database_url=database_url, clock=clock, emulator=emu, reminder_interval=0.05
        ):
            await emu.next_message(ann)
            await emu.settle(quiet=0.5)
        assert len(emu.chat_messages(ann)) == before + 1


async def test_typed_dates_good_and_bad(rules: Rules, database_url: str) -> None:
    async with running_bot(rules, database_url=database_url, clock=Clock(START)) as sandbox:
        emu = sandbox.emulator
        ann = emu.add_user("Ann")
        emu.send_text(ann, "/subscribe")
        await emu.next_message(ann)
        for typed, expected in [
            ("31/02/2026", "does not exist"),
            ("next tuesday", "could not read"),
            ("2027-01-01", "future"),
            ("2019-01-01", "more than 5 years"),
        ]:
            emu.send_text(ann, typed)
            reply = await emu.next_message(ann)
            assert expected in reply["text"], (typed, reply["text"])
        emu.send_text(ann, "03/04/2026")
        choice = await emu.next_message(ann)
        assert sorted(labels(choice)[:2]) == ["Apr 3, 2026", "Mar 4, 2026"]  # Babel's "en"
        emu.press_button(ann, choice, "Mar 4, 2026")
        early = await emu.next_edit(ann, choice["message_id"])
        assert "born early" in early["text"]
        emu.send_text(ann, "1 Sep 2026")  # typing at a button step gets a pointer, changes nothing
        assert "tap one of the buttons" in (await emu.next_message(ann))["text"]
        assert await count(sandbox, subscriptions, ann.id) == 0


async def test_premature_baby_and_typed_city(clocked: Sandbox) -> None:
    sandbox = clocked
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/subscribe")
    screen = await emu.next_message(ann)
    assert screen
    emu.send_text(ann, "2026-10-01")
    early = await emu.next_message(ann)
    weeks = await press(emu, ann, early, "Born early")
    name = await press(emu, ann, weeks, "32")
    zones = await press(emu, ann, name, "Skip")
    emu.send_text(ann, "Qwertzburg")
    assert "don't know that place" in (await emu.next_message(ann))["text"]
    assert zones
    emu.send_text(ann, "berlin")
    hours = await emu.next_message(ann)
    done = await press(emu, ann, hours, "07:00")
    assert "Europe/Berlin" in done["text"] and "your baby" in done["text"]
    [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
    assert sub.gestational_weeks == 32 and sub.delivery_hour == 7 and sub.baby_name is None


async def test_a_city_name_of_several_places_offers_a_button_per_place(clocked: Sandbox) -> None:
    sandbox = clocked
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/subscribe")
    await emu.next_message(ann)
    emu.send_text(ann, "2026-10-01")
    early = await emu.next_message(ann)
    name = await press(emu, ann, early, "On time (37 weeks or later)")
    await press(emu, ann, name, "Skip")
    emu.send_text(ann, "Portland")  # Oregon or Maine
    which = await emu.next_message(ann)
    assert "more than one place" in which["text"]
    oregon = "Portland, United States · America/Los_Angeles"
    maine = "Portland, United States · America/New_York"
    assert labels(which) == [oregon, maine, "✖️ Cancel"]
    hours = await press(emu, ann, which, maine)
    done = await press(emu, ann, hours, "07:00")
    assert "America/New_York" in done["text"]
    [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
    assert sub.timezone == "America/New_York"


async def test_a_spanish_parent_types_a_spanish_date_and_city(clocked: Sandbox) -> None:
    """Month names, cities, country names, hours and dates in Spanish, all from Babel."""
    sandbox = clocked
    emu = sandbox.emulator
    ana = emu.add_user("Ana", language_code="es")
    emu.send_text(ana, "/subscribe")
    await emu.next_message(ana)
    emu.send_text(ana, "1 de septiembre de 2026")
    early = await emu.next_message(ana)
    name = await press(emu, ana, early, "A tiempo (37 semanas o más)")
    zones = await press(emu, ana, name, "Saltar")
    assert zones
    emu.send_text(ana, "Córdoba")
    which = await emu.next_message(ana)
    assert "más de un lugar" in which["text"]
    spain = "Córdoba, España · Europe/Madrid"
    assert labels(which) == ["Córdoba, Argentina · America/Argentina/Cordoba", spain, "✖️ Salir"]
    hours = await press(emu, ana, which, spain)
    assert "7:00" in labels(hours) and "07:00" not in labels(hours)  # Spanish writes 7:00
    await press(emu, ana, hours, "7:00")
    await emu.next_message(ana)  # the note that is current at 12 weeks
    emu.send_text(ana, "/reminders")
    listing = await emu.next_message(ana)
    assert "nació el 1 sept 2026. Notas a las 7:00 (Europe/Madrid)" in listing["text"]


async def test_a_restart_mid_subscribe_loses_nothing(rules: Rules, database_url: str) -> None:
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann")
        async with running_bot(rules, database_url=database_url, clock=Clock(START), emulator=emu):
            emu.send_text(ann, "/subscribe")
            screen = await emu.next_message(ann)
            months = await press(emu, ann, screen, "2026")
        async with running_bot(rules, database_url=database_url, clock=Clock(START), emulator=emu):
            days = await press(emu, ann, months, "Sep")
            early = await press(emu, ann, days, "1")
            assert "born early" in early["text"]
        emu.assert_no_violations()


async def test_manage_export_and_forget(clocked: Sandbox, tmp_path: Path) -> None:
    sandbox = clocked
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    await subscribe_by_picker(emu, ann)
    await emu.next_message(ann)  # the note that is current at 12 weeks
    emu.send_text(ann, "/reminders")
    listing = await emu.next_message(ann)
    assert "Mia" in listing["text"] and "Pause Mia" in " ".join(labels(listing))
    paused = await press(emu, ann, listing, "Pause Mia")
    assert "Paused" in paused["text"]
    resumed = await press(emu, ann, paused, "Resume Mia")
    hours = await press(emu, ann, resumed, "Change time")
    moved = await press(emu, ann, hours, "19:00")
    assert "19:00" in moved["text"]

    emu.send_text(ann, "/export")
    document = await emu.next_message(ann)
    exported = json.loads(emu.document(document).content)
    assert exported["subscriptions"][0]["birth_date"] == "2026-09-01"

    emu.send_text(ann, "/forget")
    confirm = await emu.next_message(ann)
    await press(emu, ann, confirm, "Yes")
    for table in (subscriptions, scheduled_notes, triage_results, chat_states):
        assert await count(sandbox, table, ann.id) == 0


async def test_forged_reminder_buttons_change_nothing(clocked: Sandbox) -> None:
    sandbox = clocked
    emu = sandbox.emulator
    ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
    await subscribe_by_picker(emu, ann)
    [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
    emu.send_text(ben, "/start")
    menu = await emu.next_message(ben)
    for data in (f"r1:D:{sub.id}", "r1:H:1:3", "s1:d:20260901", "n1:nosuch:x", "r1:p:abc"):
        answer = await emu.callback_answer(emu.press(ben, menu, data))
        assert answer["show_alert"], data
    assert len(await sandbox.store.subscriptions.list_for_chat(ann.id)) == 1


async def test_yes_smiling_keeps_the_12_week_check(rules: Rules, database_url: str) -> None:
    """A reflex smile at 6 to 8 weeks can pass for a social one, so the 12-week check stays."""
    clock = Clock(datetime(2026, 10, 14, 12, tzinfo=UTC))  # 6 weeks old
    async with running_bot(rules, database_url=database_url, clock=clock) as sandbox:
        emu = sandbox.emulator
        ann = emu.add_user("Ann")
        await subscribe_by_picker(emu, ann)
        current = await emu.next_message(ann)
        assert "6 and 8 weeks" in current["text"]
        emu.press_button(ann, current, "Yes, smiling!")
        thanks = await emu.next_message(ann)
        assert "still check in at 12 weeks" in thanks["text"]
        [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
        statuses = {n.milestone_id: n.status for n in sub.notes}
        assert statuses["smile_check_12w"] == "pending"
        assert set(statuses.values()) == {"pending"}


async def test_a_late_subscriber_gets_the_spasm_note_the_next_morning(
    rules: Rules, database_url: str
) -> None:
    """Born 1 Sep 2026 and 30 weeks old: the 17-week spasm note is past, but still relevant."""
    clock = Clock(datetime(2027, 3, 30, 12, tzinfo=UTC))
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann")
        async with running_bot(
            rules, database_url=database_url, clock=clock, emulator=emu, reminder_interval=0.05
        ) as sandbox:
            emu.send_text(ann, "/subscribe")
            await emu.next_message(ann)
            emu.send_text(ann, "1 Sep 2026")
            early = await emu.next_message(ann)
            named = await press(emu, ann, early, "On time")
            zones = await press(emu, ann, named, "Skip")
            hours = await press(emu, ann, zones, "London")
            await press(emu, ann, hours, "09:00")
            current = await emu.next_message(ann)  # 27 weeks: fever fits
            assert "Fever fits" in current["text"]
            [sub] = await sandbox.store.subscriptions.list_for_chat(ann.id)
            due = {n.milestone_id: n.due_at for n in sub.notes}
            assert due["infantile_spasms"] == datetime(2027, 3, 31, 8, tzinfo=UTC)  # 09:00 BST

            clock.now = datetime(2027, 3, 31, 8, 0, 30, tzinfo=UTC)
            note = await emu.next_message(ann)
            assert note["text"].startswith("Infantile spasms")
            assert "⚡ Infantile spasms: what to look for" in labels(note)
            await emu.settle(quiet=0.3)
        emu.assert_no_violations()


def test_grace_constant_is_72_hours() -> None:
    from bot.core.milestones import GRACE

    assert timedelta(hours=72) == GRACE


async def test_triage_offers_the_subscribed_babys_age_as_one_tap(clocked: Sandbox) -> None:
    emu = clocked.emulator
    ann = emu.add_user("Ann")
    await subscribe_by_picker(emu, ann)
    await emu.next_message(ann)
    emu.send_text(ann, "/triage smile")
    check = await emu.next_message(ann)
    screen = check
    for _ in range(12):
        if any("weeks old" in label for label in labels(screen)):
            break
        safe = "None of these" if "None of these" in labels(screen) else "No"
        screen = await press(emu, ann, check, safe)
    assert labels(screen)[0] == "✅ Mia: 12 weeks old"
    after = await press(emu, ann, check, "✅ Mia: 12 weeks old")
    assert "smile back" in after["text"]  # at 12 weeks the social-smile question comes next
