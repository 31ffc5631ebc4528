"""/reminders (list and manage babies), /unsubscribe and /export."""

from __future__ import annotations

import html
import io
import json
from zoneinfo import ZoneInfo

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType

from bot import actions
from bot.core import locale_format
from bot.core.callback_data import (
    MENU,
    REMINDERS,
    AskHour,
    AskRemove,
    ChangeHour,
    ListReminders,
    OpenSection,
    Pause,
    ReminderPress,
    Remove,
    Resume,
    Section,
    UnsubscribeAll,
)
from bot.reminders.rendering import cohort_label
from bot.store.subscriptions import BABY, COHORT, Subscription
from bot.telegram import keyboards
from bot.telegram.handlers.timeline import timeline_button
from bot.telegram.pickers import HOURS, chunk
from bot.telegram.replies import alert, show, topic_of
from bot.telegram.services import BotContext, Texts

UPCOMING_SHOWN = 2


def label_of(context: BotContext, t: Texts, sub: Subscription) -> str:
    if sub.kind == COHORT:
        return cohort_label(context.rules, t.locale, sub.birth)
    return sub.baby_name or t("milestones.name_fallback")


def describe(context: BotContext, t: Texts, sub: Subscription) -> str:
    hour, zone = locale_format.hour(sub.delivery_hour, t.locale), html.escape(sub.timezone)
    if sub.kind == COHORT:
        first = t("reminders.cohort", cohort=label_of(context, t, sub), hour=hour, zone=zone)
    else:
        name = html.escape(label_of(context, t, sub))
        born = locale_format.day_month_year(sub.birth, t.locale)
        first = t("reminders.baby", name=name, born=born, hour=hour, zone=zone)
    lines = [first]
    if sub.paused:
        lines.append(t("reminders.paused"))
    zone = ZoneInfo(sub.timezone)
    for note in sub.upcoming[:UPCOMING_SHOWN]:
        milestone = context.rules.milestones.get(note.milestone_id)
        if milestone is not None:
            when = locale_format.day_month_year(note.due_at.astimezone(zone).date(), t.locale)
            title = html.escape(milestone.title.get(t.locale))
            lines.append(t("reminders.next", when=when, title=title))
    if not sub.upcoming:
        lines.append(t("reminders.no_more"))
    return "\n".join(lines)


def topic_link(chat_id: int, thread_id: int) -> str:
    """A t.me link that opens a topic of a supergroup (-100<n>) for its members."""
    return f"https://t.me/c/{-chat_id - 1_000_000_000_000}/{thread_id}"


def topic_line(t: Texts, chat: Chat, here: int | None, sub: Subscription) -> str | None:
    """Which topic a forum group's notes come to, seen from topic `here` (None: General)."""
    if sub.kind != COHORT:
        return None
    if sub.message_thread_id is None:
        if sub.fallback_thread_id is not None:
            return t("reminders.topic_fell_back")
        return t("reminders.topic_general") if chat.is_forum else None
    if sub.message_thread_id == here:
        return t("reminders.topic_here")
    return t("reminders.topic_other", link=topic_link(chat.id, sub.message_thread_id))


def sub_buttons(t: Texts, sub: Subscription, label: str) -> list[list[InlineKeyboardButton]]:
    sid = sub.id
    toggle = (
        keyboards.button(t("button.resume", name=label), REMINDERS.encode(Resume(sid)))
        if sub.paused
        else keyboards.button(t("button.pause", name=label), REMINDERS.encode(Pause(sid)))
    )
    return [
        [toggle],
        [
            keyboards.button(t("button.change_hour"), REMINDERS.encode(AskHour(sid))),
            keyboards.button(t("button.remove"), REMINDERS.encode(AskRemove(sid))),
        ],
    ]


