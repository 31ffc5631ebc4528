"""Store.transaction(): several repository calls, one commit, or none of them at all."""

from __future__ import annotations

import pytest

from bot.core.rules import Rules
from bot.store import Store
from bot.store.history import TriageRecord
from tests.commits import CommitCounter
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

CHAT = 111
CHECK = TriageRecord(CHAT, "twitch", "a1", "benign", "reassure", SUBSCRIBED_AT)


async def test_calls_in_a_transaction_commit_once_at_its_end(store: Store, rules: Rules) -> None:
    with CommitCounter(store.engine) as commits:
        async with store.transaction() as tx:
            await tx.history.add(CHECK)
            await tx.subscriptions.subscribe(
                CHAT, baby(), TZ, HOUR, SUBSCRIBED_AT, rules.milestones.values()
            )
            await tx.conversations.put(CHAT, "subscribe", {}, SUBSCRIBED_AT)
            assert commits.count == 0
            # Reads in the transaction see its own writes.
            assert await tx.history.recent(CHAT) == [CHECK]
            assert len(await tx.subscriptions.list_for_chat(CHAT)) == 1
    assert commits.count == 1
    assert await store.history.recent(CHAT) == [CHECK]


async def test_an_error_in_a_transaction_undoes_all_of_it(store: Store, rules: Rules) -> None:
    with CommitCounter(store.engine) as commits, pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.history.add(CHECK)
            await tx.subscriptions.subscribe(
                CHAT, baby(), TZ, HOUR, SUBSCRIBED_AT, rules.milestones.values()
            )
            raise RuntimeError("a later step failed")
    assert commits.count == 0
    assert await store.history.recent(CHAT) == []
    assert await store.subscriptions.list_for_chat(CHAT) == []


async def test_each_call_outside_a_transaction_commits_on_its_own(store: Store) -> None:
    with CommitCounter(store.engine) as commits:
        await store.history.add(CHECK)
        await store.conversations.put(CHAT, "subscribe", {}, SUBSCRIBED_AT)
        await store.history.recent(CHAT)  # a read commits nothing
    assert commits.count == 2
