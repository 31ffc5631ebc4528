"""Issue 10 in the chat: the parent's emergency number on the emergency outcome, and the opt-in
"Check on us in 2 hours" after urgent and soon outcomes, pressed as a parent would."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.callbacks import to_base36
from bot.core.milestones import Baby
from bot.core.rules import Rules
from bot.core.triage import Level
from bot.emulator import Emulator, User
from bot.sandbox import Sandbox
from tests.e2e.clocked import Clock, clocked_bot
from tests.e2e.test_triage_chat import answer, shortest_path_to, start_check

START = datetime(2026, 11, 25, 3, 12, tzinfo=UTC)
CHECK_IN_LABEL = "Check on us in 2 hours"


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def bot(rules: Rules, database_url: str, clock: Clock) -> AsyncIterator[Sandbox]:
    async with clocked_bot(rules, database_url, clock) as running:
        yield running


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def labels(message: dict) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def outcome(emu: Emulator, rules: Rules, user: User, level: Level) -> dict:
    message = await start_check(emu, user, "twitch")
    return await answer(emu, user, message, shortest_path_to(rules.triage["twitch"], level))


async def test_the_check_in_button_is_on_urgent_and_soon_outcomes_only(
    bot: Sandbox, rules: Rules
) -> None:
    emu = bot.emulator
    for level in Level:
        parent = emu.add_user(f"Parent {level.id}")
        final = await outcome(emu, rules, parent, level)
        offered = any(CHECK_IN_LABEL in label for label in labels(final))
        assert offered == (level in (Level.URGENT, Level.SOON)), (level, labels(final))
    smile = rules.triage["smile"]
    parent = emu.add_user("Smile parent")
    message = await start_check(emu, parent, "smile")
    final = await answer(emu, parent, message, shortest_path_to(smile, Level.SOON))
    assert any(CHECK_IN_LABEL in label for label in labels(final))


async def test_pressing_schedules_one_check_in_and_it_arrives_once_at_its_time(
    bot: Sandbox, rules: Rules, clock: Clock
) -> None:
    emu, store = bot.emulator, bot.store
    ann = emu.add_user("Ann")
    final = await outcome(emu, rules, ann, Level.URGENT)
    toast = await emu.callback_answer(emu.press_button(ann, final, CHECK_IN_LABEL))
    assert not toast.get("show_alert") and "05:12 UTC" in toast["text"]
    again = await emu.callback_answer(emu.press_button(ann, final, CHECK_IN_LABEL))
    assert "already" in again["text"]
    [pending] = await store.check_ins.list_for_chat(ann.id)
    assert (pending.status, pending.due_at, pending.level) == (
        "pending",
        START + timedelta(hours=2),
        "urgent",
    )

    before = len(emu.chat_messages(ann))
    clock.now = START + timedelta(hours=1, minutes=59)
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(ann)) == before
    clock.now = START + timedelta(hours=2)
    question = await emu.next_message(ann)
    assert "How is your baby now?" in question["text"]
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(ann)) == before + 1

    # The three answers.
    emu.press_button(ann, question, "All fine now")
    fine = await emu.next_edit(ann, question["message_id"])
    assert "glad" in fine["text"]
    [sent] = await store.check_ins.list_for_chat(ann.id)
    assert (sent.status, sent.answer) == ("sent", "fine")


async def test_the_answers_doctor_and_new_signs(bot: Sandbox, rules: Rules, clock: Clock) -> None:
    emu, store = bot.emulator, bot.store
    ann = emu.add_user("Ann")
    final = await outcome(emu, rules, ann, Level.SOON)
    await emu.callback_answer(emu.press_button(ann, final, CHECK_IN_LABEL))
    clock.now = START + timedelta(hours=2, seconds=1)
    question = await emu.next_message(ann)
    await emu.settle(quiet=0.2)

    emu.press_button(ann, question, "New worrying signs")
    restart = await emu.next_message(ann)
    assert "question 1 of at most" in restart["text"]
    assert rules.triage["twitch"].title.get("en") in restart["text"]

    emu.press_button(ann, question, "We saw a doctor")
    doctor = await emu.next_edit(ann, question["message_id"])
    assert "doctor said" in doctor["text"]
    [sent] = await store.check_ins.list_for_chat(ann.id)
    assert sent.answer == "doctor"


async def test_forged_check_in_data_gets_an_alert_and_changes_nothing(
    bot: Sandbox, rules: Rules, clock: Clock
) -> None:
    emu, store = bot.emulator, bot.store
    ann, eve = emu.add_user("Ann"), emu.add_user("Eve")
    final = await outcome(emu, rules, ann, Level.URGENT)
    await emu.callback_answer(emu.press_button(ann, final, CHECK_IN_LABEL))
    clock.now = START + timedelta(hours=2)
    question = await emu.next_message(ann)
    await emu.settle(quiet=0.2)
    [check_in] = await store.check_ins.list_for_chat(ann.id)
    eves = await start_check(emu, eve, "twitch")  # a message of Eve's own to press under
    await emu.settle(quiet=0.2)
    for user, message, data in [
        (ann, question, "k1:x:" + to_base36(check_in.id)),  # not an answer
        (ann, question, "k1:f:zz9zz"),  # no such check-in
        (ann, question, "k1:f:-"),  # not a number
        (eve, eves, "k1:f:" + to_base36(check_in.id)),  # Ann's check-in, from Eve's chat
        (ann, question, "k2:f:" + to_base36(check_in.id)),  # a version this bot never made
    ]:
        reply = await emu.callback_answer(emu.press(user, message, data))
        assert reply["show_alert"] is True and reply["text"], data
    # A forged "check on us" action on a reassure outcome schedules nothing either.
    bob = emu.add_user("Bob")
    calm = await outcome(emu, rules, bob, Level.REASSURE)
    stay = next(b["callback_data"] for b in buttons(calm) if "Start over" in b["text"])
    forged = stay.rsplit(":", 1)[0] + ":" + calm_answers(calm) + ":k"
    reply = await emu.callback_answer(emu.press(bob, calm, forged))
    assert reply["show_alert"] is True
    await emu.settle(quiet=0.2)
    assert await store.check_ins.list_for_chat(bob.id) == []
    assert await store.check_ins.list_for_chat(eve.id) == []
    [unchanged] = await store.check_ins.list_for_chat(ann.id)
    assert unchanged == check_in  # no answer recorded, nothing moved


def calm_answers(message: dict) -> str:
    """The answers field of the outcome's own buttons (the summary button carries it)."""
    summary = next(b["callback_data"] for b in buttons(message) if "Summary" in b["text"])
    return summary.split(":")[4]


