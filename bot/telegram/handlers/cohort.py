"""Birth-month reminders for a whole group or channel ("babies born in March 2026").

A group admin runs /subscribe in the group; a channel admin links the channel from a private chat
(/channel @name, or by forwarding one of its posts). Either way the draft lives in the database
under the chat where the conversation happens, with the chat that will receive the notes as its
`target`. Every press is checked: group settings are for group admins only.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import actions
from bot.core import locale_format
from bot.core.age import add_months
from bot.core.callback_data import (
    COHORT_SETUP,
    Cancel,
    ChannelOffer,
    CohortPress,
    PickHour,
    PickMonth,
    PickOffer,
    PickYear,
    PickZone,
)
from bot.core.milestones import cohort_baby, cohort_current_note, for_groups
from bot.core.tips import tip_schedule
from bot.reminders.rendering import cohort_label, cohort_message
from bot.telegram import guard, keyboards, pickers
from bot.telegram.drafts import CohortDraft, CohortStep
from bot.telegram.pickers import Screen, cancel_row, zone_choices
from bot.telegram.replies import alert, send, show, topic_of
from bot.telegram.services import BotContext, Texts

KIND = CohortDraft.KIND
# A cohort may be a few years old, or still expected (groups of parents-to-be).
MONTHS_BACK, MONTHS_AHEAD = 36, 9


def allowed_months(today: date) -> list[tuple[int, int]]:
    first = add_months(today.replace(day=1), -MONTHS_BACK)
    return [
        (d.year, d.month)
        for d in (add_months(first, i) for i in range(MONTHS_BACK + MONTHS_AHEAD + 1))
    ]


def years_screen(t: Texts, today: date, title: str) -> Screen:
    years = sorted({y for y, _ in allowed_months(today)}, reverse=True)
    question = t("cohort.ask_year", chat=html.escape(title))
    return pickers.years_screen(t, COHORT_SETUP, question, years)


def months_screen(t: Texts, today: date, year: int) -> Screen:
    months = [m for y, m in allowed_months(today) if y == year]
    question = t("cohort.ask_month", year=year)
    return pickers.months_screen(t, COHORT_SETUP, question, year, months)


def zone_screen(context: BotContext, t: Texts) -> Screen:
    return pickers.zone_screen(context, t, COHORT_SETUP, t("cohort.ask_zone"))


def what_screen(t: Texts, title: str) -> Screen:
    """A channel may follow a birth month, or post one explainer a week."""

    def offer(label: str, choice: ChannelOffer) -> list[keyboards.InlineKeyboardButton]:
        return [keyboards.button(t(label), COHORT_SETUP.encode(PickOffer(choice)))]

    return t("channel.ask_what", chat=html.escape(title)), InlineKeyboardMarkup(
        [
            offer("button.channel_cohort", ChannelOffer.COHORT),
            offer("button.channel_tips", ChannelOffer.TIPS),
            cancel_row(t, COHORT_SETUP),
        ]
    )


async def save(context: BotContext, chat_id: int, draft: CohortDraft) -> None:
    stored = draft.to_stored()
    await context.services.store.conversations.put(chat_id, KIND, stored, context.services.clock())


async def start(update: Update, context: BotContext, target: int, title: str) -> None:
    """Begin the setup for `target`: this group, or a channel linked from a private chat."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    is_channel = target != chat.id
    draft = CohortDraft(target, title, CohortStep.WHAT if is_channel else CohortStep.MONTH)
    if not is_channel:
        draft.thread = topic_of(update)  # a forum group's notes go to this topic
    await save(context, chat.id, draft)
    if is_channel:
        await show(update, *what_screen(t, title))
    else:
        await show(update, *years_screen(t, pickers.latest_date(context), title))


async def group_subscribe(update: Update, context: BotContext) -> None:
    """/subscribe in a group: admins only, checked with Telegram now."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    # Reached from /subscribe (guarded) and from a /start deep link (open): check here too.
    if not await guard.acts_for_group(update, context):
        await send(update, t("cohort.admins_only"))
        return
    await start(update, context, chat.id, chat.title or "")


async def cohort_button(update: Update, context: BotContext, press: CohortPress) -> None:
    """Each press is checked against the stored draft (who may press: the guard)."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    conversations, now = context.services.store.conversations, context.services.clock()
    state = await conversations.get(chat.id, now)
    if isinstance(press, Cancel):
        await conversations.clear(chat.id)
        await show(update, t("subscribe.cancelled"))
        await query.answer()
        return
    draft = CohortDraft.from_stored(state.data) if state and state.kind == KIND else None
    if draft is None:
        await alert(update, t("alert.subscribe_expired"))
        return
    if not await _apply(update, context, draft, press):
        await alert(update, t("alert.stale_button"))
        return
    await query.answer()


