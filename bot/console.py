"""`python -m bot console`: chat with the real bot in a terminal, no token and no network.

The same Application that production runs talks to the project's Bot API emulator in this
process. Bot messages print as text; inline keyboards print as numbered choices (type the number
to press one); commands are typed as in Telegram; `@bot <words>` tries inline mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import sys
from typing import Any

from bot.core.rules import Rules
from bot.logging_setup import configure_logging
from bot.sandbox import SANDBOX_TOKEN, running_bot

QUIET_PERIOD = 0.3  # seconds without a bot call before we print and prompt again
MAX_WAIT = 5.0
HELP = (
    "Type as you would in Telegram (try /start). Type a number to press a button, "
    "'@bot twitch' for inline mode, /quit to leave."
)


def _terminal_text(text: str, bold: bool) -> str:
    on, off = ("\033[1m", "\033[0m") if bold else ("", "")
    text = re.sub(r"<b>|<strong>", on, text)
    text = re.sub(r"</b>|</strong>", off, text)
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


class Console:
    def __init__(self, sandbox: Any, out: Any = sys.stdout) -> None:
        self.sandbox = sandbox
        self.emulator = sandbox.emulator
        self.out = out
        self.bold = out.isatty()
        self.user = self.emulator.add_user(first_name="You", language_code="en")
        self.seen = len(self.emulator.calls)
        self.buttons: list[tuple[dict[str, Any], int]] = []  # (message, flat button index)
        self.inline_results: list[dict[str, Any]] = []

    def print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    async def settle(self) -> None:
        """Wait until the bot has gone quiet, then print everything it did."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_WAIT
        last_count, quiet_since = -1, loop.time()
        while loop.time() < deadline:
            count = sum(1 for c in self.emulator.calls[self.seen :] if c.method != "getUpdates")
            if count != last_count:
                last_count, quiet_since = count, loop.time()
            elif count and loop.time() - quiet_since >= QUIET_PERIOD:
                break
            await asyncio.sleep(0.05)
        new_calls = self.emulator.calls[self.seen :]
        self.seen = len(self.emulator.calls)
        for call in new_calls:
            self.render(call)

    def render(self, call: Any) -> None:
        params, result = call.params, (call.response or {}).get("result")
        if call.method in ("sendMessage", "editMessageText") and isinstance(result, dict):
            marker = "" if call.method == "sendMessage" else "(edited) "
            self.print(f"\n🤖 {marker}" + _terminal_text(params.get("text", ""), self.bold))
            self.show_keyboard(result)
        elif call.method == "sendDocument":
            self.print(f"\n🤖 [document: {params.get('caption', 'file')}]")
        elif call.method == "answerCallbackQuery" and params.get("text"):
            self.print(f"\n🔔 {params['text']}")
        elif call.method == "answerInlineQuery":
            self.inline_results = list(params.get("results", []))
            self.print("\n🔎 Inline results:")
            for n, item in enumerate(self.inline_results, start=1):
                self.print(f"  [{n}] {item.get('title')}")
            if not self.inline_results:
                self.print("  (none)")

    def show_keyboard(self, message: dict[str, Any]) -> None:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        self.buttons = []
        flat = [b for row in rows for b in row]
        for index, item in enumerate(flat):
            self.buttons.append((message, index))
            target = f"  → {item['url']}" if "url" in item else ""
            self.print(f"  [{len(self.buttons)}] {item['text']}{target}")

    async def handle(self, line: str) -> None:
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            message, index = self.buttons[int(line) - 1]
            button = [b for row in message["reply_markup"]["inline_keyboard"] for b in row][index]
            if "url" in button:
                self.print(f"(opens {button['url']} in Telegram)")
                return
            self.emulator.press_button(self.user, message, index)
        elif line.startswith("@"):
            self.emulator.inline_query(self.user, line.partition(" ")[2])
        else:
            self.emulator.send_text(self.user, line)
        await self.settle()


async def _chat(rules: Rules) -> None:
    async with running_bot(rules) as sandbox:
        console = Console(sandbox)
        console.print(f"Sleepsigns console (emulated Telegram, no network). {HELP}")
        loop = asyncio.get_running_loop()
        while True:
            if sys.stdin.isatty():
                print("\nyou> ", end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            if not sys.stdin.isatty():
                console.print(f"\nyou> {line}")
            try:
                await console.handle(line)
            except ValueError as exc:  # e.g. a button number that no longer exists
                console.print(f"(console: {exc})")


def run_console(rules: Rules, log_level: str) -> int:
    # Log only problems unless asked for more: the console's own output is the conversation.
    level = log_level if log_level != "INFO" else "WARNING"
    configure_logging(level, [SANDBOX_TOKEN])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_chat(rules))
    return 0
