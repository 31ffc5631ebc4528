"""Webhook mode end to end: the real Application behind our server, fed by the emulator."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.emulator import Emulator
from bot.store import open_store
from bot.telegram.registry import ALLOWED_UPDATES
from bot.web import worker as worker_module
from tests.web.conftest import SECRET, WebBot, free_port, webhook_bot


def metric(text: str, sample: str) -> float:
    """The value of one sample line (`name{labels}`) in /metrics output; 0 if absent."""
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_set_webhook_with_secret_and_allowed_updates(webbot: WebBot) -> None:
    [call] = webbot.emulator.calls_to("setWebhook")
    assert call.params["url"] == webbot.webhook.url
    assert call.params["secret_token"] == SECRET
    assert sorted(call.params["allowed_updates"]) == sorted(ALLOWED_UPDATES)
    assert webbot.emulator.calls_to("getUpdates") == []  # no polling beside the webhook


@pytest.mark.parametrize("secret", [None, "", "wrong-secret_0123456789abcdef", SECRET[:-1]])
async def test_wrong_or_missing_secret_is_403_and_nothing_is_stored(
    webbot: WebBot, secret: str | None
) -> None:
    emu = webbot.emulator
    ann = emu.add_user("Ann")
    update = emu.send_text(ann, "/start")
    assert await webbot.post(update, secret=secret) == 403
    assert await webbot.store.inbox.status(update["update_id"]) is None
    assert await webbot.store.inbox.depth() == 0
    await asyncio.sleep(0.1)
    assert emu.calls_to("sendMessage") == []


async def test_malformed_body_is_400(webbot: WebBot) -> None:
    assert await webbot.post({"message": {}}) == 400  # no update_id
    assert await webbot.store.inbox.depth() == 0


async def test_valid_update_is_handled(webbot: WebBot) -> None:
    emu = webbot.emulator
    ann = emu.add_user("Ann")
    update = emu.send_text(ann, "/start")
    assert await emu.deliver_webhook() == 1
    reply = await emu.next_message(ann, timeout=2)
    assert "Sleepsigns" in reply["text"]
    await webbot.drained()
    assert await webbot.store.inbox.status(update["update_id"]) == (True, 0)


async def test_retried_update_is_handled_once(webbot: WebBot) -> None:
    emu = webbot.emulator
    ann = emu.add_user("Ann")
    update = emu.send_text(ann, "/start")
    assert await emu.deliver_webhook() == 1
    await emu.next_message(ann)
    await webbot.drained()
    # Telegram retries when our 200 got lost: later, and twice at once.
    assert await webbot.post(update) == 200
    assert await asyncio.gather(webbot.post(update), webbot.post(update)) == [200, 200]
    await webbot.drained()
    await emu.settle(quiet=0.2)
    assert len(emu.chat_messages(ann)) == 1


async def test_a_chats_updates_are_handled_in_order_other_chats_dont_wait(
    webbot: WebBot,
) -> None:
    emu = webbot.emulator
    ann, bob = emu.add_user("Ann"), emu.add_user("Bob")
    emu.delay("sendMessage", 0.6, chat_id=ann)  # Ann's first reply is slow
    emu.send_text(ann, "/help")
    emu.send_text(ann, "/about")
    emu.send_text(bob, "/start")
    assert await emu.deliver_webhook() == 3
    await emu.next_message(bob, timeout=0.5)  # not stuck behind Ann's slow reply
    await webbot.drained()
    help_reply, about_reply = emu.chat_messages(ann)
    assert "/explain" in help_reply["text"] and "not a doctor" in about_reply["text"]


async def test_update_accepted_before_a_crash_is_handled_after_restart(
    rules: Rules, emulator: Emulator, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, port = emulator.add_user("Ann"), free_port()  # one deployment: same URL twice

    async def stopped(
        self: object, **_: object
    ) -> bool:  # the worker never gets to it, as if killed
        return False

    with monkeypatch.context() as patch:
        patch.setattr(worker_module.InboxWorker, "_claim_more", stopped)
        patch.setattr(worker_module.InboxWorker, "lend_claim", lambda self: None)
        async with webhook_bot(rules, emulator, database_url, port) as first:
            update = emulator.send_text(ann, "/start")
            assert await emulator.deliver_webhook() == 1  # Telegram got its 200
            assert await first.store.inbox.status(update["update_id"]) == (False, 0)
    assert emulator.chat_messages(ann) == []
    async with webhook_bot(rules, emulator, database_url, port) as second:
        reply = await emulator.next_message(ann, timeout=3)
        assert "Sleepsigns" in reply["text"]
        await second.drained()
    assert len(emulator.calls_to("setWebhook")) == 1  # the restart found it registered


async def test_update_in_flight_at_a_crash_is_handled_after_restart(
    rules: Rules, emulator: Emulator, database_url: str
) -> None:
    ann = emulator.add_user("Ann")
    update = emulator.send_text(ann, "/help")
    # What a process that died mid-handler leaves behind: accepted, claimed, never done.
    store = await open_store(database_url)
    try:
        now = datetime.now(UTC)
        payload = json.dumps(update)
        assert await store.inbox.accept(update["update_id"], ann.id, "message", payload, now)
        [claimed] = await store.inbox.claim("dead-host:1:x", now, now + timedelta(hours=1), 10)
        assert claimed.update_id == update["update_id"]
    finally:
        await store.close()
    async with webhook_bot(rules, emulator, database_url) as restarted:
        reply = await emulator.next_message(ann, timeout=3)
        assert "/explain" in reply["text"]
        await restarted.drained()


async def test_healthz_follows_the_database(
    rules: Rules, emulator: Emulator, tmp_path: Path
) -> None:
    folder = tmp_path / "db"
    async with webhook_bot(rules, emulator, f"sqlite:///{folder / 'bot.db'}") as bot:
        status, body = await bot.get("/healthz")
        assert status == 200 and '"database": true' in body and '"rules": true' in body
        # The database goes away: its folder is gone and no pooled connection survives.
        shutil.move(folder, tmp_path / "elsewhere")
        await bot.store.engine.dispose()
        status, body = await bot.get("/healthz")
        assert status == 503 and '"database": false' in body
        shutil.move(tmp_path / "elsewhere", folder)
        status, body = await bot.get("/healthz")
        assert status == 200 and '"status": "ok"' in body


async def test_metrics_expose_the_counters(webbot: WebBot) -> None:
    emu = webbot.emulator
    _, before = await webbot.get("/metrics")
    ann = emu.add_user("Ann")
    update = emu.send_text(ann, "/start")
    await emu.deliver_webhook()
    await emu.next_message(ann)
    await webbot.drained()
    assert await webbot.post(update) == 200  # a retry
    assert await webbot.post(update, secret="nope") == 403
    status, after = await webbot.get("/metrics")
    assert status == 200

    def grew(sample: str) -> float:
        return metric(after, sample) - metric(before, sample)

    assert grew('sleepsigns_updates_handled_total{type="message"}') == 1
    assert grew('sleepsigns_webhook_requests_total{result="accepted"}') == 1
    assert grew('sleepsigns_webhook_requests_total{result="duplicate"}') == 1
    assert grew('sleepsigns_webhook_requests_total{result="forbidden"}') == 1
    assert grew('sleepsigns_bot_api_request_seconds_count{method="sendMessage"}') >= 1
    assert grew("sleepsigns_update_latency_seconds_count") == 1
    assert metric(after, "sleepsigns_inbox_depth") == 0 and "sleepsigns_inbox_depth 0" in after
    for family in ("sleepsigns_triage_outcomes_total", "sleepsigns_reminders_total"):
        assert f"# TYPE {family} counter" in after


async def test_many_concurrent_posts_are_each_answered_after_their_commit(webbot: WebBot) -> None:
    emu = webbot.emulator
    users = [emu.add_user(f"U{n}") for n in range(8)]
    helps = [emu.send_text(user, "/help") for user in users]
    abouts = [emu.send_text(user, "/about") for user in users]
    for wave in (helps, abouts):  # each chat's second update after its first was answered
        assert await asyncio.gather(*(webbot.post(update) for update in wave)) == [200] * 8
    updates = helps + abouts
    for update in updates:  # every 200 came after the row was stored
        assert await webbot.store.inbox.status(update["update_id"]) is not None
    await webbot.drained()
    await emu.settle(quiet=0.2)
    for user in users:
        help_reply, about_reply = emu.chat_messages(user)
        assert "/explain" in help_reply["text"] and "not a doctor" in about_reply["text"]