async def _apply(
    update: Update, context: BotContext, draft: CohortDraft, press: CohortPress
) -> bool:
    """Apply one press to the draft; False when the press does not fit the current step."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    today = pickers.latest_date(context)
    months = allowed_months(today)
    match draft.step, press:
        case CohortStep.WHAT, PickOffer(offer=ChannelOffer.COHORT):
            draft.step = CohortStep.MONTH
            screen = years_screen(t, today, draft.title)
        case CohortStep.WHAT, PickOffer(offer=ChannelOffer.TIPS):
            draft.tips, draft.step = True, CohortStep.ZONE
            screen = zone_screen(context, t)
        case CohortStep.MONTH, PickYear(year=None):
            await show(update, *years_screen(t, today, draft.title))
            return True
        case CohortStep.MONTH, PickYear(year=int(year)):
            if year not in {y for y, _ in months}:
                return False
            await show(update, *months_screen(t, today, year))
            return True
        case CohortStep.MONTH, PickMonth(year=year, month=month):
            if (year, month) not in months:
                return False
            draft.year, draft.month, draft.step = year, month, CohortStep.ZONE
            screen = zone_screen(context, t)
        case CohortStep.ZONE, PickZone(index=index):
            zones = zone_choices(context, t)
            if index >= len(zones):
                return False
            draft.zone, draft.step = zones[index].zone, CohortStep.HOUR
            screen = pickers.hour_screen(t, COHORT_SETUP)
        case CohortStep.HOUR, PickHour(hour=hour):
            draft.hour = hour
            await (finish_tips if draft.tips else finish)(update, context, draft)
            return True
        case _:
            return False
    await save(context, chat.id, draft)
    await show(update, *screen)
    return True


async def finish(update: Update, context: BotContext, draft: CohortDraft) -> None:
    """Store the cohort (replacing an earlier one for that chat) and say what is current."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    store, now, rules = context.services.store, context.services.clock(), context.rules
    assert draft.year is not None and draft.month is not None
    assert draft.zone is not None and draft.hour is not None
    target, year, month = draft.target, draft.year, draft.month
    baby = cohort_baby(year, month)
    await actions.replace_cohort(
        store,
        chat.id,
        target,
        baby,
        draft.zone,
        draft.hour,
        now,
        for_groups(rules.milestones.values()),
        locale=t.locale,
        message_thread_id=draft.thread,
    )
    label = cohort_label(rules, t.locale, baby.birth)
    done = t(
        "cohort.done",
        chat=html.escape(draft.title),
        cohort=label,
        hour=locale_format.hour(draft.hour, t.locale),
        zone=html.escape(draft.zone),
    )
    if draft.thread is not None:
        done = f"{done}\n\n{t('cohort.done_topic')}"
    await show(update, done)
    current = cohort_current_note(rules.milestones.values(), year, month, now.date())
    # A group hears what is current right away; a channel's subscribers only get scheduled notes.
    if current is not None and target == chat.id:
        await send(update, cohort_message(rules, t.locale, current, baby.birth)[0])


async def finish_tips(update: Update, context: BotContext, draft: CohortDraft) -> None:
    """Store a channel's weekly tips (replacing earlier reminders there), starting tomorrow."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    store, now, rules = context.services.store, context.services.clock(), context.rules
    assert draft.zone is not None and draft.hour is not None
    target, zone, hour = draft.target, draft.zone, draft.hour
    tomorrow = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    entries = tip_schedule(list(rules.explainers), tomorrow, ZoneInfo(zone), hour)
    await actions.follow_tips(store, chat.id, target, zone, hour, now, entries, locale=t.locale)
    text = t(
        "channel.tips_done",
        chat=html.escape(draft.title),
        hour=locale_format.hour(hour, t.locale),
        zone=html.escape(zone),
        weeks=len(entries),
    )
    await show(update, text)
