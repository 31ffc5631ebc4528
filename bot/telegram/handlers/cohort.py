"""Birth-month reminders for a whole group or channel ("babies born in March 2026").

A group admin runs /subscribe in the group; a channel admin links the channel from a private chat
(/channel @name, or by forwarding one of its posts). Either way the draft lives in the database
under the chat where the conversation happens, with the chat that will receive the notes as its
`target`. Every press is checked: group settings are for group admins only.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot.core import date_picker
from bot.core.age import add_months
from bot.core.callback_data import COHORT_SETUP
from bot.core.callbacks import Callback
from bot.core.milestones import cohort_baby, cohort_current_note, for_groups
from bot.core.tips import tip_schedule
from bot.reminders.rendering import cohort_label, cohort_message
from bot.store.subscriptions import COHORT
from bot.telegram import guard, keyboards
from bot.telegram.pickers import HOURS, chunk, hour_rows, zone_choices, zone_screen_rows
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts

KIND = "cohort"
DEFAULT_HOUR = 9
# A cohort may be a few years old, or still expected (groups of parents-to-be).
MONTHS_BACK, MONTHS_AHEAD = 36, 9


def allowed_months(today: date) -> list[tuple[int, int]]:
    first = add_months(today.replace(day=1), -MONTHS_BACK)
    return [
        (d.year, d.month)
        for d in (add_months(first, i) for i in range(MONTHS_BACK + MONTHS_AHEAD + 1))
    ]


def cancel_row(t: Texts) -> list:
    return [keyboards.button(t("button.cancel"), COHORT_SETUP.encode("x"))]


def years_screen(t: Texts, today: date, title: str) -> tuple[str, InlineKeyboardMarkup]:
    years = sorted({y for y, _ in allowed_months(today)}, reverse=True)
    buttons = [keyboards.button(str(y), COHORT_SETUP.encode("y", str(y))) for y in years]
    return t("cohort.ask_year", chat=html.escape(title)), InlineKeyboardMarkup(
        [*chunk(buttons, 3), cancel_row(t)]
    )


def months_screen(t: Texts, today: date, year: int) -> tuple[str, InlineKeyboardMarkup]:
    names = t("subscribe.month_names").split()
    buttons = [
        keyboards.button(names[m - 1], COHORT_SETUP.encode("m", str(y), str(m)))
        for y, m in allowed_months(today)
        if y == year
    ]
    back = keyboards.button(t("button.back"), COHORT_SETUP.encode("y"))
    return t("cohort.ask_month", year=year), InlineKeyboardMarkup(
        [*chunk(buttons, 3), [back], cancel_row(t)]
    )


def zone_screen(context: BotContext, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    rows = zone_screen_rows(context, t, lambda index: COHORT_SETUP.encode("z", str(index)))
    return t("cohort.ask_zone"), InlineKeyboardMarkup([*rows, cancel_row(t)])


def hour_screen(t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    rows = hour_rows(lambda hour: COHORT_SETUP.encode("h", str(hour)), DEFAULT_HOUR)
    return t("subscribe.ask_hour"), InlineKeyboardMarkup([*rows, cancel_row(t)])


def today_of(context: BotContext) -> date:
    return date_picker.latest_today(context.services.clock())


def what_screen(t: Texts, title: str) -> tuple[str, InlineKeyboardMarkup]:
    """A channel may follow a birth month, or post one explainer a week."""
    return t("channel.ask_what", chat=html.escape(title)), InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.channel_cohort"), COHORT_SETUP.encode("k", "cohort"))],
            [keyboards.button(t("button.channel_tips"), COHORT_SETUP.encode("k", "tips"))],
            cancel_row(t),
        ]
    )


async def start(update: Update, context: BotContext, target: int, title: str) -> None:
    """Begin the setup for `target`: this group, or a channel linked from a private chat."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    is_channel = target != chat.id
    draft = {"target": target, "title": title, "step": "what" if is_channel else "month"}
    await context.services.store.conversations.put(chat.id, KIND, draft, context.services.clock())
    if is_channel:
        await show(update, *what_screen(t, title))
    else:
        await show(update, *years_screen(t, today_of(context), title))


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


