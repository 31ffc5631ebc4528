"""Milestone notes as messages, and what their buttons do.

The same rendering serves the note shown right after subscribing and the notes the dispatcher
sends later, so a parent sees one format.
"""

from __future__ import annotations

from telegram import Update

from bot.core.callback_data import NoteButton
from bot.core.milestones import Action, Answer
from bot.core.rules import Rules
from bot.telegram import keyboards
from bot.telegram.handlers import triage
from bot.telegram.replies import alert, send
from bot.telegram.services import BotContext


def skipped_by(rules: Rules, answer: Answer) -> list[str]:
    """Ids of the notes that this answer makes unnecessary (e.g. "Yes, smiling!")."""
    return [m.id for m in rules.milestones.values() if answer in m.skip_if_answered]


async def note_button(update: Update, context: BotContext, press: NoteButton) -> None:
    """Open a check or an explainer, or record an answer (a note or button since removed:
    stale)."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    milestone = context.rules.milestones.get(press.milestone_id)
    button = milestone.button(press.button_id) if milestone else None
    if milestone is None or button is None:
        await alert(update, t("alert.stale_button"))
        return
    await query.answer()
    if button.action is Action.OPEN_TRIAGE and button.target in context.rules.triage:
        await triage.send_flow(update, context, context.rules.triage[button.target])
    elif button.action is Action.OPEN_EXPLAINER and button.target in context.rules.explainers:
        topic = button.target
        await send(
            update,
            context.rules.explainers[topic].body.get(t.locale),
            keyboards.topic_keyboard(context.rules, t, topic),
        )
    elif button.action is Action.RECORD_ANSWER:
        skipped = skipped_by(context.rules, Answer(milestone.id, button.id))
        await context.services.store.subscriptions.skip_pending(chat.id, skipped)
        reply = button.reply.get(t.locale) if button.reply else t("milestones.answer_thanks")
        await send(update, reply)
