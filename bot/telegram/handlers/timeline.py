"""/reminders → "📈 Timeline": one baby's (or twins', or a group's birth month's) first 3 years
as a picture. The core lays it out (bot/core/timeline.py); this only gathers and sends."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, Update
from telegram.constants import ParseMode

from bot.core.callback_data import TIMELINE, ShowTimeline
from bot.core.milestones.cohort import for_groups
from bot.core.milestones.render import join_names
from bot.core.timeline import TimelineBaby, timeline, twins_of
from bot.reminders.rendering import cohort_label
from bot.store.leased import SENT
from bot.store.subscriptions import BABY, COHORT, Subscription
from bot.telegram import keyboards
from bot.telegram.replies import alert
from bot.telegram.services import BotContext, Texts


def timeline_button(t: Texts, sub: Subscription, label: str) -> InlineKeyboardButton:
    """The "📈 Timeline" button /reminders shows under each baby (and a group's birth month)."""
    return keyboards.button(t("button.timeline", name=label), TIMELINE.encode(ShowTimeline(sub.id)))


def _baby(sub: Subscription) -> TimelineBaby:
    sent = frozenset(note.milestone_id for note in sub.notes if note.status == SENT)
    return TimelineBaby(sub.baby_name, sub.birth, sub.gestational_weeks, sent)


def _title(context: BotContext, t: Texts, subs: list[Subscription]) -> str:
    if subs[0].kind == COHORT:
        return t("timeline.title", name=cohort_label(context.rules, t.locale, subs[0].birth))
    names = join_names(
        [s.baby_name for s in subs],
        one=t("milestones.name_fallback"),
        many=t("milestones.names_fallback"),
        and_word=t("milestones.and"),
    )
    return t("timeline.title", name=names)


async def show_timeline(update: Update, context: BotContext, press: ShowTimeline) -> None:
    """g1:<subscription id>: the picture for that baby (with its twins) or the chat's cohort."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    subs = {
        s.id: s
        for s in await context.services.store.subscriptions.list_for_chat(chat.id)
        if s.kind in (BABY, COHORT)
    }
    chosen = subs.get(press.subscription_id)
    if chosen is None:
        await alert(update, t("alert.reminder_gone"))
        return
    if chosen.kind == COHORT:
        group = [chosen]
        milestones = for_groups(context.rules.milestones.values())
    else:
        babies = {sid: _baby(s) for sid, s in subs.items() if s.kind == BABY}
        group = [subs[sid] for sid in twins_of(babies, chosen.id)]
        milestones = list(context.rules.milestones.values())
    today = context.services.clock().astimezone(ZoneInfo(chosen.timezone)).date()
    model = timeline([_baby(s) for s in group], milestones, today, t.locale)
    await query.answer()
    from bot.media.drawing import TimelineLabels, render_timeline  # Pillow only when drawing

    labels = TimelineLabels(
        title=_title(context, t, group),
        months=t("timeline.months"),
        corrected=t("timeline.corrected"),
        today=t("timeline.today"),
        sent=t("timeline.sent"),
        next=t("timeline.next"),
    )
    picture = await asyncio.to_thread(render_timeline, model, labels)
    caption = t("timeline.caption_preterm" if model.preterm else "timeline.caption")
    await chat.send_photo(picture, caption=caption, parse_mode=ParseMode.HTML)
