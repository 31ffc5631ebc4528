"""The start-up contract of `python -m bot`, and the token never appearing in any output."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.emulator import Emulator

TOKEN = "4242424242:AAHsecretSECRETsecretSECRETsecret_-x"
SECRET_HALF = TOKEN.split(":", 1)[1]


async def run_bot(env: dict[str, str], tmp_path: Path, *, until=None, limit: float = 20.0):
    """Run `python -m bot` with `env`; optionally act (`until`) while it runs, then SIGTERM."""
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LOG_", "DATABASE"))
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
        await until()
        process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), limit)
    return process.returncode, stdout.decode() + stderr.decode(), stderr.decode()


async def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, output, stderr = await run_bot({}, tmp_path)
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and "TELEGRAM_BOT_TOKEN" in stderr
    assert "Traceback" not in output


async def test_malformed_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, output, stderr = await run_bot({"TELEGRAM_BOT_TOKEN": "not-a-token"}, tmp_path)
    assert code == 2 and len(stderr.strip().splitlines()) == 1
    assert "not-a-token" not in output


async def test_invalid_rules_are_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "locales.yaml").write_text("default: en\nlocales: {en: English}\nextra: 1\n")
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "RULES_DIR": str(tmp_path)}
    code, output, stderr = await run_bot(env, tmp_path)
    assert code == 2 and len(stderr.strip().splitlines()) == 1
    assert "locales.yaml:3" in stderr
    assert TOKEN not in output and SECRET_HALF not in output


async def test_token_is_absent_from_debug_output_when_accepted(tmp_path: Path) -> None:
    async with Emulator() as emu:
        emu.add_bot(TOKEN)
        ann = emu.add_user("Ann")

        async def chat_a_little() -> None:
            # deleteWebhook comes just before polling starts (an empty first long poll would
            # only return after its 10 s timeout).
            await emu.wait_for("deleteWebhook", timeout=15)
            emu.send_text(ann, "/start")
            await emu.next_message(ann, timeout=10)
            emu.press_button(ann, emu.last_message(ann), 0)
            await emu.next_edit(ann, timeout=10)

        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url, "LOG_LEVEL": "DEBUG"}
        code, output, _ = await run_bot(env, tmp_path, until=chat_a_little)
    assert code == 0, output[-2000:]
    assert "Bot API getUpdates: HTTP 200" in output  # it really logged the traffic...
    assert "Bot API sendMessage: HTTP 200" in output
    assert "/start" not in output  # ...never what the parent wrote
    # The transport logs method names, never URLs, so the token is not even there to redact
    # (the redaction itself: the rejected-token test below and tests/test_cli.py).
    assert TOKEN not in output and SECRET_HALF not in output


async def test_token_is_absent_from_debug_output_when_rejected(tmp_path: Path) -> None:
    async with Emulator() as emu:  # the emulator knows no bot: every token gets 401
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url, "LOG_LEVEL": "DEBUG"}
        code, output, stderr = await run_bot(env, tmp_path)
    assert code == 2
    assert "rejected" in stderr.strip().splitlines()[-1]
    assert TOKEN not in output and SECRET_HALF not in output
