"""The Bot API transport (aiohttp) against small real HTTP servers on 127.0.0.1: what it sends,
how it fails, and that no failure quotes the URL (which holds the token)."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot import metrics
from bot.telegram.transport import AiohttpRequest, method_of

TOKEN = "123456:SECRET-transport-token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def ok(result: object) -> web.Response:
    return web.json_response({"ok": True, "result": result})


MESSAGE = {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}
ME = {"id": 123456, "is_bot": True, "first_name": "Sleepsigns", "username": "sleepsigns_bot"}


async def serve(handler: Handler, tls: ssl.SSLContext | None = None) -> tuple[web.AppRunner, str]:
    """`handler` behind /bot<token>/<method> (over HTTPS with `tls`); getMe (which
    `Bot.initialize` calls) answered."""

    async def route(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/getMe"):
            return ok(ME)
        return await handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", route)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"{'https' if tls else 'http'}://127.0.0.1:{port}/bot"


async def test_parameters_go_as_one_json_body_and_the_answer_comes_back() -> None:
    requests: list[tuple[str, str, bytes]] = []

    async def handler(request: web.Request) -> web.Response:
        requests.append((request.path, request.content_type, await request.read()))
        return ok(MESSAGE)

    runner, base = await serve(handler)
    try:
        async with Bot(TOKEN, base_url=base, request=AiohttpRequest(4)) as bot:
            message = await bot.send_message(
                5, "<b>hi</b>", parse_mode="HTML", reply_markup={"inline_keyboard": []}
            )
    finally:
        await runner.cleanup()
    assert message.message_id == 1
    path, content_type, body = requests[-1]
    assert path == f"/bot{TOKEN}/sendMessage"
    assert content_type == "application/json"
    # Objects stay objects (not JSON strings inside JSON), as Telegram reads a JSON body.
    assert json.loads(body) == {
        "chat_id": 5,
        "text": "<b>hi</b>",
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": []},
    }


async def test_uploads_go_as_multipart_with_the_file_and_the_fields() -> None:
    parts: dict[str, object] = {}

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        for name, value in form.items():
            parts[name] = (
                (value.filename, value.file.read(), value.content_type)
                if isinstance(value, web.FileField)
                else value
            )
        return ok({**MESSAGE, "document": {"file_id": "f", "file_unique_id": "u"}})

    runner, base = await serve(handler)
    try:
        async with Bot(TOKEN, base_url=base, request=AiohttpRequest(4)) as bot:
            await bot.send_document(
                5, InputFile(b"a,b\n1,2\n", filename="export.csv"), caption="Your data"
            )
    finally:
        await runner.cleanup()
    assert parts["chat_id"] == "5"
    assert parts["caption"] == "Your data"
    assert parts["document"] == ("export.csv", b"a,b\n1,2\n", "text/csv")


async def test_telegram_errors_keep_their_meaning() -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.path.endswith("/sendMessage"):
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests",
                    "parameters": {"retry_after": 3},
                },
                status=429,
            )
        return web.json_response(
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
            status=400,
        )

    runner, base = await serve(handler)
    try:
        async with AiohttpRequest(2) as request:
            bot = Bot(TOKEN, base_url=base, request=request)
            with pytest.raises(RetryAfter):
                await bot.send_message(5, "hi")
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.get_chat(5)
    finally:
        await runner.cleanup()


async def test_a_silent_server_times_out_after_the_read_timeout() -> None:
    async def handler(_request: web.Request) -> web.Response:
        await asyncio.sleep(1.5)
        return ok(True)

    runner, base = await serve(handler)
    try:
        async with AiohttpRequest(2, read_timeout=0.2) as request:
            bot = Bot(TOKEN, base_url=base, request=request)
            loop = asyncio.get_running_loop()
            began = loop.time()
            with pytest.raises(TimedOut) as caught:
                await bot.send_message(5, "hi")
            assert loop.time() - began < 2
    finally:
        await runner.cleanup()
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_an_unreachable_server_is_a_network_error_that_does_not_quote_the_url() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AiohttpRequest(2) as request:
        bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(5, "hi")
    assert not isinstance(caught.value, TimedOut)
    assert TOKEN not in str(caught.value) and "SECRET" not in repr(caught.value)
    assert caught.value.__cause__ is None


async def test_every_round_trip_is_timed_by_method_name_only() -> None:
    async def handler(_request: web.Request) -> web.Response:
        return ok(MESSAGE)

    before = metrics.sample("sleepsigns_bot_api_request_seconds_count", method="sendMessage")
    runner, base = await serve(handler)
    try:
        async with Bot(TOKEN, base_url=base, request=AiohttpRequest(2)) as bot:
            await bot.send_message(5, "hi")
            await bot.send_message(5, "hi")
    finally:
        await runner.cleanup()
    after = metrics.sample("sleepsigns_bot_api_request_seconds_count", method="sendMessage")
    assert after == before + 2
    assert method_of(f"http://x/bot{TOKEN}/sendMessage") == "sendMessage"
    assert method_of(f"http://x/file/bot{TOKEN}/photos/1.jpg") == "other"


async def test_a_request_before_initialize_or_after_shutdown_is_refused() -> None:
    request = AiohttpRequest(1)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "GET")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "GET")
    with pytest.raises(ValueError):
        AiohttpRequest(0)


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A key and a certificate for 127.0.0.1 that no trusted root signed."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*request, "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return key, cert


async def test_https_refuses_a_certificate_no_trusted_root_signed(
    self_signed: tuple[Path, Path],
) -> None:
    """TLS is verified (certifi's roots): a self-signed server is a NetworkError, not a reply."""
    key, cert = self_signed
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    answered: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        answered.append(request.path)
        return ok(MESSAGE)

    runner, base = await serve(handler, tls)
    try:
        async with AiohttpRequest(1) as request:
            bot = Bot(TOKEN, base_url=base, request=request)
            with pytest.raises(NetworkError) as caught:
                await bot.send_message(5, "hi")
    finally:
        await runner.cleanup()
    assert answered == []
    assert TOKEN not in str(caught.value)


async def test_a_slow_download_that_keeps_coming_is_not_cut_off() -> None:
    """Only uploads get a bound on the whole request: a file that arrives in pieces, each within
    the read timeout, downloads even when it takes longer than all the timeouts together."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(8):
            await response.write(b"x" * 1000)
            await asyncio.sleep(0.1)
        await response.write_eof()
        return response

    runner, base = await serve(handler)
    timeouts = {"connect_timeout": 0.1, "read_timeout": 0.3, "write_timeout": 0.1}
    try:
        async with AiohttpRequest(1, pool_timeout=0.1, **timeouts) as request:
            content = await request.retrieve(base.replace("/bot", "/file/bot") + "1/video.mp4")
    finally:
        await runner.cleanup()
    assert content == b"x" * 8000  # 0.8 s, where the four timeouts add up to 0.6 s
