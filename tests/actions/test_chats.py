"""forget_chat and move_chat: everything of one chat, in one transaction."""

from __future__ import annotations

import pytest

from bot import actions
from bot.core.rules import Rules
from bot.store import Store
from bot.store.check_ins import CheckIns
from bot.store.conversations import Conversations
from tests.actions.chat_data import CHAT, OTHER, fill_chat, rows_of
from tests.commits import CommitCounter
from tests.store.reminder_data import SUBSCRIBED_AT


async def test_forget_chat_leaves_nothing_of_the_chat_in_one_commit(
    store: Store, rules: Rules
) -> None:
    await fill_chat(store, rules, CHAT)
    await fill_chat(store, rules, OTHER, name="Bo")
    before_other = await rows_of(store, OTHER)

    with CommitCounter(store.engine) as commits:
        removed = await actions.forget_chat(store, CHAT)

    assert commits.count == 1
    assert await rows_of(store, CHAT) == {
        "triage_results": 0,
        "subscriptions": 0,
        "scheduled_notes": 0,
        "chat_states": 0,
        "check_ins": 0,
        "video_charts": 0,
        "chat_languages": 0,
        "update_inbox": 1,  # the update still waiting is handled as usual, then emptied
    }
    notes = len((await store.subscriptions.list_for_chat(OTHER))[0].notes)
    # A handled update kept no trace of the chat already (see UpdateInbox.mark_done).
    assert removed == 1 + 1 + notes + 1 + 2 + 1 + 1  # triage, baby, notes, draft, check-ins,
    # language, chart
    assert await rows_of(store, OTHER) == before_other


async def test_forget_chat_failing_midway_forgets_nothing(
    store: Store, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fill_chat(store, rules, CHAT)
    before = await rows_of(store, CHAT)

    async def broken(self: CheckIns, chat_id: int) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(CheckIns, "forget", broken)  # after history, subscriptions and draft
    with CommitCounter(store.engine) as commits, pytest.raises(RuntimeError):
        await actions.forget_chat(store, CHAT)

    assert commits.count == 0
    assert await rows_of(store, CHAT) == before


async def test_move_chat_moves_reminders_draft_and_language_in_one_commit(
    store: Store, rules: Rules
) -> None:
    group, supergroup = -5001, -1005001
    await fill_chat(store, rules, group)

    with CommitCounter(store.engine) as commits:
        await actions.move_chat(store, group, supergroup)

    assert commits.count == 1
    assert await store.subscriptions.list_for_chat(group) == []
    assert len(await store.subscriptions.list_for_chat(supergroup)) == 1
    draft = await store.conversations.get(supergroup, SUBSCRIBED_AT)
    assert draft is not None and draft.kind == "subscribe"
    assert await store.languages.get(group) is None
    assert await store.languages.get(supergroup) == "es"


async def test_move_chat_failing_midway_moves_nothing(
    store: Store, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, supergroup = -5001, -1005001
    await fill_chat(store, rules, group)

    async def broken(self: Conversations, old: int, new: int) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Conversations, "move_chat", broken)  # after the subscriptions moved
    with pytest.raises(RuntimeError):
        await actions.move_chat(store, group, supergroup)

    assert len(await store.subscriptions.list_for_chat(group)) == 1
    assert await store.subscriptions.list_for_chat(supergroup) == []
