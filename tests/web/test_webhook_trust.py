"""Webhook mode and trust (issue 11): unreadable bodies, bad updates, /forget and the inbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.store.schema import update_inbox
from bot.web.receiver import SECRET_HEADER
from tests.store.backends import BACKENDS, database_for
from tests.web.conftest import SECRET, WebBot


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_for(request.param, tmp_path) as url:
        yield url


async def post_raw(webbot: WebBot, body: str) -> int:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(webbot.webhook.url, data=body, headers=headers) as reply,
    ):
        return reply.status


async def test_any_unreadable_body_is_400_without_a_traceback(
    webbot: WebBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = '{"update_id": 1, "message": ' + "[" * 100_000 + "]" * 100_000 + "}"
    for body in (deep, "[1, 2]", '"text"', "{", '{"update_id": true}', "null"):
        assert await post_raw(webbot, body) == 400, body[:40]
    assert await webbot.store.inbox.depth() == 0
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_bad_update_does_not_hold_its_chats_next_one(webbot: WebBot) -> None:
    emu = webbot.emulator
    ann = emu.add_user("Ann", started=True)
    bad = {"update_id": 900, "message": {"chat": {"id": ann.id, "type": "private"}}}  # no date
    assert await webbot.post(bad) == 200
    emu.send_text(ann, "/start")
    assert await emu.deliver_webhook() == 1
    reply = await emu.next_message(ann, timeout=1.5)  # a retry backoff would take seconds
    assert "Sleepsigns" in reply["text"]
    assert await webbot.store.inbox.status(900) == (True, 0)


async def test_forget_leaves_no_inbox_row_with_the_chat_id(webbot: WebBot) -> None:
    emu = webbot.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/start")
    assert await emu.deliver_webhook() == 1
    await emu.next_message(ann)
    emu.send_text(ann, "/forget")
    assert await emu.deliver_webhook() == 1
    confirm = await emu.next_message(ann)
    emu.press_button(ann, confirm, "Yes")
    assert await emu.deliver_webhook() == 1
    await emu.next_edit(ann, confirm["message_id"])
    await webbot.drained()
    await asyncio.sleep(0.1)
    async with webbot.store.engine.connect() as conn:
        rows = (await conn.execute(select(update_inbox))).all()
    assert rows and all(row.chat_key != ann.id and row.payload == "" for row in rows)
