"""record_triage: a finished check kept once, the same outcome again soon after not twice."""

from __future__ import annotations

from datetime import timedelta

from bot import actions
from bot.store import Store
from bot.store.history import TriageRecord
from tests.commits import CommitCounter
from tests.store.reminder_data import SUBSCRIBED_AT

CHAT = 111
WINDOW = timedelta(minutes=10)


def check(answers: str = "a1", minutes: int = 0) -> TriageRecord:
    at = SUBSCRIBED_AT + timedelta(minutes=minutes)
    return TriageRecord(CHAT, "twitch", answers, "benign", "reassure", at)


async def test_record_triage_stores_once_in_one_commit(store: Store) -> None:
    with CommitCounter(store.engine) as commits:
        assert await actions.record_triage(store, check(), WINDOW)
    assert commits.count == 1
    assert await store.history.list_for_chat(CHAT) == [check()]


async def test_the_same_answers_again_within_the_window_are_not_stored_twice(
    store: Store,
) -> None:
    await actions.record_triage(store, check(), WINDOW)
    with CommitCounter(store.engine) as commits:
        assert not await actions.record_triage(store, check(minutes=5), WINDOW)
    assert commits.count <= 1
    assert await actions.record_triage(store, check("a2", minutes=6), WINDOW)  # other answers
    assert await actions.record_triage(store, check("a2", minutes=20), WINDOW)  # later
    assert [r.answers for r in await store.history.list_for_chat(CHAT)] == ["a1", "a2", "a2"]
