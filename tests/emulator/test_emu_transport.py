"""The wire format: tokens, unknown methods, and the three ways parameters can arrive."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot
from telegram.error import InvalidToken

from bot.emulator import Emulator, User


async def test_get_me_answers_the_registered_bot(bot: Bot, emu: Emulator) -> None:
    me = await bot.get_me()

    assert me.id == 123456789  # the token's prefix, as on Telegram
    assert me.username == "sleepsigns_bot"
    assert me.is_bot
    assert emu.calls_to("getMe")[0].ok
    assert emu.base_url.startswith("http://127.0.0.1:")


async def test_unknown_token_is_unauthorized(emu: Emulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("42:wrong", base_url=emu.base_url):
            pass

    call = emu.calls[-1]
    assert call.status == 401
    assert call.response == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_not_found_and_a_violation(emu: Emulator, token: str) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{emu.base_url}{token}/sendTelepathy") as reply,
    ):
        body = await reply.json()

    assert reply.status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert emu.violations == ["sendTelepathy: no such Bot API method"]


async def test_json_body_query_string_and_form_decode_alike(
    emu: Emulator, ann: User, token: str
) -> None:
    url = f"{emu.base_url}{token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    async with aiohttp.ClientSession() as session:
        await session.post(url, json={"chat_id": ann.id, "text": "json", "reply_markup": markup})
        await session.get(url, params={"chat_id": str(ann.id), "text": "query"})
        await session.post(
            url,
            data={
                "chat_id": str(ann.id),
                "text": "form",
                "disable_notification": "true",
                "reply_markup": '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}',
            },
        )

    json_call, query_call, form_call = emu.calls_to("sendMessage")
    assert json_call.params["reply_markup"] == markup
    assert query_call.params == {"chat_id": ann.id, "text": "query"}
    assert form_call.params["reply_markup"] == markup
    assert form_call.params["disable_notification"] is True
    assert [m["text"] for m in emu.chat_messages(ann)] == ["json", "query", "form"]
    emu.assert_no_violations()
