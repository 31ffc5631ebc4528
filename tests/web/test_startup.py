"""Webhook settings, `python -m bot` start-up in webhook mode, and the secret never in output."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from bot.emulator import Emulator
from bot.settings import SettingsError, load_settings
from tests.web.conftest import SECRET, free_port

TOKEN = "4242424242:AAHsecretSECRETsecretSECRETsecret_-x"
BASE = {"TELEGRAM_BOT_TOKEN": TOKEN}


def webhook_env(**extra: str) -> dict[str, str]:
    return BASE | {"WEBHOOK_URL": "https://bot.example.org/tg", "WEBHOOK_SECRET": SECRET} | extra


def test_no_webhook_url_means_long_polling() -> None:
    assert load_settings(BASE | {"WEBHOOK_SECRET": SECRET}).webhook is None


def test_webhook_settings_are_read_and_the_secret_is_not_in_repr() -> None:
    settings = load_settings(webhook_env(PORT="9000"))
    assert settings.webhook is not None
    assert settings.webhook.url == "https://bot.example.org/tg"
    assert (settings.webhook.port, settings.webhook.path) == (9000, "/tg")
    assert settings.webhook.listen == "0.0.0.0"
    assert SECRET not in repr(settings) and TOKEN not in repr(settings)
    assert load_settings(webhook_env()).webhook.port == 8080  # type: ignore[union-attr]


def test_loopback_http_is_allowed_and_listens_on_loopback_only() -> None:
    webhook = load_settings(webhook_env(WEBHOOK_URL="http://127.0.0.1:8081/hook")).webhook
    assert webhook is not None and webhook.listen == "127.0.0.1"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WEBHOOK_URL": "http://bot.example.org/tg"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "bot.example.org/tg"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https:///tg"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org:8080/tg"}, "443, 80, 88 or 8443"),
        ({"WEBHOOK_URL": "https://bot.example.org:99999/tg"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "has spaces in it but long enough"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET"),
        ({"PORT": "http"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
    ],
)
def test_malformed_webhook_settings_are_refused(env: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError, match=expected) as caught:
        load_settings(webhook_env(**env))
    assert SECRET not in str(caught.value)


async def run_bot(
    env: dict[str, str], tmp_path: Path, *, until=None, limit: float = 20.0
) -> tuple[int | None, str, str]:
    """`python -m bot` with `env`; optionally act (`until`) while it runs, then SIGTERM."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "LOG_", "DATABASE", "WEBHOOK_", "PORT"))
    }
    full_env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"} | env
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=full_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    if until is not None:
        try:
            await until()
        finally:
            process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), limit)
    return process.returncode, stdout.decode() + stderr.decode(), stderr.decode()


@pytest.mark.parametrize(
    "url", ["http://bot.example.org/tg", "not a url", "https://bot.example.org:1234/tg"]
)
async def test_malformed_webhook_url_is_one_line_and_exit_2(tmp_path: Path, url: str) -> None:
    code, output, stderr = await run_bot(webhook_env(WEBHOOK_URL=url), tmp_path)
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and "WEBHOOK_URL" in stderr
    assert "Traceback" not in output and SECRET not in output


async def test_missing_secret_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, stderr = await run_bot(webhook_env(WEBHOOK_SECRET=""), tmp_path)
    assert code == 2 and len(stderr.strip().splitlines()) == 1 and "WEBHOOK_SECRET" in stderr


async def test_secret_is_absent_from_debug_output_in_webhook_mode(tmp_path: Path) -> None:
    port = free_port()
    async with Emulator() as emu:
        emu.add_bot(TOKEN)
        ann = emu.add_user("Ann")

        async def chat_a_little() -> None:
            await emu.wait_for("setWebhook", timeout=15)
            emu.send_text(ann, "/start")
            assert await emu.deliver_webhook() == 1
            await emu.next_message(ann, timeout=10)

        env = webhook_env(
            TELEGRAM_BASE_URL=emu.base_url,
            LOG_LEVEL="DEBUG",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/tg",
            PORT=str(port),
        )
        code, output, _ = await run_bot(env, tmp_path, until=chat_a_little)
        [call] = emu.calls_to("setWebhook")
    assert call.params["secret_token"] == SECRET  # it was really sent...
    assert code == 0, output[-2000:]
    assert "setWebhook" in output  # ...and the traffic really logged, as request lines only:
    assert "/start" not in output  # no parent's text, no request parameters
    assert SECRET not in output and TOKEN not in output


async def test_a_taken_port_is_one_error_line_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with Emulator() as emu:
            emu.add_bot(TOKEN)
            env = webhook_env(
                TELEGRAM_BASE_URL=emu.base_url,
                WEBHOOK_URL=f"http://127.0.0.1:{port}/tg",
                PORT=str(port),
            )
            code, output, stderr = await run_bot(env, tmp_path)
    assert code == 1, output[-2000:]
    assert "Traceback" not in output and "cannot start" in stderr and str(port) in stderr
    assert SECRET not in output
