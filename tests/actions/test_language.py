"""choose_language: the chat's choice and its reminders' language change in one commit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import actions
from bot.core.rules import Rules
from bot.store import Store
from bot.store.subscriptions import Subscriptions
from tests.commits import CommitCounter
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

CHAT, OTHER = 111, 222
NOW = SUBSCRIBED_AT


async def subscribe(store: Store, rules: Rules, chat_id: int, name: str) -> None:
    await store.subscriptions.subscribe(
        chat_id, baby(name), TZ, HOUR, NOW, rules.milestones.values(), locale="en"
    )


async def test_the_choice_and_the_chats_reminders_change_in_one_commit(
    store: Store, rules: Rules
) -> None:
    await subscribe(store, rules, CHAT, "Ann")
    await subscribe(store, rules, CHAT, "Ben")
    await subscribe(store, rules, OTHER, "Bo")
    sent, _ = await store.check_ins.schedule(CHAT, "twitch", "soon", "en", NOW, NOW)
    await store.check_ins.mark_sent([sent.id], NOW)
    await store.check_ins.schedule(CHAT, "smile", "urgent", "en", NOW, NOW + timedelta(hours=2))

    with CommitCounter(store.engine) as commits:
        moved = await actions.choose_language(store, CHAT, "es", NOW)

    assert commits.count == 1 and moved == 2
    assert await store.languages.get(CHAT) == "es"
    assert {s.locale for s in await store.subscriptions.list_for_chat(CHAT)} == {"es"}
    assert {c.status: c.locale for c in await store.check_ins.list_for_chat(CHAT)} == {
        "sent": "en",  # what was sent stays as it was
        "pending": "es",
    }
    assert await store.languages.get(OTHER) is None
    [other] = await store.subscriptions.list_for_chat(OTHER)
    assert other.locale == "en"

    await actions.choose_language(store, CHAT, "en", NOW + timedelta(days=1))
    assert await store.languages.get(CHAT) == "en"


async def test_a_failure_midway_changes_nothing(
    store: Store, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    await subscribe(store, rules, CHAT, "Ann")

    async def broken(self: Subscriptions, chat_id: int, locale: str) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Subscriptions, "set_locale", broken)  # after the choice was written
    with CommitCounter(store.engine) as commits, pytest.raises(RuntimeError):
        await actions.choose_language(store, CHAT, "es", NOW)

    assert commits.count == 0
    assert await store.languages.get(CHAT) is None
