"""No user action commits more than once: each is one transaction (see bot.actions).

The real bot handles each action as a parent or an admin would do it, while every commit of its
engine is counted under the update being handled (updates are handled one after another, so the
latest update to start is the one committing).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.core.rules import Rules
from bot.core.triage import Level
from bot.sandbox import Sandbox, running_bot
from tests.commits import CommitCounter
from tests.e2e.test_groups_and_channels import set_cohort
from tests.e2e.test_reminders_chat import START, Clock, press, subscribe_by_picker
from tests.e2e.test_triage_chat import answer, shortest_path_to, start_check


@dataclass
class Counted:
    sandbox: Sandbox
    commits: CommitCounter
    handled: list[int] = field(default_factory=list)  # update ids, in the order handled

    async def mark(self, update: Update, _context: object) -> None:
        """Runs first for every update (the lowest handler group)."""
        self.handled.append(update.update_id)
        self.commits.label = update.update_id


@pytest.fixture
async def counted(rules: Rules, database_url: str) -> AsyncIterator[Counted]:
    async with running_bot(rules, database_url=database_url, clock=Clock(START)) as sandbox:
        with CommitCounter(sandbox.store.engine) as commits:
            counted = Counted(sandbox, commits)
            sandbox.application.add_handler(TypeHandler(Update, counted.mark), group=-1000)
            yield counted
    sandbox.emulator.assert_no_violations()


async def test_each_user_action_commits_once(counted: Counted, rules: Rules) -> None:
    emu = counted.sandbox.emulator
    ann, ada = emu.add_user("Ann"), emu.add_user("Ada", username="ada")
    actions: dict[str, int] = {}

    await subscribe_by_picker(emu, ann, "Mia")
    await emu.next_message(ann)  # the note that is current now
    actions["subscribe"] = counted.handled[-1]  # the press that finished the sign-up

    actions["export"] = emu.send_text(ann, "/export")["update_id"]
    await emu.next_message(ann)

    emu.send_text(ann, "/reminders")
    listing = await emu.next_message(ann)
    confirm = await press(emu, ann, listing, "Remove")
    actions["unsubscribe"] = emu.press_button(ann, confirm, "Yes, remove")["update_id"]
    await emu.next_edit(ann, confirm["message_id"])

    await subscribe_by_picker(emu, ann, "Noa")
    await emu.next_message(ann)
    emu.send_text(ann, "/unsubscribe")
    confirm = await emu.next_message(ann)
    actions["unsubscribe all"] = emu.press_button(ann, confirm, "stop all")["update_id"]
    await emu.next_edit(ann, confirm["message_id"])

    flow = rules.triage["twitch"]
    check = await start_check(emu, ann, "twitch")
    path = shortest_path_to(flow, Level.SOON)
    await answer(emu, ann, check, path[:-1])
    actions["triage record"] = emu.press_button(ann, check, path[-1])["update_id"]
    await emu.next_edit(ann, check["message_id"])

    await subscribe_by_picker(emu, ann, "Ivy")
    await emu.next_message(ann)
    emu.send_text(ann, "/family")
    family = await emu.next_message(ann)
    actions["family invite"] = emu.press_button(ann, family, "Invite someone")["update_id"]
    link = (await emu.next_message(ann))["text"]
    payload = link.split("?start=")[1].split()[0]
    emu.send_text(ada, f"/start {payload}")
    screen = await emu.next_message(ada)
    for label in ("Join", "London"):
        emu.press_button(ada, screen, label)
        screen = await emu.next_edit(ada, screen["message_id"])
    actions["family join"] = emu.press_button(ada, screen, "09:00")["update_id"]
    await emu.next_edit(ada, screen["message_id"])
    await emu.next_message(ada)  # what is current for Ivy now
    emu.send_text(ann, "/family")
    family = await emu.next_message(ann)
    confirm = await press(emu, ann, family, "Remove Ada")
    actions["family remove"] = emu.press_button(ann, confirm, "Yes, remove")["update_id"]
    await emu.next_message(ada)  # "You were removed"

    emu.send_text(ann, "/forget")
    confirm = await emu.next_message(ann)
    actions["forget"] = emu.press_button(ann, confirm, "Yes")["update_id"]
    await emu.next_edit(ann, confirm["message_id"])

    group = emu.add_group("Sep 2026 babies", members={ada: "administrator"})
    await set_cohort(emu, ada, group, month="Sep")
    await emu.next_message(group)  # what is current for September babies
    await set_cohort(emu, ada, group, month="Oct")  # replaces September
    actions["cohort replace"] = counted.handled[-1]

    channel = emu.add_channel("Sleep tips", "sleeptips", admins=[ada])
    emu.send_text(ada, "/channel @sleeptips")
    screen = await emu.next_message(ada)
    for label in ("A weekly sleep tip", "London", "09:00"):
        update = emu.press_button(ada, screen, label)
        screen = await emu.next_edit(ada, screen["message_id"])
    actions["channel link"] = update["update_id"]
    assert channel

    await emu.settle()
    per_update = {label: n for label, n in counted.commits.by_label.items() if label is not None}
    assert max(per_update.values()) == 1, per_update
    for action, update_id in actions.items():
        assert per_update.get(update_id) == 1, action
