"""/subscribe: sign a baby up for milestone reminders, a few taps at a time.

Steps: birth date (picker or typed) -> born early? -> name (optional) -> time zone -> hour.
The draft lives in the database (`store.conversations`), so a restart mid-way loses nothing; the
buttons carry only the value of their step and are checked against that draft.
"""

from __future__ import annotations

import html
import unicodedata
from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core import date_picker
from bot.core.age import DateCode, is_preterm, latest_date_on_earth, parse_birth_date
from bot.core.milestones import Baby
from bot.core.timezones import find_zone
from bot.reminders.rendering import note_message
from bot.telegram import keyboards
from bot.telegram.callback_data import (
    REMINDERS,
    AskWeeks,
    Cancel,
    ListReminders,
    PickDay,
    PickHour,
    PickMonth,
    PickWeeks,
    PickYear,
    PickZone,
    SkipName,
    SubscribePress,
)
from bot.telegram.drafts import SignUpDraft, SignUpStep
from bot.telegram.handlers import cohort
from bot.telegram.handlers.subscribe_screens import (
    PRETERM_WEEKS,
    ambiguous_choices,
    days_screen,
    months_screen,
    step_screen,
    weeks_screen,
    years_screen,
)
from bot.telegram.pickers import zone_choices
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext

KIND = SignUpDraft.KIND
NAME_MAX = 32
# Babies per chat: /reminders shows three buttons each, and Telegram allows 100 in a keyboard.
MAX_BABIES = 10
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def latest_date(context: BotContext) -> date:
    return latest_date_on_earth(context.services.clock())


# --- the draft ---------------------------------------------------------------------------------


async def save(context: BotContext, chat_id: int, draft: SignUpDraft) -> None:
    stored = draft.to_stored()
    await context.services.store.conversations.put(chat_id, KIND, stored, context.services.clock())


async def load(context: BotContext, chat_id: int) -> SignUpDraft | None:
    state = await context.services.store.conversations.get(chat_id, context.services.clock())
    if state is None or state.kind != KIND:
        return None
    return SignUpDraft.from_stored(state.data)


async def next_step(update: Update, context: BotContext, draft: SignUpDraft) -> None:
    """Save the draft and show the first step it still lacks; finish when it lacks none."""
    chat = update.effective_chat
    assert chat is not None
    missing = draft.first_missing()
    if missing is None:
        await finish(update, context, draft)
        return
    draft.step = missing
    await save(context, chat.id, draft)
    await show(update, *step_screen(context, context.texts(update), missing, latest_date(context)))


async def at_limit(update: Update, context: BotContext) -> bool:
    """Whether the chat follows MAX_BABIES already (then it is told so, kindly)."""
    chat = update.effective_chat
    assert chat is not None
    if len(await context.services.store.subscriptions.list_for_chat(chat.id)) < MAX_BABIES:
        return False
    t = context.texts(update)
    my_reminders = keyboards.button(t("button.my_reminders"), REMINDERS.encode(ListReminders()))
    await show(
        update, t("subscribe.too_many", max=MAX_BABIES), InlineKeyboardMarkup([[my_reminders]])
    )
    return True


async def finish(update: Update, context: BotContext, draft: SignUpDraft) -> None:
    chat = update.effective_chat
    assert chat is not None
    assert draft.birth is not None and draft.zone is not None and draft.hour is not None
    t = context.texts(update)
    store, now = context.services.store, context.services.clock()
    if await at_limit(update, context):  # e.g. two sign-ups finished side by side
        await store.conversations.clear(chat.id)
        return
    baby = Baby(draft.birth, draft.weeks or None, draft.name or None)
    created = await store.subscriptions.subscribe(
        chat.id,
        baby,
        draft.zone,
        draft.hour,
        now,
        context.rules.milestones.values(),
        locale=t.locale,
    )
    await store.conversations.clear(chat.id)
    name = html.escape(baby.name) if baby.name else t("milestones.name_fallback")
    done = t(
        "subscribe.done",
        name=name,
        hour=f"{draft.hour:02d}:00",
        zone=html.escape(draft.zone),
        count=created.scheduled,
    )
    my_reminders = keyboards.button(t("button.my_reminders"), REMINDERS.encode(ListReminders()))
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
    await next_step(update, context, SignUpDraft())


