"""TELEGRAM_BASE_FILE_URL: where downloaded files come from (issue 14), else derived from
TELEGRAM_BASE_URL the way Telegram lays files out."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.settings import SettingsError, load_settings
from bot.telegram.app import build_application, file_url_for
from bot.telegram.services import Services

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def test_the_setting_is_read_and_checked(tmp_path: Path) -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert load_settings(base).base_file_url is None
    custom = load_settings(base | {"TELEGRAM_BASE_FILE_URL": "http://files.local/file/bot"})
    assert custom.base_file_url == "http://files.local/file/bot"
    with pytest.raises(SettingsError, match="TELEGRAM_BASE_FILE_URL"):
        load_settings(base | {"TELEGRAM_BASE_FILE_URL": "files.local"})


def test_files_come_from_root_file_bot_unless_set(rules: Rules) -> None:
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    services = Services(rules=rules, store=None)  # type: ignore[arg-type]
    derived = build_application(TOKEN, "http://127.0.0.1:8081/bot", services)
    assert derived.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    chosen = build_application(TOKEN, "http://127.0.0.1:8081/bot", services, "http://f/file/bot")
    assert chosen.bot.base_file_url == f"http://f/file/bot{TOKEN}"
