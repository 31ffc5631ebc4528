"""Safety-netting after an urgent or soon outcome: "Check on us in 2 hours" (opt-in).

The outcome offers the button (`check_in_button`); the triage handler, which has verified the
outcome from the answers, calls `schedule_check_in`. Two hours later the reminder dispatcher
sends the question (`bot.reminders.check_in_message`), and `check_in_answer` handles its three
buttons. Callback data is only a claim: who may act is checked against the stored check-in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core import locale_format
from bot.core.callback_data import AnswerCheckIn, CheckInReply
from bot.core.triage.vocabulary import Level
from bot.reminders.check_in_message import CHECK_IN_HOURS
from bot.telegram import keyboards
from bot.telegram.emergency import parent_zone
from bot.telegram.replies import alert, show
from bot.telegram.services import BotContext, Texts

CHECK_IN_DELAY = timedelta(hours=CHECK_IN_HOURS)
OFFERED_FOR = (Level.URGENT, Level.SOON)
DEFAULT_FLOW = "twitch"  # what "new worrying signs" opens if the checked flow is gone


def offers_check_in(level: Level) -> bool:
    """Whether an outcome of this level offers "Check on us in 2 hours"."""
    return level in OFFERED_FOR


def check_in_button(t: Texts, data: str) -> InlineKeyboardButton:
    """The opt-in button on an outcome; `data` is the triage handler's own callback data."""
    return keyboards.button(t("button.check_in", hours=CHECK_IN_HOURS), data)


async def _local_time(update: Update, context: BotContext, moment: datetime) -> str:
    zone = await parent_zone(update, context)
    locale = context.texts(update).locale
    if zone is None:
        return locale_format.clock(moment.astimezone(UTC), locale) + " UTC"
    return locale_format.clock(moment.astimezone(zone), locale)


async def schedule_check_in(
    update: Update, context: BotContext, flow_id: str, level: Level
) -> None:
    """Store one check-in due in 2 hours for this chat (a second tap keeps the first) and say
    when, in a short toast. The guard admits only the parent, in their own private chat."""
    query = update.callback_query
    assert query is not None
    t = context.texts(update)
    if not offers_check_in(level):
        await alert(update, t("alert.invalid_button"))
        return
    chat = update.effective_chat  # the guard let only the parent's own private chat through
    assert chat is not None
    now = context.services.clock()
    check_in, created = await context.services.store.check_ins.schedule(
        chat.id, flow_id, level.id, t.locale, now, now + CHECK_IN_DELAY
    )
    when = await _local_time(update, context, check_in.due_at)
    if created:
        await query.answer(t("checkin.scheduled", time=when))
    else:
        await query.answer(t("checkin.already", time=when))


async def check_in_answer(update: Update, context: BotContext, press: AnswerCheckIn) -> None:
    """All fine / we saw a doctor / new worrying signs."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    t = context.texts(update)
    assert chat is not None  # the guard let only the parent's own private chat through
    store = context.services.store.check_ins
    check_in = await store.get(chat.id, press.check_in_id)
    # Any status: a tap can arrive between the send and its record as sent.
    if check_in is None:
        await alert(update, t("alert.check_in_gone"))
        return
    await store.record_answer(check_in.id, press.reply.stored)
    await query.answer()
    if press.reply is CheckInReply.WORSE:
        # Imported here: the triage handler imports this module for its outcome buttons.
        from bot.telegram.handlers import triage

        flow = context.rules.triage.get(check_in.flow) or context.rules.triage.get(DEFAULT_FLOW)
        if flow is None:
            await triage.show_flow_choice(update, context)
        else:
            await triage.send_flow(update, context, flow)
        return
    reply = (
        t("checkin.reply_doctor") if press.reply is CheckInReply.DOCTOR else t("checkin.reply_fine")
    )
    await show(update, reply, InlineKeyboardMarkup([keyboards.home_row(t)]))