async def subscribe_button(update: Update, context: BotContext, press: SubscribePress) -> None:
    """Each press is checked against the stored draft: it must fit the step the draft is at."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    if isinstance(press, Cancel):
        await context.services.store.conversations.clear(chat.id)
        await show(update, t("subscribe.cancelled"), keyboards.main_menu(t))
        await query.answer()
        return
    draft = await load(context, chat.id)
    if draft is None:
        await alert(update, t("alert.subscribe_expired"))
        return
    handled = await _apply(update, context, draft, press)
    if not handled:
        await alert(update, t("alert.stale_button"))
        return
    await query.answer()


async def _apply(
    update: Update, context: BotContext, draft: SignUpDraft, press: SubscribePress
) -> bool:
    """Apply one press to the draft; False when the press does not fit the current step."""
    t = context.texts(update)
    today = latest_date(context)
    match draft.step, press:
        case SignUpStep.DATE, PickYear(year=None):
            await show(update, *years_screen(t, today))
            return True
        case SignUpStep.DATE, PickYear(year=int(year)):
            if year not in date_picker.years(today):
                return False
            await show(update, *months_screen(t, year, today))
            return True
        case SignUpStep.DATE, PickMonth(year=year, month=month):
            if month not in date_picker.months(year, today):
                return False
            await show(update, *days_screen(t, year, month, today))
            return True
        case SignUpStep.DATE, PickDay(day=day):
            if not date_picker.is_allowed_birth_date(day, today):
                return False
            draft.birth = day
        case SignUpStep.EARLY, AskWeeks():
            await show(update, *weeks_screen(t))
            return True
        case SignUpStep.EARLY, PickWeeks(weeks=weeks):
            if weeks and weeks not in PRETERM_WEEKS:
                return False
            draft.weeks = weeks if weeks and is_preterm(weeks) else 0
        case SignUpStep.NAME, SkipName():
            draft.name = ""
        case SignUpStep.ZONE, PickZone(index=index):
            zones = zone_choices(context, t)
            if index >= len(zones):
                return False
            draft.zone = zones[index].zone
        case SignUpStep.HOUR, PickHour(hour=hour):
            draft.hour = hour
        case _:
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
    text = message.text.strip()
    typed = TYPED_STEPS.get(draft.step)
    if typed is None:
        await chat.send_message(context.texts(update)("subscribe.use_buttons"))
    elif await typed(update, context, draft, text):
        await next_step(update, context, draft)
    return True


async def typed_date(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    """A typed birth date: taken, asked about (03/04 may be either), or refused with why."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    today = latest_date(context)
    parsed = parse_birth_date(text, today)
    if parsed.code is DateCode.OK and parsed.date is not None:
        draft.birth = parsed.date
        return True
    readings = [d for d in parsed.readings if date_picker.is_allowed_birth_date(d, today)]
    if parsed.code is DateCode.AMBIGUOUS and readings:
        await send(update, t("subscribe.date_ambiguous"), ambiguous_choices(t, readings))
    else:
        await chat.send_message(t(f"subscribe.date_{parsed.code.value}"), parse_mode="HTML")
    return False


async def typed_name(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    name = clean_name(text)
    if not name:
        await chat.send_message(t("subscribe.ask_name"), parse_mode="HTML")
        return False
    if len(name) > NAME_MAX:
        await chat.send_message(t("subscribe.name_too_long", max=NAME_MAX))
        return False
    draft.name = name
    return True


async def typed_zone(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    chat = update.effective_chat
    assert chat is not None
    zone = find_zone(text)
    if zone is None:
        await chat.send_message(context.texts(update)("subscribe.zone_unknown"), parse_mode="HTML")
        return False
    draft.zone = zone
    return True


# The steps that take a typed answer; each returns whether the draft moved on.
TYPED_STEPS = {
    SignUpStep.DATE: typed_date,
    SignUpStep.NAME: typed_name,
    SignUpStep.ZONE: typed_zone,
}


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
