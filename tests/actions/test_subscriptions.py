"""Subscribe, unsubscribe, replace a cohort, follow tips: one commit each, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import actions
from bot.core.milestones import cohort_baby, for_groups
from bot.core.rules import Rules
from bot.store import Store
from bot.store.conversations import Conversations
from bot.store.subscriptions import BABY, COHORT, TIPS
from tests.commits import CommitCounter
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

CHAT, GROUP, CHANNEL = 111, -5001, -100555
NOW = SUBSCRIBED_AT


async def test_subscribe_baby_stores_it_and_ends_the_sign_up_in_one_commit(
    store: Store, rules: Rules
) -> None:
    await store.conversations.put(CHAT, "subscribe", {"step": "hour"}, NOW)
    with CommitCounter(store.engine) as commits:
        created = await actions.subscribe_baby(
            store, CHAT, baby(), TZ, HOUR, NOW, rules.milestones.values(), locale="en"
        )
    assert commits.count == 1
    [sub] = await store.subscriptions.list_for_chat(CHAT)
    assert (sub.id, sub.kind, sub.locale, len(sub.notes)) == (
        created.id,
        BABY,
        "en",
        created.scheduled,
    )
    assert await store.conversations.get(CHAT, NOW) is None


async def test_subscribe_baby_failing_midway_stores_nothing(
    store: Store, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.conversations.put(CHAT, "subscribe", {"step": "hour"}, NOW)

    async def broken(self: Conversations, chat_id: int) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Conversations, "clear", broken)  # after the baby and its notes
    with pytest.raises(RuntimeError):
        await actions.subscribe_baby(
            store, CHAT, baby(), TZ, HOUR, NOW, rules.milestones.values(), locale="en"
        )
    monkeypatch.undo()
    assert await store.subscriptions.list_for_chat(CHAT) == []
    assert await store.conversations.get(CHAT, NOW) is not None  # the parent can finish again


async def test_unsubscribe_one_and_all_in_one_commit_each(store: Store, rules: Rules) -> None:
    milestones = rules.milestones.values()
    ann = await store.subscriptions.subscribe(CHAT, baby("Ann"), TZ, HOUR, NOW, milestones)
    for name in ("Bo", "Cy"):
        await store.subscriptions.subscribe(CHAT, baby(name), TZ, HOUR, NOW, milestones)
    await store.subscriptions.subscribe(GROUP, baby("Dee"), TZ, HOUR, NOW, milestones)

    with CommitCounter(store.engine) as commits:
        assert await actions.unsubscribe(store, CHAT, ann.id)
        assert not await actions.unsubscribe(store, GROUP, ann.id)  # not that chat's
    assert commits.count == 2
    assert [s.baby_name for s in await store.subscriptions.list_for_chat(CHAT)] == ["Bo", "Cy"]

    with CommitCounter(store.engine) as commits:
        assert await actions.unsubscribe_all(store, CHAT) > 2  # two babies and their notes
    assert commits.count == 1
    assert await store.subscriptions.list_for_chat(CHAT) == []
    assert len(await store.subscriptions.list_for_chat(GROUP)) == 1


async def replace(store: Store, rules: Rules, month: int, hour: int = HOUR) -> None:
    await actions.replace_cohort(
        store,
        GROUP,
        GROUP,
        cohort_baby(2025, month),
        TZ,
        hour,
        NOW,
        for_groups(rules.milestones.values()),
        locale="en",
    )


async def test_replace_cohort_swaps_the_birth_month_in_one_commit(
    store: Store, rules: Rules
) -> None:
    await replace(store, rules, 10)
    await store.subscriptions.subscribe(GROUP, baby(), TZ, HOUR, NOW, rules.milestones.values())
    await store.conversations.put(GROUP, "cohort", {"target": GROUP}, NOW)

    with CommitCounter(store.engine) as commits:
        await replace(store, rules, 11)

    assert commits.count == 1
    subs = await store.subscriptions.list_for_chat(GROUP)
    assert [(s.kind, s.birth.month) for s in subs] == [(BABY, 1), (COHORT, 11)]
    assert await store.conversations.get(GROUP, NOW) is None


async def test_replace_cohort_failing_midway_keeps_the_old_one(store: Store, rules: Rules) -> None:
    await replace(store, rules, 10)
    [old] = await store.subscriptions.list_for_chat(GROUP)
    with pytest.raises(ValueError, match="hour"):  # refused after the old cohort's removal
        await replace(store, rules, 11, hour=24)
    assert await store.subscriptions.list_for_chat(GROUP) == [old]


async def test_follow_tips_replaces_every_reminder_of_the_channel_in_one_commit(
    store: Store, rules: Rules
) -> None:
    await actions.replace_cohort(
        store, CHAT, CHANNEL, cohort_baby(2025, 10), TZ, HOUR, NOW, [], locale="en"
    )
    await store.conversations.put(CHAT, "cohort", {"target": CHANNEL, "tips": True}, NOW)
    entries = [("tip_a", NOW + timedelta(days=1)), ("tip_b", NOW + timedelta(days=8))]

    with CommitCounter(store.engine) as commits:
        sid = await actions.follow_tips(store, CHAT, CHANNEL, TZ, HOUR, NOW, entries, locale="en")

    assert commits.count == 1
    [sub] = await store.subscriptions.list_for_chat(CHANNEL)
    assert (sub.id, sub.kind, [n.milestone_id for n in sub.notes]) == (
        sid,
        TIPS,
        ["tip_a", "tip_b"],
    )
    assert await store.conversations.get(CHAT, NOW) is None  # the admin's draft, in their chat
