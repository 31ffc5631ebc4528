"""/language: the chat's language wins over Telegram's, persists, is a group admin's choice,
and is the language of the chat's reminders; the menu and descriptions exist per language."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.callback_data import LANGUAGE, ChooseLanguage
from bot.core.rules import Rules
from bot.core.rules_loader import load_rules
from bot.emulator import Emulator
from bot.reminders.rendering import cohort_label
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME, Sandbox, running_bot
from bot.telegram.ui_keys import UI_KEYS
from tests.e2e.clocked import START, clocked_bot, labels
from tests.english_only import copy_english_only

from .test_groups_and_channels import Clock, set_cohort


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def sandbox(rules: Rules, database_url: str, clock: Clock) -> AsyncIterator[Sandbox]:
    async with clocked_bot(rules, database_url, clock) as running:
        yield running


@pytest.fixture
def english_rules(rules_dir: Path, tmp_path: Path) -> Rules:
    """The shipped rules with every locale but English taken out."""
    english_only = tmp_path / "rules"
    english_only.mkdir()
    for path in rules_dir.glob("*.yaml"):
        copy_english_only(path, english_only / path.name)
    return load_rules(english_only, UI_KEYS)


async def test_an_undeclared_language_gets_the_default(
    english_rules: Rules, database_url: str
) -> None:
    rules = english_rules
    assert list(rules.locales) == ["en"]
    async with running_bot(rules, database_url=database_url) as sandbox:
        emu = sandbox.emulator
        ana = emu.add_user("Ana", language_code="es")
        emu.send_text(ana, "/start")
        welcome = await emu.next_message(ana)
        assert welcome["text"] == plain(rules.text("start.welcome", "en"))
        emu.send_text(ana, "/language")
        screen = await emu.next_message(ana)
        assert screen["text"] == plain(rules.text("language.choose", "en"))
        assert labels(screen) == ["English"]
    sandbox.emulator.assert_no_violations()


async def test_language_switches_and_persists_across_a_restart(
    rules: Rules, database_url: str
) -> None:
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann = emu.add_user("Ann", language_code="en")
        async with running_bot(rules, database_url=database_url, emulator=emu):
            emu.send_text(ann, "/language")
            screen = await emu.next_message(ann)
            assert screen["text"] == plain(rules.text("language.choose", "en"))
            assert labels(screen) == list(rules.locales.values())  # each in its own language
            emu.press_button(ann, screen, "Español")
            saved = await emu.next_edit(ann, screen["message_id"])
            assert saved["text"] == rules.text("language.saved", "es")
            emu.send_text(ann, "/help")
            helped = await emu.next_message(ann)
            assert helped["text"].startswith(plain(rules.text("help.text", "es", bot="x"))[:30])
        async with running_bot(rules, database_url=database_url, emulator=emu):
            emu.send_text(ann, "/start")
            welcome = await emu.next_message(ann)
            assert welcome["text"] == plain(rules.text("start.welcome", "es"))
            emu.send_text(ann, "/language")
            screen = await emu.next_message(ann)
            emu.press_button(ann, screen, "English")
            back = await emu.next_edit(ann, screen["message_id"])
            assert back["text"] == rules.text("language.saved", "en")
        emu.assert_no_violations()


async def test_a_forged_language_is_refused(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/language")
    screen = await emu.next_message(ann)
    answer = await emu.callback_answer(
        emu.press(ann, screen, LANGUAGE.encode(ChooseLanguage("xx")))
    )
    assert answer["show_alert"]
    assert await sandbox.store.languages.get(ann.id) is None


async def test_a_group_admin_sets_the_group_language_and_members_cannot(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    admin, member = emu.add_user("Ada"), emu.add_user("Max", language_code="en")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator", member: "member"})

    emu.send_text(member, "/language", group)
    refusal = await emu.next_message(group)
    assert refusal["text"] == rules.text("cohort.admins_only", "en")

    emu.send_text(admin, "/language", group)
    screen = await emu.next_message(group)
    assert screen["text"] == plain(rules.text("language.choose_group", "en"))
    answer = await emu.callback_answer(emu.press_button(member, screen, "Español", group))
    assert answer["show_alert"] and answer["text"] == rules.text("alert.admins_only", "en")
    assert await sandbox.store.languages.get(group.id) is None

    emu.press_button(admin, screen, "Español", group)
    saved = await emu.next_edit(group, screen["message_id"])
    assert saved["text"] == rules.text("language.saved_group", "es")
    # Everyone in the group now gets Spanish, whatever their own Telegram language.
    emu.send_text(member, "/explain", group)
    menu = await emu.next_message(group)
    assert menu["text"] == plain(rules.text("explain.menu", "es"))


async def test_reminders_go_out_in_the_chosen_language(
    sandbox: Sandbox, rules: Rules, clock: Clock
) -> None:
    emu = sandbox.emulator
    admin = emu.add_user("Ada", language_code="en")
    group = emu.add_group("Sep 2026 babies", members={admin: "administrator"})
    await set_cohort(emu, admin, group)
    current = await emu.next_message(group)  # the current note, in English
    september = cohort_label(rules, "en", datetime(2026, 9, 15).date())
    assert september in current["text"]

    emu.send_text(admin, "/language", group)
    screen = await emu.next_message(group)
    emu.press_button(admin, screen, "Español", group)
    saved = await emu.next_edit(group, screen["message_id"])
    assert rules.text("language.saved_reminders", "es") in saved["text"]
    [sub] = await sandbox.store.subscriptions.list_for_chat(group.id)
    assert sub.locale == "es"

    clock.now = datetime(2026, 12, 15, 9, 1, tzinfo=UTC)  # the 15 Sep cohort turns 3 months
    note = await emu.next_message(group)
    septiembre = cohort_label(rules, "es", datetime(2026, 9, 15).date())
    assert septiembre in note["text"] and september not in note["text"]


async def test_menus_and_descriptions_are_registered_per_language(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    for language in ("", *rules.locales):
        texts = language or rules.default_locale
        assert emu.description(language) == rules.text("bot.description", texts)
        assert emu.short_description(language) == rules.text("bot.short_description", texts)
        for scope in ("default", "all_private_chats", "all_group_chats"):
            listed = {
                c["command"]: c["description"] for c in emu.commands({"type": scope}, language)
            }
            assert listed["language"] == rules.text("command.language", texts), (scope, language)
    calls = emu.calls_to("setMyDescription")
    assert sorted(c.params.get("language_code") or "" for c in calls) == sorted(
        ["", *rules.locales]
    )
    spanish = await sandbox.application.bot.get_my_short_description("es")
    assert spanish.short_description == rules.text("bot.short_description", "es")
