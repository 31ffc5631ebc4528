"""The bot's description and short description: Telegram's limits (512, 120), plain text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.rules import RulesInvalid
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS


def errors_after(rules_dir: Path, tmp_path: Path, old: str, new: str) -> tuple[int, list[str]]:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir, target)
    path = target / "ui.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesInvalid) as caught:
        load_rules(target, UI_KEYS)
    return line, [str(error) for error in caught.value.errors]


def test_the_shipped_profile_texts_fit(rules_dir: Path) -> None:
    rules = load_rules(rules_dir, UI_KEYS)
    for locale in rules.locales:
        assert len(rules.text("bot.description", locale)) <= 512
        assert len(rules.text("bot.short_description", locale)) <= 120


def test_a_short_description_over_120_characters_is_refused(
    rules_dir: Path, tmp_path: Path
) -> None:
    old = "  bot.short_description:\n    en: "
    line, errors = errors_after(rules_dir, tmp_path, old, f'{old}"{"x" * 121}"\n    x: ')
    assert any(
        f"ui.yaml:{line + 1}: strings.bot.short_description.en is too long: 121 characters "
        "(max 120)" in e
        for e in errors
    ), errors


def test_a_description_over_512_characters_is_refused(rules_dir: Path, tmp_path: Path) -> None:
    old = "  bot.description:\n    en: "
    line, errors = errors_after(rules_dir, tmp_path, old, f'{old}"{"x" * 513}"\n    x: ')
    assert any(
        f"ui.yaml:{line + 1}:" in e and "too long: 513 characters (max 512)" in e for e in errors
    ), errors


def test_profile_texts_are_plain(rules_dir: Path, tmp_path: Path) -> None:
    old = '  bot.short_description:\n    en: "Baby'
    line, errors = errors_after(rules_dir, tmp_path, old, old.replace('"Baby', '"<b>Baby</b>'))
    assert any(f"ui.yaml:{line + 1}:" in e and "plain text" in e for e in errors), errors
