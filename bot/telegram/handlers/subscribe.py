"""/subscribe: sign a baby up for milestone reminders, a few taps at a time.

Steps: birth date (picker or typed) -> born early? -> name (optional) -> time zone -> hour.
The draft lives in the database (`store.conversations`), so a restart mid-way loses nothing; the
buttons carry only the value of their step and are checked against that draft.
"""

from __future__ import annotations

import html
import unicodedata
from datetime import date
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core import date_picker
from bot.core.age import DateCode, is_preterm, parse_birth_date
from bot.core.callback_data import REMINDERS, SUBSCRIBE
from bot.core.callbacks import Callback
from bot.core.milestones import Baby
from bot.core.timezones import find_zone
from bot.reminders.rendering import note_message
from bot.telegram import keyboards
from bot.telegram.handlers import cohort
from bot.telegram.pickers import HOURS, chunk, hour_rows, zone_choices, zone_screen_rows
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts

KIND = "subscribe"
DEFAULT_HOUR = 9
PRETERM_WEEKS = tuple(range(24, 37))
NAME_MAX = 32
# Babies per chat: /reminders shows three buttons each, and Telegram allows 100 in a keyboard.
MAX_BABIES = 10
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MONTHS_PER_ROW, DAYS_PER_ROW, YEARS_PER_ROW = 3, 7, 3


def cancel_row(t: Texts) -> list:
    return [keyboards.button(t("button.cancel"), SUBSCRIBE.encode("x"))]


def local_today(context: BotContext) -> date:
    return date_picker.latest_today(context.services.clock())


# --- screens -----------------------------------------------------------------------------------


def years_screen(t: Texts, today: date) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        keyboards.button(str(y), SUBSCRIBE.encode("y", str(y))) for y in date_picker.years(today)
    ]
    return t("subscribe.ask_birth_date"), InlineKeyboardMarkup(
        [*chunk(buttons, YEARS_PER_ROW), cancel_row(t)]
    )


def months_screen(t: Texts, year: int, today: date) -> tuple[str, InlineKeyboardMarkup]:
    names = t("subscribe.month_names").split()
    buttons = [
        keyboards.button(names[m - 1], SUBSCRIBE.encode("m", str(year), str(m)))
        for m in date_picker.months(year, today)
    ]
    back = keyboards.button(t("button.back"), SUBSCRIBE.encode("y"))
    return (
        t("subscribe.ask_month", year=year),
        InlineKeyboardMarkup([*chunk(buttons, MONTHS_PER_ROW), [back], cancel_row(t)]),
    )


def days_screen(t: Texts, year: int, month: int, today: date) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        keyboards.button(str(d), SUBSCRIBE.encode("d", f"{year:04d}{month:02d}{d:02d}"))
        for d in date_picker.days(year, month, today)
    ]
    back = keyboards.button(t("button.back"), SUBSCRIBE.encode("y", str(year)))
    month_name = t("subscribe.month_names").split()[month - 1]
    return (
        t("subscribe.ask_day", month=month_name, year=year),
        InlineKeyboardMarkup([*chunk(buttons, DAYS_PER_ROW), [back], cancel_row(t)]),
    )


def early_screen(t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    return t("subscribe.ask_early"), InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.on_time"), SUBSCRIBE.encode("e", "0"))],
            [keyboards.button(t("button.born_early"), SUBSCRIBE.encode("w"))],
            cancel_row(t),
        ]
    )


