"""Which due milestone notes a round sends, and as which messages.

Before claiming: the notes that must not go out are recorded as skipped (past the 72-hour grace
window, of a paused subscription, of a milestone or tip topic no longer in the rules). After
claiming: one message per chat, milestone and group of twins, rendered in the parent's locale.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.core.milestones import group_twins, is_within_grace
from bot.core.rules import Rules
from bot.core.tips import topic_of
from bot.reminders.outcomes import TickReport
from bot.reminders.rendering import cohort_message, note_message, tip_message
from bot.store.blocking import PAUSED_REASON
from bot.store.deliveries import Deliveries, DueNote
from bot.store.subscriptions import COHORT, TIPS

log = logging.getLogger(__name__)


def is_known(rules: Rules, note: DueNote) -> bool:
    """Whether the rules still have what the note shows (a milestone, or a tip's topic)."""
    if note.kind == TIPS:
        return topic_of(note.milestone_id) in rules.explainers
    return note.milestone_id in rules.milestones


async def skip_unsendable(
    deliveries: Deliveries,
    rules: Rules,
    notes: Sequence[DueNote],
    now: datetime,
    report: TickReport,
) -> list[DueNote]:
    """Record as skipped the notes that must not go out; return the others."""
    stale, paused, unknown, live = [], [], [], []
    for note in notes:
        if not is_within_grace(note.due_at, now):
            stale.append(note.id)
        elif note.paused:
            paused.append(note.id)
        elif not is_known(rules, note):
            unknown.append(note.id)
        else:
            live.append(note)
    await deliveries.mark_skipped(stale, "older than the grace window when due")
    await deliveries.mark_skipped(paused, PAUSED_REASON)
    await deliveries.mark_skipped(unknown, "milestone no longer in rules")
    if unknown:
        log.warning("skipped %d notes of milestones no longer in rules", len(unknown))
    report.skipped += len(stale) + len(paused) + len(unknown)
    return live


def messages(notes: Sequence[DueNote]) -> list[tuple[DueNote, ...]]:
    """One message per chat, milestone and group of twins, in due order."""
    by_topic: dict[tuple[int, str], list[DueNote]] = {}
    for note in notes:
        by_topic.setdefault((note.chat_id, note.milestone_id), []).append(note)
    return [group for same in by_topic.values() for group in group_twins(same)]


def render(
    rules: Rules, bot_username: str, group: Sequence[DueNote]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of one message for `group` (notes of one chat and milestone)."""
    locale = rules.pick_locale(group[0].locale)
    if group[0].kind == TIPS:
        topic = topic_of(group[0].milestone_id) or ""
        return tip_message(rules, locale, topic, bot_username)
    milestone = rules.milestones[group[0].milestone_id]
    if group[0].kind == COHORT:
        return cohort_message(rules, locale, milestone, group[0].birth)
    return note_message(rules, locale, milestone, [n.baby_name for n in group])
