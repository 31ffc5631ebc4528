"""getUpdates, webhooks and a real PTB Application polling the emulator."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.emulator import Emulator, User


async def test_long_poll_returns_as_soon_as_an_update_is_queued(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, emu.send_text, ann, "hi")
    started = loop.time()

    updates = await bot.get_updates(timeout=5)

    elapsed = loop.time() - started
    assert [update.message.text for update in updates] == ["hi"]
    assert 0.15 < elapsed < 1.0


async def test_offset_confirms_updates_and_negative_offset_forgets(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    emu.send_text(ann, "one")
    emu.send_text(ann, "two")

    first = await bot.get_updates()
    again = await bot.get_updates()
    after = await bot.get_updates(offset=first[0].update_id + 1)

    assert [u.message.text for u in first] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert [u.message.text for u in after] == ["two"]
    assert first[1].update_id == first[0].update_id + 1

    emu.send_text(ann, "three")
    emu.send_text(ann, "four")
    latest = await bot.get_updates(offset=-1)
    limited = await bot.get_updates(limit=1)

    assert [u.message.text for u in latest] == ["four"]
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["four"]
    assert len(limited) == 1


async def test_commands_carry_a_bot_command_entity(bot: Bot, emu: Emulator, ann: User) -> None:
    emu.send_text(ann, "/start@sleepsigns_bot twitch")

    (update,) = await bot.get_updates()

    entity = update.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 21)
    assert update.message.chat.id == ann.id == update.message.from_user.id


async def test_allowed_updates_persist_until_changed(bot: Bot, emu: Emulator, ann: User) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    emu.send_text(ann, "dropped")
    await bot.get_updates()  # no allowed_updates: the previous setting stays
    emu.send_text(ann, "dropped too")

    assert emu.pending_updates() == []
    assert [u["message"]["text"] for u in emu.dropped_updates] == ["dropped", "dropped too"]

    await bot.get_updates(allowed_updates=[])  # back to Telegram's default set
    emu.send_text(ann, "delivered")
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["delivered"]


async def test_a_second_poller_terminates_the_first_with_conflict(
    bot: Bot, emu: Emulator, token: str
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(token, base_url=emu.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)

        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
            await first
        await asyncio.sleep(0.35)

    assert any("two getUpdates requests ran at once" in text for text in emu.violations)


@contextlib.asynccontextmanager
async def receiver(received: list[tuple[dict, str | None]]) -> AsyncIterator[str]:
    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((await request.json(), secret))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()


async def test_webhook_blocks_polling_and_delivers_with_the_secret(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    received: list[tuple[dict, str | None]] = []
    async with receiver(received) as url:
        await bot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        emu.send_text(ann, "via webhook")
        info = await bot.get_webhook_info()

        delivered = await emu.deliver_webhook()

    assert info.url == url
    assert info.pending_update_count == 1
    assert delivered == 1
    assert received[0][0]["message"]["text"] == "via webhook"
    assert received[0][1] == "s3cret"
    assert emu.pending_updates() == []
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(f"echo: {update.message.text}")


async def test_a_polling_application_echoes(emu: Emulator, ann: User, token: str) -> None:
    app = Application.builder().token(token).base_url(emu.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)

        emu.send_text(ann, "hello")
        first = await emu.next_message(ann)
        emu.send_text(ann, "again")
        second = await emu.next_message(ann)

        await app.updater.stop()
        await app.stop()

    assert (first["text"], second["text"]) == ("echo: hello", "echo: again")
    assert second["from"]["id"] == emu.bot_user.id
    assert emu.pending_updates() == []  # the shutdown getUpdates confirmed everything
    emu.assert_no_violations()
