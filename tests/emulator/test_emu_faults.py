"""Injected faults, blocking and migration surface as PTB's own exceptions."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.emulator import Emulator, User


# PTB warns about the future type of RetryAfter.retry_after when it builds the exception.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_is_retry_after(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.inject("sendMessage", chat_id=ann, retry_after=7)

    with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
        await bot.send_message(ann.id, "reminder")
    sent = await bot.send_message(ann.id, "reminder")  # only the next call was hit

    assert emu.calls_to("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert sent.text == "reminder"
    assert [m["text"] for m in emu.chat_messages(ann)] == ["reminder"]


async def test_injected_403_and_5xx(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.inject("sendMessage", error_code=403)
    emu.inject("sendMessage", error_code=502, times=2)

    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ann.id, "x")
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(ann.id, "x")
    assert emu.pending_faults == []


async def test_blocked_user_answers_403_until_unblocked(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.block(ann)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ann.id, "x")

    emu.unblock(ann)
    assert (await bot.send_message(ann.id, "welcome back")).text == "welcome back"
    statuses = [u["my_chat_member"]["new_chat_member"]["status"] for u in emu.pending_updates()]
    assert statuses == ["kicked", "member"]


async def test_migrated_group_answers_chat_migrated(bot: Bot, emu: Emulator, ann: User) -> None:
    group = emu.add_group("Family", members={ann: "creator"})

    supergroup = emu.migrate_to_supergroup(group)

    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(group.id, "hello?")
    assert raised.value.new_chat_id == supergroup.id
    assert str(supergroup.id).startswith("-100")
    assert (await bot.send_message(supergroup.id, "hello!")).chat.type == "supergroup"
    service = [u["message"] for u in emu.pending_updates()]
    assert service[0]["migrate_to_chat_id"] == supergroup.id
    assert service[1]["migrate_from_chat_id"] == group.id


async def test_injected_migration_answer(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.inject("sendMessage", migrate_to_chat_id=-1009999)

    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(ann.id, "x")

    assert raised.value.new_chat_id == -1009999
    assert emu.calls[-1].status == 400


async def test_delay_holds_the_call_then_processes_it(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.delay("sendMessage", 0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()

    sent = await bot.send_message(ann.id, "slow")

    assert loop.time() - started >= 0.3
    assert sent.text == "slow"


async def test_unanswered_and_doubly_answered_callbacks(bot: Bot, emu: Emulator, ann: User) -> None:
    message = await bot.send_message(ann.id, "Q", reply_markup={"inline_keyboard": []})
    first = emu.press(ann, message.message_id, "a")["callback_query"]["id"]
    second = emu.press(ann, message.message_id, "b")["callback_query"]["id"]

    await bot.answer_callback_query(first)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(first)

    assert emu.unanswered_callback_queries() == [second]
    assert emu.violations == [f"answerCallbackQuery: callback query {first} answered twice"]
