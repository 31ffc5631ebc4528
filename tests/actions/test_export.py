"""export_chat: every table that holds the chat's data, nothing of another chat, one commit."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from bot import actions
from bot.core.rules import Rules
from bot.store import Store
from tests.actions.chat_data import CHAT, OTHER, PNG, fill_chat
from tests.commits import CommitCounter
from tests.store.reminder_data import BIRTH, HOUR, SUBSCRIBED_AT, TZ, baby


async def test_export_has_every_table_of_the_chat_in_one_commit(store: Store, rules: Rules) -> None:
    await fill_chat(store, rules, CHAT)
    await fill_chat(store, rules, OTHER, name="Bo")

    with CommitCounter(store.engine) as commits:
        exported = await actions.export_chat(store, CHAT)
    document = json.loads(json.dumps(exported.as_document()))

    assert commits.count == 1
    assert document["chat_id"] == CHAT
    [sub] = document["subscriptions"]
    assert (sub["baby_name"], sub["birth_date"], sub["timezone"], sub["delivery_hour"]) == (
        "Ann",
        BIRTH.isoformat(),
        TZ,
        HOUR,
    )
    assert sub["blocked_at"] == (SUBSCRIBED_AT + timedelta(days=50)).isoformat()
    sent, answered = sub["notes"][:2]
    assert (sent["status"], sent["sent_at"]) == ("sent", "2026-02-10T12:00:00+00:00")
    assert (answered["status"], answered["last_error"]) == ("skipped", "answered earlier")
    assert [(r["flow"], r["outcome"]) for r in document["triage_results"]] == [("twitch", "benign")]
    assert [(c["status"], c["answer"]) for c in document["check_ins"]] == [
        ("sent", "better"),
        ("pending", None),
    ]
    [chart] = document["video_charts"]
    assert (chart["lines"], chart["findings"], chart["numbers"]) == (
        "3 bursts",
        ["spasm_series"],
        {"duration": 9.0},
    )
    assert base64.b64decode(chart["chart_png_base64"]) == PNG
    assert document["draft"]["kind"] == "subscribe"
    assert document["draft"]["data"]["birth"] == "2026-01-01"
    assert [(u["update_id"], u["kind"]) for u in document["waiting_updates"]] == [
        (CHAT * 10 + 1, "message")
    ]
    assert "payload" not in document["waiting_updates"][0]
    assert document["language"] == "es"


async def test_export_names_no_other_chat(store: Store, rules: Rules) -> None:
    channel = -100777000111
    await fill_chat(store, rules, OTHER, name="Bo")
    await fill_chat(store, rules, channel, name="Cy")
    await store.subscriptions.subscribe(
        CHAT, baby("Ann"), TZ, HOUR, SUBSCRIBED_AT, rules.milestones.values()
    )
    # An admin linking a channel from this private chat: the draft names the channel.
    await store.conversations.put(
        CHAT, "cohort", {"target": channel, "title": "Sleep tips", "step": "zone"}, SUBSCRIBED_AT
    )

    text = json.dumps((await actions.export_chat(store, CHAT)).as_document())

    for other in (OTHER, channel):
        assert str(other) not in text and str(abs(other)) not in text
    assert '"title": "Sleep tips"' in text  # the rest of the draft is the chat's own


async def test_export_keeps_a_group_draft_naming_the_group_itself(store: Store) -> None:
    group = -5001
    await store.conversations.put(group, "cohort", {"target": group}, SUBSCRIBED_AT)
    exported = await actions.export_chat(store, group)
    assert exported.as_document()["draft"]["data"] == {"target": group}


async def test_export_includes_a_draft_left_long_ago(store: Store) -> None:
    """Stored is stored: a draft too old to be resumed is still the chat's data."""
    await store.conversations.put(CHAT, "subscribe", {"step": "hour"}, SUBSCRIBED_AT)
    later = SUBSCRIBED_AT + timedelta(days=30)
    assert await store.conversations.get(CHAT, later) is None
    exported = await actions.export_chat(store, CHAT)
    assert exported.draft is not None and exported.draft.data == {"step": "hour"}


async def test_export_of_a_chat_with_nothing_stored(store: Store) -> None:
    assert (await actions.export_chat(store, CHAT)).as_document() == {
        "chat_id": CHAT,
        "subscriptions": [],
        "triage_results": [],
        "check_ins": [],
        "video_charts": [],
        "draft": None,
        "waiting_updates": [],
        "language": None,
    }
