"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return RULES_DIR


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(RULES_DIR, UI_KEYS)