def weeks_screen(t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [keyboards.button(str(w), SUBSCRIBE.encode("e", str(w))) for w in PRETERM_WEEKS]
    return t("subscribe.ask_weeks"), InlineKeyboardMarkup([*chunk(buttons, 5), cancel_row(t)])


def name_screen(t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    return t("subscribe.ask_name"), InlineKeyboardMarkup(
        [[keyboards.button(t("button.skip"), SUBSCRIBE.encode("n"))], cancel_row(t)]
    )


def zone_screen(context: BotContext, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    rows = zone_screen_rows(context, t, lambda index: SUBSCRIBE.encode("z", str(index)))
    return t("subscribe.ask_zone"), InlineKeyboardMarkup([*rows, cancel_row(t)])


def hour_screen(t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    rows = hour_rows(lambda hour: SUBSCRIBE.encode("h", str(hour)), DEFAULT_HOUR)
    return t("subscribe.ask_hour"), InlineKeyboardMarkup([*rows, cancel_row(t)])


# --- the draft ---------------------------------------------------------------------------------


async def save(context: BotContext, chat_id: int, draft: dict[str, Any]) -> None:
    await context.services.store.conversations.put(chat_id, KIND, draft, context.services.clock())


async def load(context: BotContext, chat_id: int) -> dict[str, Any] | None:
    state = await context.services.store.conversations.get(chat_id, context.services.clock())
    return state.data if state is not None and state.kind == KIND else None


async def next_step(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Save the draft and show the first step it still lacks; finish when it lacks none."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    if "birth" not in draft:
        draft["step"] = "date"
        screen = years_screen(t, local_today(context))
    elif "weeks" not in draft:
        draft["step"] = "early"
        screen = early_screen(t)
    elif "name" not in draft:
        draft["step"] = "name"
        screen = name_screen(t)
    elif "zone" not in draft:
        draft["step"] = "zone"
        screen = zone_screen(context, t)
    elif "hour" not in draft:
        draft["step"] = "hour"
        screen = hour_screen(t)
    else:
        await finish(update, context, draft)
        return
    await save(context, chat.id, draft)
    await show(update, *screen)


async def at_limit(update: Update, context: BotContext) -> bool:
    """Whether the chat follows MAX_BABIES already (then it is told so, kindly)."""
    chat = update.effective_chat
    assert chat is not None
    if len(await context.services.store.subscriptions.list_for_chat(chat.id)) < MAX_BABIES:
        return False
    t = context.texts(update)
    my_reminders = keyboards.button(t("button.my_reminders"), REMINDERS.encode("l"))
    await show(
        update, t("subscribe.too_many", max=MAX_BABIES), InlineKeyboardMarkup([[my_reminders]])
    )
    return True


async def finish(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    store, now = context.services.store, context.services.clock()
    if await at_limit(update, context):  # e.g. two sign-ups finished side by side
        await store.conversations.clear(chat.id)
        return
    baby = Baby(date.fromisoformat(draft["birth"]), draft["weeks"] or None, draft["name"] or None)
    created = await store.subscriptions.subscribe(
        chat.id,
        baby,
        draft["zone"],
        int(draft["hour"]),
        now,
        context.rules.milestones.values(),
        locale=t.locale,
    )
    await store.conversations.clear(chat.id)
    name = html.escape(baby.name) if baby.name else t("milestones.name_fallback")
    done = t(
        "subscribe.done",
        name=name,
        hour=f"{int(draft['hour']):02d}:00",
        zone=html.escape(draft["zone"]),
        count=created.scheduled,
    )
    my_reminders = keyboards.button(t("button.my_reminders"), REMINDERS.encode("l"))
    await show(update, done, InlineKeyboardMarkup([[my_reminders], keyboards.home_row(t)]))
    if created.current is not None:
        # What is true for the baby's age right now: one note, never the backlog.
        await send(update, *note_message(context.rules, t.locale, created.current, [baby.name]))


# --- entry points ------------------------------------------------------------------------------


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe: start (or restart) the sign-up in a private chat."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        await cohort.group_subscribe(update, context)
        return
    if chat.type != ChatType.PRIVATE:
        return
    if await at_limit(update, context):
        return
    await next_step(update, context, {})


async def subscribe_button(update: Update, context: BotContext, data: Callback) -> None:
    """s1:<y|m|d|e|w|n|z|h|x>[:value...] — each press is checked against the stored draft."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    action, values = data.fields[0], data.fields[1:]
    draft = await load(context, chat.id)
    if action == "x":
        await context.services.store.conversations.clear(chat.id)
        await show(update, t("subscribe.cancelled"), keyboards.main_menu(t))
        await query.answer()
        return
    if draft is None:
        await alert(update, t("alert.subscribe_expired"))
        return
    handled = await _apply(update, context, draft, action, values)
    if not handled:
        await alert(update, t("alert.stale_button"))
        return
    await query.answer()


async def _apply(
    update: Update, context: BotContext, draft: dict[str, Any], action: str, values: tuple[str, ...]
) -> bool:
    """Apply one press to the draft; False when the press does not fit the current step."""
    t = context.texts(update)
    today = local_today(context)
    step = draft.get("step")
    if step == "date" and action == "y":
        if not values:
            await show(update, *years_screen(t, today))
            return True
        if not values[0].isdigit() or int(values[0]) not in date_picker.years(today):
            return False
        await show(update, *months_screen(t, int(values[0]), today))
        return True
    if step == "date" and action == "m" and len(values) == 2 and all(v.isdigit() for v in values):
        year, month = int(values[0]), int(values[1])
        if month not in date_picker.months(year, today):
            return False
        await show(update, *days_screen(t, year, month, today))
        return True
    if step == "date" and action == "d" and values and values[0].isdigit() and len(values[0]) == 8:
        try:
            chosen = date(int(values[0][:4]), int(values[0][4:6]), int(values[0][6:]))
        except ValueError:
            return False
        if not date_picker.is_allowed_birth_date(chosen, today):
            return False
        draft["birth"] = chosen.isoformat()
    elif step == "early" and action == "w":
        await show(update, *weeks_screen(t))
        return True
    elif step == "early" and action == "e" and values and values[0].isdigit():
        weeks = int(values[0])
        if weeks and weeks not in PRETERM_WEEKS:
            return False
        draft["weeks"] = weeks if weeks and is_preterm(weeks) else 0
    elif step == "name" and action == "n":
        draft["name"] = ""
    elif step == "zone" and action == "z" and values and values[0].isdigit():
        zones = zone_choices(context, t)
        index = int(values[0])
        if index >= len(zones):
            return False
        draft["zone"] = zones[index].zone
    elif step == "hour" and action == "h" and values and values[0].isdigit():
        if int(values[0]) not in HOURS:
            return False
        draft["hour"] = int(values[0])
    else:
        return False
    await next_step(update, context, draft)
    return True


async def typed_input(update: Update, context: BotContext) -> bool:
    """Text while a sign-up waits for a typed answer; False when no sign-up is waiting."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or not message.text:
        return False
    draft = await load(context, chat.id)
    if draft is None:
        return False
    t = context.texts(update)
    text = message.text.strip()
    step = draft.get("step")
    if step == "date":
        parsed = parse_birth_date(text, local_today(context))
        if parsed.code is DateCode.OK and parsed.date is not None:
            draft["birth"] = parsed.date.isoformat()
        elif parsed.code is DateCode.AMBIGUOUS and (
            readings := [
                d
                for d in parsed.readings
                if date_picker.is_allowed_birth_date(d, local_today(context))
            ]
        ):
            await send(update, t("subscribe.date_ambiguous"), ambiguous_choices(t, readings))
            return True
        else:
            await chat.send_message(t(f"subscribe.date_{parsed.code.value}"), parse_mode="HTML")
            return True
    elif step == "name":
        text = clean_name(text)
        if not text:
            await chat.send_message(t("subscribe.ask_name"), parse_mode="HTML")
            return True
        if len(text) > NAME_MAX:
            await chat.send_message(t("subscribe.name_too_long", max=NAME_MAX))
            return True
        draft["name"] = text
    elif step == "zone":
        zone = find_zone(text)
        if zone is None:
            await chat.send_message(t("subscribe.zone_unknown"), parse_mode="HTML")
            return True
        draft["zone"] = zone
    else:
        await chat.send_message(t("subscribe.use_buttons"))
        return True
    await next_step(update, context, draft)
    return True


def clean_name(text: str) -> str:
    """A typed name without control characters (a NUL breaks PostgreSQL's text, a newline the
    layout), lone surrogates or text-direction overrides; line breaks and tabs become spaces
    first, runs of spaces one. Emoji joiners stay."""
    spaced = "".join(" " if ch in "\n\r\t\v\f" else ch for ch in text)
    kept = "".join(
        ch
        for ch in spaced
        if unicodedata.category(ch) not in ("Cc", "Cs") and ch not in BIDI_CONTROLS
    )
    return " ".join(kept.split())


def ambiguous_choices(t: Texts, readings: list[date]) -> InlineKeyboardMarkup:
    """03/04/2026: one button per reading, so the parent says which they meant."""
    names = t("subscribe.month_names").split()
    return InlineKeyboardMarkup(
        [
            [
                keyboards.button(
                    f"{d.day} {names[d.month - 1]} {d.year}",
                    SUBSCRIBE.encode("d", d.strftime("%Y%m%d")),
                )
            ]
            for d in readings
        ]
        + [cancel_row(t)]
    )