async def test_forget_removes_a_pending_check_in_and_export_lists_it(
    bot: Sandbox, rules: Rules, clock: Clock
) -> None:
    emu, store = bot.emulator, bot.store
    ann = emu.add_user("Ann")
    final = await outcome(emu, rules, ann, Level.URGENT)
    await emu.callback_answer(emu.press_button(ann, final, CHECK_IN_LABEL))

    emu.send_text(ann, "/export")
    document = await emu.next_message(ann)
    exported = json.loads(emu.document(document).content)
    assert [(c["level"], c["status"]) for c in exported["check_ins"]] == [("urgent", "pending")]

    emu.send_text(ann, "/forget")
    confirm = await emu.next_message(ann)
    emu.press_button(ann, confirm, "Yes, delete it all")
    await emu.next_edit(ann, confirm["message_id"])
    assert await store.check_ins.list_for_chat(ann.id) == []
    before = len(emu.chat_messages(ann))
    clock.now = START + timedelta(hours=2, minutes=1)
    await emu.settle(quiet=0.4)
    assert len(emu.chat_messages(ann)) == before  # nothing arrives


async def test_the_emergency_outcome_names_the_parents_number_with_a_copy_button(
    bot: Sandbox, rules: Rules
) -> None:
    emu, store = bot.emulator, bot.store
    # Telegram's language says GB: 999, and 112 also works.
    uk = emu.add_user("Uma", language_code="en-GB")
    final = await outcome(emu, rules, uk, Level.EMERGENCY)
    assert final["text"].startswith("🚨 CALL 999 NOW")
    assert "112 also works" in final["text"]
    [copy] = [b for b in buttons(final) if "copy_text" in b]
    assert copy["copy_text"] == {"text": "999"} and "999" in copy["text"]
    assert not any(CHECK_IN_LABEL in label for label in labels(final))

    # The zone the parent chose beats the language: a subscription in Berlin means 112.
    de = emu.add_user("Dora", language_code="en-US")
    await store.subscriptions.subscribe(
        de.id,
        Baby(START.date() - timedelta(days=30), None, "Mia"),
        "Europe/Berlin",
        9,
        START,
        rules.milestones.values(),
    )
    final = await outcome(emu, rules, de, Level.EMERGENCY)
    assert final["text"].startswith("🚨 CALL 112 NOW")
    assert [b["copy_text"]["text"] for b in buttons(final) if "copy_text" in b] == ["112"]

    # Nothing known: the fallback text and the short list, and no copy button.
    anyone = emu.add_user("Ali", language_code="en")
    final = await outcome(emu, rules, anyone, Level.EMERGENCY)
    assert "your local emergency number (112 works from mobiles in many countries)" in final["text"]
    assert "911: USA, Canada, Mexico" in final["text"]
    assert not [b for b in buttons(final) if "copy_text" in b]


async def test_check_on_us_is_refused_in_a_group_even_with_valid_data(
    bot: Sandbox, rules: Rules
) -> None:
    emu, store = bot.emulator, bot.store
    ann = emu.add_user("Ann")
    final = await outcome(emu, rules, ann, Level.URGENT)
    data = next(b["callback_data"] for b in buttons(final) if CHECK_IN_LABEL in b["text"])
    group = emu.add_group("Parents", members={ann: "member"})
    emu.send_text(ann, "/triage", group)
    in_group = await emu.next_message(group)  # the "continue privately" pointer
    reply = await emu.callback_answer(emu.press(ann, in_group, data, group))
    assert reply["show_alert"] is True
    await emu.settle(quiet=0.2)
    assert await store.check_ins.list_for_chat(group.id) == []
    assert await store.check_ins.list_for_chat(ann.id) == []
