"""/subscribe: sign a baby up for milestone reminders, a few taps at a time.

Steps (`SignUpStep`): birth date (picker or typed) -> born early? -> name (optional) -> time
zone -> hour. The typed draft (`SignUpDraft`) lives in the database (`store.conversations`), so a
restart mid-way loses nothing; the buttons carry only the value of their step and are checked
against that draft. Screens: `subscribe_screens`; typed answers: `subscribe_typed`.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot import actions
from bot.core import date_picker, locale_format
from bot.core.age import is_preterm
from bot.core.callback_data import (
    REMINDERS,
    AskWeeks,
    Cancel,
    ListReminders,
    PickCityZone,
    PickDay,
    PickHour,
    PickMonth,
    PickWeeks,
    PickYear,
    PickZone,
    SkipName,
    SubscribePress,
)
from bot.core.milestones import Baby
from bot.reminders.rendering import note_message
from bot.telegram import keyboards, pickers
from bot.telegram.drafts import SignUpDraft, SignUpStep
from bot.telegram.handlers import cohort
from bot.telegram.handlers.subscribe_screens import (
    PRETERM_WEEKS,
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
# Babies per chat: /reminders shows three buttons each, and Telegram allows 100 in a keyboard.
MAX_BABIES = 10


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
    await show(update, *step_screen(context, context.texts(update), missing))


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
    created = await actions.subscribe_baby(
        store,
        chat.id,
        baby,
        draft.zone,
        draft.hour,
        now,
        context.rules.milestones.values(),
        locale=t.locale,
    )
    name = html.escape(baby.name) if baby.name else t("milestones.name_fallback")
    done = t(
        "subscribe.done",
        name=name,
        hour=locale_format.hour(draft.hour, t.locale),
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
    today = pickers.latest_date(context)
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
        case SignUpStep.ZONE, PickCityZone(zone=zone):
            draft.zone = zone
        case SignUpStep.HOUR, PickHour(hour=hour):
            draft.hour = hour
        case _:
            return False
    await next_step(update, context, draft)
    return True
