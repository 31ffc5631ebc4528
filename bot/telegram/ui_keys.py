"""Every UI string key the shell uses, so start-up and check-rules fail on a missing one.

Keys written literally as t("<key>") are found by scanning the shell's source; keys built at
run time (per level, per command) are listed explicitly below.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.telegram.commands import ui_keys as command_keys
from bot.telegram.guard import REFUSAL_KEYS

_SHELL_DIR = Path(__file__).resolve().parent
# The reminder dispatcher renders notes outside the handlers, with the same UI strings.
_SCANNED_DIRS = (_SHELL_DIR, _SHELL_DIR.parent / "reminders")
_LITERAL_KEY = re.compile(
    r"""\b(?:t|texts\(update\)|rules\.text)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']"""
)
TRIAGE_LEVELS = ("emergency", "urgent", "soon", "reassure")
DATE_CODES = ("impossible", "unrecognised", "future", "too_old", "ambiguous")
DYNAMIC_KEYS = {
    f"triage.{kind}.{level}"
    for kind in ("level", "level_short", "disclaimer")
    for level in TRIAGE_LEVELS
} | {f"subscribe.date_{code}" for code in DATE_CODES}


def scan_literal_keys(directories: tuple[Path, ...] = _SCANNED_DIRS) -> set[str]:
    keys: set[str] = set()
    for directory in directories:
        for path in directory.rglob("*.py"):
            keys.update(_LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


UI_KEYS = scan_literal_keys() | command_keys() | DYNAMIC_KEYS | REFUSAL_KEYS
