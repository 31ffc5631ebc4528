"""Caregivers sharing one baby, through the actions: invite, accept, leave, remove, forget,
export and blocking; bad tokens change nothing. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot import actions
from bot.core.family import MAX_CAREGIVERS, InviteProblem, new_token
from bot.core.rules import Rules
from bot.store import Store
from bot.store.schema import babies, family_invites, scheduled_notes, subscriptions
from bot.store.subscriptions import NewSubscription, Subscription
from tests.commits import CommitCounter
from tests.store.reminder_data import HOUR, SUBSCRIBED_AT, TZ, baby

ANN, BEN, CAL = 1001, 1002, 1003
NOW = SUBSCRIBED_AT


async def start_family(store: Store, rules: Rules) -> Subscription:
    await actions.subscribe_baby(
        store, ANN, baby("Mia"), TZ, HOUR, NOW, rules.milestones.values(), locale="en"
    )
    [sub] = await store.subscriptions.list_for_chat(ANN)
    return sub


async def invite(store: Store, chat_id: int, sub: Subscription, name: str = "Ann") -> str:
    token = await actions.create_invite(store, chat_id, sub.id, name, NOW)
    assert isinstance(token, str)
    return token


async def accept(
    store: Store, rules: Rules, chat_id: int, token: str, name: str = "Ben", **kw: object
) -> NewSubscription | InviteProblem:
    when = kw.get("now", NOW + timedelta(hours=1))
    return await actions.accept_invite(
        store,
        chat_id,
        name,
        actions.invite_key(token),
        str(kw.get("tz", "America/New_York")),
        int(kw.get("hour", 7)),  # type: ignore[call-overload]
        when,  # type: ignore[arg-type]
        rules.milestones.values(),
        locale="en",
    )


async def count(store: Store, table, **where: object) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    async with store.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_a_joined_caregiver_gets_the_same_notes_at_their_own_hour_and_zone(
    store: Store, rules: Rules
) -> None:
    ann = await start_family(store, rules)
    token = await invite(store, ANN, ann)
    with CommitCounter(store.engine) as commits:
        joined = await accept(store, rules, BEN, token)
    assert commits.count == 1
    assert isinstance(joined, NewSubscription)
    [ben] = await store.subscriptions.list_for_chat(BEN)
    assert (ben.baby_id, ben.role, ben.first_name) == (ann.baby_id, "caregiver", "Ben")
    assert (ben.baby_name, ben.birth, ben.timezone, ben.delivery_hour) == (
        "Mia",
        ann.birth,
        "America/New_York",
        7,
    )
    # The same milestones still ahead, each due at 07:00 New York time.
    later = {n.milestone_id for n in ann.upcoming if n.due_at > NOW + timedelta(days=1)}
    assert later <= {n.milestone_id for n in ben.upcoming}
    for note in ben.upcoming:
        assert note.due_at.astimezone(ZoneInfo("America/New_York")).hour == 7
    caregivers = await store.families.caregivers(ann.baby_id or 0)
    assert [(c.chat_id, c.role) for c in caregivers] == [(ANN, "creator"), (BEN, "caregiver")]
    assert caregivers[0].first_name == "Ann"  # kept when Ann made the invite


async def test_a_used_token_is_refused_and_changes_nothing(store: Store, rules: Rules) -> None:
    ann = await start_family(store, rules)
    token = await invite(store, ANN, ann)
    assert isinstance(await accept(store, rules, BEN, token), NewSubscription)
    assert await accept(store, rules, CAL, token, "Cal") is InviteProblem.USED
    assert await store.subscriptions.list_for_chat(CAL) == []


async def test_expired_and_forged_tokens_are_refused_and_change_nothing(
    store: Store, rules: Rules
) -> None:
    ann = await start_family(store, rules)
    token = await invite(store, ANN, ann)
    late = NOW + timedelta(hours=48)
    assert await accept(store, rules, BEN, token, now=late) is InviteProblem.EXPIRED
    assert await accept(store, rules, BEN, new_token()) is InviteProblem.UNKNOWN
    assert await accept(store, rules, BEN, "not a token!") is InviteProblem.UNKNOWN
    assert await store.subscriptions.list_for_chat(BEN) == []
    async with store.engine.connect() as conn:
        used = (await conn.execute(select(family_invites.c.used_at))).scalars().all()
    assert used == [None]  # the expired attempt did not use it up


async def test_joining_twice_and_the_six_limit(store: Store, rules: Rules) -> None:
    ann = await start_family(store, rules)
    assert await accept(store, rules, ANN, await invite(store, ANN, ann)) is (
        InviteProblem.ALREADY_IN
    )
    for n in range(1, MAX_CAREGIVERS):
        assert isinstance(
            await accept(store, rules, 2000 + n, await invite(store, ANN, ann)), NewSubscription
        )
    assert await actions.create_invite(store, ANN, ann.id, "Ann", NOW) is InviteProblem.FULL
    assert await count(store, subscriptions, baby_id=ann.baby_id) == MAX_CAREGIVERS


async def test_an_invite_dies_when_its_maker_is_removed(store: Store, rules: Rules) -> None:
    ann = await start_family(store, rules)
    await accept(store, rules, BEN, await invite(store, ANN, ann))
    [ben] = await store.subscriptions.list_for_chat(BEN)
    from_ben = await invite(store, BEN, ben, "Ben")
    assert await actions.remove_caregiver(store, ann.baby_id or 0, ben.id)
    assert await accept(store, rules, CAL, from_ben, "Cal") is InviteProblem.UNKNOWN
    # A removed caregiver cannot invite any more: the subscription is no longer theirs.
    assert await actions.create_invite(store, BEN, ben.id, "Ben", NOW) is InviteProblem.UNKNOWN


async def test_leave_remove_and_the_last_one_out_deletes_the_baby(
    store: Store, rules: Rules
) -> None:
    ann = await start_family(store, rules)
    await accept(store, rules, BEN, await invite(store, ANN, ann))
    await accept(store, rules, CAL, await invite(store, ANN, ann), "Cal")
    [cal] = await store.subscriptions.list_for_chat(CAL)
    assert await actions.remove_caregiver(store, ann.baby_id or 0, cal.id)
    assert await count(store, scheduled_notes, chat_id=CAL) == 0
    assert await actions.unsubscribe(store, ANN, ann.id)  # the creator leaves
    assert await count(store, babies) == 1  # Ben still follows Mia
    [ben] = await store.subscriptions.list_for_chat(BEN)
    assert ben.upcoming
    assert await actions.unsubscribe(store, BEN, ben.id)
    assert await count(store, babies) == 0
    assert await count(store, family_invites) == 0


async def test_forget_removes_that_caregiver_only(store: Store, rules: Rules) -> None:
    ann = await start_family(store, rules)
    await accept(store, rules, BEN, await invite(store, ANN, ann))
    await actions.forget_chat(store, BEN)
    assert await store.subscriptions.list_for_chat(BEN) == []
    [still] = await store.subscriptions.list_for_chat(ANN)
    assert still.upcoming and await count(store, babies) == 1
    await actions.forget_chat(store, ANN)
    assert await count(store, babies) == 0 and await count(store, family_invites) == 0


async def test_export_holds_the_baby_and_no_other_caregivers_chat(
    store: Store, rules: Rules
) -> None:
    ann = await start_family(store, rules)
    await accept(store, rules, BEN, await invite(store, ANN, ann), "Benedikt")
    text = json.dumps((await actions.export_chat(store, ANN)).as_document())
    document = json.loads(text)
    [sub] = document["subscriptions"]
    assert (sub["baby_name"], sub["family_role"], sub["first_name"]) == ("Mia", "creator", "Ann")
    assert [i["used_at"] is not None for i in document["family_invites"]] == [True]
    assert str(BEN) not in text and "Benedikt" not in text
    ben_text = json.dumps((await actions.export_chat(store, BEN)).as_document())
    assert '"baby_name": "Mia"' in ben_text
    assert str(ANN) not in ben_text and '"Ann"' not in ben_text
    assert json.loads(ben_text)["family_invites"] == []


async def test_blocking_by_one_caregiver_pauses_only_their_notes(
    store: Store, rules: Rules
) -> None:
    ann = await start_family(store, rules)
    await accept(store, rules, BEN, await invite(store, ANN, ann))
    await store.blocks.block_chat(BEN, NOW)
    due = await store.deliveries.due(NOW + timedelta(days=800), limit=500)
    paused = {note.chat_id: note.paused for note in due}
    assert paused == {ANN: False, BEN: True}
    assert await store.families.family_chats(ANN) == []  # a blocked caregiver gets no summary
    assert await store.families.family_chats(BEN) == [(ANN, "en")]
