"""Caregivers share one baby, through the emulator: invite -> accept -> both chats get the next
note once, at their own hour, across a restart (SQLite and PostgreSQL); bad links; the guard's
family check; removing, and sharing a check's summary with one tap."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.core.callback_data import FAMILY, MakeInvite, RemoveCaregiver
from bot.core.rules import Rules
from bot.core.triage import Level
from bot.emulator import Emulator
from bot.sandbox import SANDBOX_TOKEN, SANDBOX_USERNAME, running_bot
from tests.e2e.test_reminders_chat import START, Clock, labels, press, subscribe_by_picker
from tests.e2e.test_triage_chat import answer, shortest_path_to, start_check
from tests.store.fixtures import database_url

__all__ = ["database_url"]  # both backends for this module (the e2e default is SQLite only)

LINK = re.compile(r"https://t\.me/(\w+)\?start=(join_[A-Za-z0-9_-]+)")


async def family_with_ann(emu: Emulator, ann) -> str:  # type: ignore[no-untyped-def]
    """Ann signs Mia up and makes an invite; returns the /start payload of the link."""
    await subscribe_by_picker(emu, ann, "Mia")
    await emu.next_message(ann)  # the note that is current now
    emu.send_text(ann, "/family")
    screen = await emu.next_message(ann)
    assert "Mia's family" in screen["text"] and "You (added the baby)" in screen["text"]
    emu.press_button(ann, screen, "Invite someone")
    invite = await emu.next_message(ann)
    username, payload = LINK.search(invite["text"]).groups()  # type: ignore[union-attr]
    assert username == SANDBOX_USERNAME and "48 hours" in invite["text"]
    [share] = [b for row in invite["reply_markup"]["inline_keyboard"] for b in row if "url" in b]
    assert share["url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
    return payload


async def join(  # type: ignore[no-untyped-def]
    emu: Emulator, user, payload: str, zone: str, hour: str, join_label: str = "Join"
) -> dict:
    emu.send_text(user, f"/start {payload}")
    offer = await emu.next_message(user)
    assert "Mia" in offer["text"] and join_label in labels(offer)[0]
    zones = await press(emu, user, offer, join_label)
    hours = await press(emu, user, zones, zone)
    return await press(emu, user, hours, hour)


async def test_invite_accept_and_both_chats_get_the_next_note_once_across_a_restart(
    rules: Rules, database_url: str
) -> None:
    clock = Clock(START)
    async with Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN, username=SANDBOX_USERNAME)
        ann, ben, cal = emu.add_user("Ann"), emu.add_user("Ben"), emu.add_user("Cal")
        run = {"database_url": database_url, "clock": clock, "emulator": emu}
        async with running_bot(rules, **run, reminder_interval=0.05) as sandbox:
            payload = await family_with_ann(emu, ann)
            joined = await join(emu, ben, payload, "New York", "07:00")
            assert "You are in" in joined["text"] and "07:00 (America/New_York)" in joined["text"]
            await emu.next_message(ben)  # what is current for Mia now, as for a sign-up
            # The link is used up; a made-up one is unknown. Neither changes anything.
            emu.send_text(cal, f"/start {payload}")
            assert "used already" in (await emu.next_message(cal))["text"]
            emu.send_text(cal, "/start join_" + "A" * 32)
            assert "don't know this invite link" in (await emu.next_message(cal))["text"]
            assert await sandbox.store.subscriptions.list_for_chat(cal.id) == []
            emu.send_text(ann, "/family")
            listed = await emu.next_message(ann)
            assert "• Ben" in listed["text"] and "Remove Ben" in labels(listed)
            await emu.settle(quiet=0.3)
            before = {u.id: len(emu.chat_messages(u)) for u in (ann, ben)}

            # 3 months on 1 Dec: 09:00 in London for Ann, 07:00 in New York (12:00 UTC) for Ben.
            clock.now = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)
            assert (await emu.next_message(ann))["text"].startswith("3 months")
            await emu.settle(quiet=0.3)
            assert len(emu.chat_messages(ben)) == before[ben.id]
            clock.now = datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC)
            assert (await emu.next_message(ben))["text"].startswith("3 months")
            await emu.settle(quiet=0.3)
        async with running_bot(rules, **run, reminder_interval=0.05):
            await emu.settle(quiet=0.5)
        assert {u.id: len(emu.chat_messages(u)) for u in (ann, ben)} == {
            ann.id: before[ann.id] + 1,
            ben.id: before[ben.id] + 1,
        }
        assert emu.chat_messages(cal)[-1]["text"].startswith("I don't know")
        emu.assert_no_violations()


async def test_the_guard_decides_who_may_remove_and_a_removed_caregiver_cannot_invite(
    rules: Rules, database_url: str
) -> None:
    async with running_bot(rules, database_url=database_url, clock=Clock(START)) as sandbox:
        emu, store = sandbox.emulator, sandbox.store
        ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
        await join(emu, ben, await family_with_ann(emu, ann), "London", "09:00")
        await emu.next_message(ben)
        [ann_sub] = await store.subscriptions.list_for_chat(ann.id)
        [ben_sub] = await store.subscriptions.list_for_chat(ben.id)
        emu.send_text(ben, "/family")
        screen = await emu.next_message(ben)
        assert "Remove" not in " ".join(labels(screen))  # only the creator gets those buttons
        # A forged press: Ben claims to remove Ann. Callback data is a claim, not a proof.
        forged = FAMILY.encode(RemoveCaregiver(ben_sub.id, ann_sub.id))
        refused = await emu.callback_answer(emu.press(ben, screen, forged))
        assert refused["show_alert"] and "Only the one who added the baby" in refused["text"]
        # Nor may Ben act on Ann's subscription as if it were his.
        foreign = FAMILY.encode(MakeInvite(ann_sub.id))
        assert "out of date" in (await emu.callback_answer(emu.press(ben, screen, foreign)))["text"]
        assert len(await store.families.caregivers(ann_sub.baby_id or 0)) == 2

        emu.send_text(ann, "/family")
        own = await emu.next_message(ann)
        confirm = await press(emu, ann, own, "Remove Ben")
        assert "Remove Ben from the family?" in confirm["text"]
        emu.press_button(ann, confirm, "Yes, remove")
        assert "You were removed from Mia's family" in (await emu.next_message(ben))["text"]
        assert await store.subscriptions.list_for_chat(ben.id) == []
        # Ben's old screen still has "Invite someone": refused, nothing stored.
        gone = await emu.callback_answer(emu.press_button(ben, screen, "Invite someone"))
        assert gone["show_alert"] and "out of date" in gone["text"]
        [still] = await store.subscriptions.list_for_chat(ann.id)
        assert still.baby_id == ann_sub.baby_id


async def test_a_check_summary_goes_to_the_family_only_on_a_tap_in_their_language(
    rules: Rules, database_url: str
) -> None:
    async with running_bot(rules, database_url=database_url, clock=Clock(START)) as sandbox:
        emu: Emulator = sandbox.emulator
        ann, ben = emu.add_user("Ann"), emu.add_user("Ben", language_code="es")
        payload = await family_with_ann(emu, ann)
        await join(emu, ben, payload, "Londres", "9:00 ✓", join_label="Unirme")
        await emu.next_message(ben)
        await emu.settle(quiet=0.2)
        ben_before = len(emu.chat_messages(ben))
        path = shortest_path_to(rules.triage["twitch"], Level.SOON)
        outcome = await answer(emu, ann, await start_check(emu, ann, "twitch"), path)
        emu.press_button(ann, outcome, "Summary for the doctor")
        summary = await emu.next_message(ann)
        await emu.settle(quiet=0.2)
        assert len(emu.chat_messages(ben)) == ben_before  # never automatically
        sent = await emu.callback_answer(
            emu.press_button(ann, summary, "Send the summary to the family")
        )
        assert sent["text"] == "Sent to the family (1)."
        shared = await emu.next_message(ben)  # in Ben's Spanish, not Ann's English
        assert shared["text"].startswith("👪 Ann te mandó una revisión:")
        assert rules.triage["twitch"].title.get("es") in shared["text"]


async def test_a_caregiver_who_blocks_the_bot_pauses_only_their_own_notes(
    rules: Rules, database_url: str
) -> None:
    clock = Clock(START)
    async with running_bot(
        rules, database_url=database_url, clock=clock, reminder_interval=0.05
    ) as sandbox:
        emu, subs = sandbox.emulator, sandbox.store.subscriptions
        ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
        await join(emu, ben, await family_with_ann(emu, ann), "London", "09:00")
        await emu.next_message(ben)
        emu.block(ben)
        await emu.settle(quiet=0.2)
        [held] = await subs.list_for_chat(ben.id)
        assert held.blocked_at is not None
        [ann_sub] = await subs.list_for_chat(ann.id)
        assert ann_sub.blocked_at is None
        ben_calls = len([c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == ben.id])

        clock.now = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)  # both due at 09:00 London
        assert (await emu.next_message(ann))["text"].startswith("3 months")
        await emu.settle(quiet=0.3)
        sent_to_ben = [c for c in emu.calls_to("sendMessage") if c.params["chat_id"] == ben.id]
        assert len(sent_to_ben) == ben_calls  # nothing tried while blocked
        [held] = await subs.list_for_chat(ben.id)
        first = held.notes[0]  # Ben's copy of the same 3-month note: held, not sent
        assert first.due_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
        assert first.status == "skipped"