async def list_screen(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    chat = update.effective_chat
    assert chat is not None
    in_group = chat.type != ChatType.PRIVATE
    subs = await context.services.store.subscriptions.list_for_chat(chat.id)
    add = keyboards.button(
        t("button.set_cohort" if in_group else "button.add_baby"),
        MENU.encode(OpenSection(Section.SUBSCRIBE)),
    )
    if not subs:
        text = t("reminders.none_group" if in_group else "reminders.none")
        await show(update, text, InlineKeyboardMarkup([[add], keyboards.home_row(t)]))
        return
    blocks, rows = [t("reminders.title")], []
    for sub in subs:
        where = topic_line(t, chat, topic_of(update), sub)
        blocks.append(describe(context, t, sub) + (f"\n{where}" if where else ""))
        rows += sub_buttons(t, sub, label_of(context, t, sub)[:20])
        if sub.kind in (BABY, COHORT):  # 📈 the milestone timeline picture (handlers/timeline.py)
            rows.append([timeline_button(t, sub, label_of(context, t, sub)[:20])])
    if in_group:
        blocks.append(t("reminders.admins_change"))
    rows.append([add])
    rows.append(keyboards.home_row(t))
    await show(update, "\n\n".join(blocks), InlineKeyboardMarkup(rows))


async def reminders_command(update: Update, context: BotContext) -> None:
    """/reminders: each baby, its next notes, and buttons to pause, move or remove."""
    await list_screen(update, context)


async def reminders_button(update: Update, context: BotContext, press: ReminderPress) -> None:
    """The list, and what its buttons do; subscription ids are checked against this chat."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    subs = context.services.store.subscriptions
    if isinstance(press, ListReminders | UnsubscribeAll):
        opener = list_screen if isinstance(press, ListReminders) else unsubscribe_all
        await opener(update, context)
        await query.answer()
        return
    sid = press.subscription_id
    mine = {sub.id: sub for sub in await subs.list_for_chat(chat.id)}
    if sid not in mine:
        await alert(update, t("alert.reminder_gone"))
        return
    match press:
        case AskHour() | AskRemove():
            await show(update, *question_screen(t, press))
            await query.answer()
            return
        case Pause():
            await subs.pause(chat.id, sid)
        case Resume():
            await subs.resume(chat.id, sid)
        case ChangeHour(hour=hour):
            await subs.change_hour(chat.id, sid, hour)
        case Remove():
            await actions.unsubscribe(context.services.store, chat.id, sid)
    await list_screen(update, context)
    await query.answer(t("reminders.saved"))


def question_screen(t: Texts, press: AskHour | AskRemove) -> tuple[str, InlineKeyboardMarkup]:
    """Which hour, or "really remove?", for one subscription; back goes to the list."""
    sid = press.subscription_id
    back = [keyboards.button(t("button.back"), REMINDERS.encode(ListReminders()))]
    if isinstance(press, AskHour):
        hours = [
            keyboards.button(locale_format.hour(h, t.locale), REMINDERS.encode(ChangeHour(sid, h)))
            for h in HOURS
        ]
        return t("reminders.ask_hour"), InlineKeyboardMarkup([*chunk(hours, 5), back])
    remove = [keyboards.button(t("button.remove_yes"), REMINDERS.encode(Remove(sid)))]
    return t("reminders.confirm_remove"), InlineKeyboardMarkup([remove, back])


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe: stop every reminder of this chat, after one confirming tap."""
    t = context.texts(update)
    confirm = InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.unsubscribe_yes"), REMINDERS.encode(UnsubscribeAll()))],
            [keyboards.button(t("button.forget_no"), REMINDERS.encode(ListReminders()))],
        ]
    )
    await show(update, t("reminders.confirm_unsubscribe"), confirm)


async def unsubscribe_all(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None
    await actions.unsubscribe_all(context.services.store, chat.id)
    t = context.texts(update)
    await show(update, t("reminders.unsubscribed"), InlineKeyboardMarkup([keyboards.home_row(t)]))


async def export_command(update: Update, context: BotContext) -> None:
    """/export: everything stored about this chat, as a JSON document."""
    chat = update.effective_chat
    if chat is None:
        return
    exported = await actions.export_chat(context.services.store, chat.id)
    payload = json.dumps(exported.as_document(), indent=2, ensure_ascii=False).encode()
    await chat.send_document(
        InputFile(io.BytesIO(payload), filename="sleepsigns-export.json"),
        caption=context.texts(update)("export.caption"),
        message_thread_id=topic_of(update),
    )
