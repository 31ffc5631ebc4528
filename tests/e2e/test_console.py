"""`python -m bot console`: a newcomer can try the bot with no token and no network."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.core.rules import Rules


def test_console_chats_with_the_real_bot(rules: Rules) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/start\n1\n99\n@bot twitch\n/quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Hi, I'm Sleepsigns." in out  # /start answered
    assert "(edited) What would you like to know?" in out  # button 1 pressed, message edited
    menu_end = len(rules.explainers) + 1  # one button per topic, then the main menu
    assert f"[{menu_end}] 🏠 Main menu" in out  # keyboards print as numbered choices
    assert "Inline results:" in out and "Why babies twitch" in out
    assert "Traceback" not in out + result.stderr
