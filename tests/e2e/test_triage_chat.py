"""The movement check in a private chat: pressing real buttons, as a worried parent would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.core.callbacks import to_base36
from bot.core.rules import Rules
from bot.core.triage import Level, step
from bot.core.triage.models import Flow
from bot.core.triage.paths import enumerate_paths
from bot.emulator import Emulator
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME, Sandbox, running_bot
from bot.store.schema import triage_results


def shortest_path_to(flow: Flow, level: Level) -> list[int]:
    """Option indices of the shortest path that ends at `level`."""
    paths = [
        [question.options.index(option) for question, option in steps]
        for steps, outcome in enumerate_paths(flow)
        if outcome.level == level
    ]
    return min(paths, key=len)


async def start_check(emu: Emulator, user, flow_id: str) -> dict:
    emu.send_text(user, f"/triage {flow_id}")
    return await emu.next_message(user)


async def answer(emu: Emulator, user, message: dict, indices: list[int]) -> dict:
    current = message
    for index in indices:
        emu.press_button(user, message, index)
        current = await emu.next_edit(user, message["message_id"])
    return current


async def test_each_level_is_reached_by_pressing_buttons(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    flow = rules.triage["twitch"]
    for level in Level:
        ann = emu.add_user(f"Parent {level.id}")
        message = await start_check(emu, ann, "twitch")
        assert "question 1 of at most" in message["text"]
        final = await answer(emu, ann, message, shortest_path_to(flow, level))
        headline = rules.text(f"triage.level.{level.id}", "en")
        if level is Level.EMERGENCY:  # no zone, no region: the fallback number text (issue 10)
            headline = rules.text("emergency.call_local", "en", fallback="")
        assert final["text"].startswith(headline.replace("<b>", "").split("</b>")[0])
        assert "not a doctor" in final["text"]  # the disclaimer
        assert len(emu.chat_messages(ann)) == 1  # one message, edited in place
    emergency = rules.text("triage.level.emergency", "en")
    assert "CALL YOUR EMERGENCY NUMBER NOW" in emergency and "🚨" in emergency


async def test_smile_flow_opens_from_a_deep_link(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/start triage_smile")
    message = await emu.next_message(ann)
    assert rules.triage["smile"].title.get("en") in message["text"]
    flow = rules.triage["smile"]
    final = await answer(emu, ann, message, shortest_path_to(flow, Level.SOON))
    assert final["text"].startswith("📞")


async def test_back_and_start_over(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    message = await start_check(emu, ann, "twitch")
    await answer(emu, ann, message, [1, 1])  # No, No
    emu.press_button(ann, message, "Back")
    back = await emu.next_edit(ann, message["message_id"])
    assert "question 2 of" in back["text"]
    emu.press_button(ann, message, "Start over")
    again = await emu.next_edit(ann, message["message_id"])
    assert "question 1 of" in again["text"]


async def test_buttons_keep_working_after_a_restart(rules: Rules, database_url: str) -> None:
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann")
        async with running_bot(rules, database_url=database_url, emulator=emu):
            message = await start_check(emu, ann, "twitch")
            await answer(emu, ann, message, [1, 1])
        # A new process (same database, same chat) picks up the old message's buttons.
        async with running_bot(rules, database_url=database_url, emulator=emu):
            emu.press_button(ann, message, 1)
            after = await emu.next_edit(ann, message["message_id"])
            assert "question 4 of" in after["text"]
        emu.assert_no_violations()


async def test_forged_stale_and_foreign_presses_change_nothing(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
    message = await start_check(emu, ann, "twitch")
    fingerprint = rules.triage["twitch"].fingerprint
    owner = to_base36(ann.id)
    start = "hkz0a"  # a minute since 1970, base36
    cases = {
        f"t1:twitch:{fingerprint}:{owner}:{start}:zzzz": "recognise",  # not a path of the flow
        f"t1:twitch:old0:{owner}:1": "updated",  # the layout before the second revision
        f"t1:twitch:old0:{owner}:{start}:1": "updated",  # made for an older version of the rules
        f"t1:nosuch:{fingerprint}:{owner}:{start}:": "updated",
        f"t1:twitch:{fingerprint}:{owner}:{start}:1:x": "recognise",
        f"t1:twitch:{fingerprint}:{owner}:1": "recognise",  # a field missing
        f"t1:twitch:{fingerprint}:{owner}:-:1": "recognise",  # not a minute
        f"t1:twitch:{fingerprint}:{owner}:zzzzzzzzzzzzz:1": "recognise",  # past any calendar
    }
    for data, expected in cases.items():
        reply = await emu.callback_answer(emu.press(ann, message, data))
        assert reply["show_alert"] and expected in reply["text"], (data, reply)
    # Ben presses a button whose data names Ann as the owner (e.g. a forwarded keyboard).
    own = await start_check(emu, ben, "twitch")
    forged = f"t1:twitch:{fingerprint}:{owner}:{start}:1"
    reply = await emu.callback_answer(emu.press(ben, own, forged))
    assert reply["show_alert"] and "someone else" in reply["text"]
    await emu.settle()
    assert emu.chat_messages(ann) == [message]


async def count_rows(sandbox: Sandbox, chat_id: int) -> int:
    query = (
        select(func.count()).select_from(triage_results).where(triage_results.c.chat_id == chat_id)
    )
    async with sandbox.store.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_summary_history_and_forget(sandbox: Sandbox, rules: Rules, tmp_path: Path) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    flow = rules.triage["twitch"]
    message = await start_check(emu, ann, "twitch")
    await answer(emu, ann, message, shortest_path_to(flow, Level.URGENT))
    assert await count_rows(sandbox, ann.id) == 1

    emu.press_button(ann, message, "Summary for the doctor")
    summary = await emu.next_message(ann)
    assert "summary for the doctor" in summary["text"].lower()
    assert flow.questions[flow.start].text.get("en")[:30] in summary["text"]
    assert "video" in summary["text"]

    emu.send_text(ann, "/history")
    history = await emu.next_message(ann)
    assert flow.title.get("en") in history["text"]

    emu.send_text(ann, "/forget")
    confirm = await emu.next_message(ann)
    emu.press_button(ann, confirm, "Yes")
    await emu.next_edit(ann, confirm["message_id"])
    assert await count_rows(sandbox, ann.id) == 0


async def test_grouped_screen_lists_the_signs_and_buttons_say_the_answer(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    message = await start_check(emu, ann, "twitch")
    buttons = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[:3] == ["Yes, right now", "No, it has stopped", "Not sure"]
    danger = await answer(emu, ann, message, [1])  # "No, it has stopped"
    question = rules.triage["twitch"].questions["danger"]
    for item in question.items:
        assert f"• {item.get('en')}" in danger["text"]
    rows = danger["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows[:3]] == [
        "One or more of these",
        "None of these",
        "Not sure",
    ]


async def timed_start(emu: Emulator, user) -> tuple[dict, tuple[datetime, datetime]]:
    """Start the twitch check; also the clock just before and after (the minute it started)."""
    before = datetime.now(UTC)
    message = await start_check(emu, user, "twitch")
    return message, (before, datetime.now(UTC))


async def test_jerking_now_gets_first_aid_then_the_emergency_with_its_start_time(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    message, (before, after) = await timed_start(emu, ann)
    live = await answer(emu, ann, message, [0])  # "Yes, right now"
    assert "question 2" in live["text"] and "on their side" in live["text"]  # first aid
    final = await answer(emu, ann, message, [1])  # "No, still jerking"
    assert final["text"].startswith("🚨")
    assert rules.triage["twitch"].outcomes["seizure_now"].title.get("en") in final["text"]
    # No time zone chosen yet: the time is in UTC (the minute the check started).
    assert any(f"started at {m:%H:%M}" in final["text"] for m in (before, after))
    assert "call your emergency number now" in final["text"].lower()  # the emergency disclaimer


async def test_summary_lists_each_sign_with_the_answer_in_local_time(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    message, (before, after) = await timed_start(emu, ann)
    flow = rules.triage["twitch"]
    path = shortest_path_to(flow, Level.REASSURE)
    await answer(emu, ann, message, path)
    emu.press_button(ann, message, "Summary for the doctor")
    summary = await emu.next_message(ann)
    grouped = [q for q, _ in step(flow, path).answered if q.grouped]
    assert grouped
    for question in grouped:
        for item in question.items:
            assert f"◦ {item.get('en')}" in summary["text"]
    assert "None of these" in summary["text"]
    # Babel's "en" date with a 24-hour time: "Mar 4, 2026, 21:30 UTC".
    assert any(f"{m:%b} {m.day}, {m:%Y, %H:%M} UTC" in summary["text"] for m in (before, after))
    assert "Sounds like normal sleep jerks" in summary["text"]