async def cohort_button(update: Update, context: BotContext, data: Callback) -> None:
    """c1:<y|m|z|h|x>[:value...], checked against the stored draft (who may press: guard)."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    conversations, now = context.services.store.conversations, context.services.clock()
    state = await conversations.get(chat.id, now)
    action, values = data.fields[0], data.fields[1:]
    if action == "x":
        await conversations.clear(chat.id)
        await show(update, t("subscribe.cancelled"))
        await query.answer()
        return
    if state is None or state.kind != KIND:
        await alert(update, t("alert.subscribe_expired"))
        return
    draft = state.data
    if not await _apply(update, context, draft, action, values):
        await alert(update, t("alert.stale_button"))
        return
    await query.answer()


async def _apply(
    update: Update, context: BotContext, draft: dict[str, Any], action: str, values: tuple[str, ...]
) -> bool:
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    today = today_of(context)
    months = allowed_months(today)
    step = draft.get("step")
    if step == "what" and action == "k" and values and values[0] in ("cohort", "tips"):
        if values[0] == "cohort":
            draft["step"] = "month"
            screen = years_screen(t, today, draft["title"])
        else:
            draft.update(tips=True, step="zone")
            screen = zone_screen(context, t)
        await context.services.store.conversations.put(
            chat.id, KIND, draft, context.services.clock()
        )
        await show(update, *screen)
        return True
    if step == "month" and action == "y":
        if not values:
            await show(update, *years_screen(t, today, draft["title"]))
            return True
        if not values[0].isdigit() or int(values[0]) not in {y for y, _ in months}:
            return False
        await show(update, *months_screen(t, today, int(values[0])))
        return True
    if step == "month" and action == "m" and len(values) == 2 and all(v.isdigit() for v in values):
        if (int(values[0]), int(values[1])) not in months:
            return False
        draft.update(year=int(values[0]), month=int(values[1]), step="zone")
        screen = zone_screen(context, t)
    elif step == "zone" and action == "z" and values and values[0].isdigit():
        zones = zone_choices(context, t)
        if int(values[0]) >= len(zones):
            return False
        draft.update(zone=zones[int(values[0])].zone, step="hour")
        screen = hour_screen(t)
    elif step == "hour" and action == "h" and values and values[0].isdigit():
        if int(values[0]) not in HOURS:
            return False
        draft["hour"] = int(values[0])
        await (finish_tips if draft.get("tips") else finish)(update, context, draft)
        return True
    else:
        return False
    await context.services.store.conversations.put(chat.id, KIND, draft, context.services.clock())
    await show(update, *screen)
    return True


async def finish(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Store the cohort (replacing an earlier one for that chat) and say what is current."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    store, now, rules = context.services.store, context.services.clock(), context.rules
    target, year, month = int(draft["target"]), int(draft["year"]), int(draft["month"])
    for old in await store.subscriptions.list_for_chat(target):
        if old.kind == COHORT:
            await store.subscriptions.remove(target, old.id)
    baby = cohort_baby(year, month)
    await store.subscriptions.subscribe(
        target,
        baby,
        draft["zone"],
        draft["hour"],
        now,
        for_groups(rules.milestones.values()),
        locale=t.locale,
        kind=COHORT,
    )
    await store.conversations.clear(chat.id)
    label = cohort_label(rules, t.locale, baby.birth)
    await show(
        update,
        t(
            "cohort.done",
            chat=html.escape(draft["title"]),
            cohort=label,
            hour=f"{draft['hour']:02d}:00",
            zone=html.escape(draft["zone"]),
        ),
    )
    current = cohort_current_note(rules.milestones.values(), year, month, now.date())
    # A group hears what is current right away; a channel's subscribers only get scheduled notes.
    if current is not None and target == chat.id:
        await send(update, cohort_message(rules, t.locale, current, baby.birth)[0])


async def finish_tips(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Store a channel's weekly tips (replacing earlier reminders there), starting tomorrow."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    store, now, rules = context.services.store, context.services.clock(), context.rules
    target, zone, hour = int(draft["target"]), draft["zone"], int(draft["hour"])
    await store.subscriptions.forget(target)
    tomorrow = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    entries = tip_schedule(list(rules.explainers), tomorrow, ZoneInfo(zone), hour)
    await store.subscriptions.subscribe_tips(target, zone, hour, now, entries, locale=t.locale)
    await store.conversations.clear(chat.id)
    text = t(
        "channel.tips_done",
        chat=html.escape(draft["title"]),
        hour=f"{hour:02d}:00",
        zone=html.escape(zone),
        weeks=len(entries),
    )
    await show(update, text)
