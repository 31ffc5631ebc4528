"""A forum group's topic: stored with its birth month, carried to the dispatcher, and given up
for General once (with one notice owed) when the topic goes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot import actions
from bot.core.milestones import cohort_baby, for_groups
from bot.core.rules import Rules
from bot.store import Store
from bot.store.deliveries import DueNote

GROUP, TOPIC = -1002000000001, 42
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
COHORT = cohort_baby(2026, 9)


async def follow(store: Store, rules: Rules, thread: int | None) -> int:
    groups = for_groups(rules.milestones.values())
    created = await actions.replace_cohort(
        store,
        GROUP,
        GROUP,
        COHORT,
        "Europe/London",
        9,
        NOW,
        groups,
        locale="en",
        message_thread_id=thread,
    )
    return created.id


async def first_due(store: Store) -> DueNote:
    due = await store.deliveries.due(NOW + timedelta(days=400), 1)
    assert due
    return due[0]


async def test_the_topic_is_stored_and_reaches_the_dispatcher(store: Store, rules: Rules) -> None:
    await follow(store, rules, TOPIC)
    [sub] = await store.subscriptions.list_for_chat(GROUP)
    assert (sub.message_thread_id, sub.fallback_thread_id) == (TOPIC, None)
    note = await first_due(store)
    assert (note.message_thread_id, note.owes_fallback_notice) == (TOPIC, False)


async def test_falling_back_owes_one_notice_until_told(store: Store, rules: Rules) -> None:
    sid = await follow(store, rules, TOPIC)
    assert await store.topics.fall_back_to_general(sid, TOPIC)
    assert not await store.topics.fall_back_to_general(sid, TOPIC)  # done already
    note = await first_due(store)
    assert (note.message_thread_id, note.owes_fallback_notice) == (None, True)
    [sub] = await store.subscriptions.list_for_chat(GROUP)
    assert (sub.message_thread_id, sub.fallback_thread_id) == (None, TOPIC)

    await store.topics.told_of_fallback(sid, NOW)
    assert not (await first_due(store)).owes_fallback_notice


async def test_subscribing_again_in_a_topic_sets_it_afresh(store: Store, rules: Rules) -> None:
    sid = await follow(store, rules, TOPIC)
    await store.topics.fall_back_to_general(sid, TOPIC)
    await follow(store, rules, 77)
    [sub] = await store.subscriptions.list_for_chat(GROUP)
    assert (sub.message_thread_id, sub.fallback_thread_id) == (77, None)
    assert not (await first_due(store)).owes_fallback_notice


async def test_a_group_without_topics_has_none(store: Store, rules: Rules) -> None:
    sid = await follow(store, rules, None)
    assert not await store.topics.fall_back_to_general(sid, TOPIC)
    note = await first_due(store)
    assert (note.message_thread_id, note.owes_fallback_notice) == (None, False)
    assert note.birth == date(2026, 9, 15)
