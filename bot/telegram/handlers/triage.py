"""The movement check: yes / no / not-sure buttons on one message, edited in place.

The state lives in the callback data (flow, rules fingerprint, owner, the minute the check
started, answers so far), so the buttons keep working after a restart and on any replica. The
engine in `bot.core.triage` decides everything; this module answers the presses (`TriageStep`)
and records finished checks, and `triage_screens` renders the steps.
"""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode

from bot import actions
from bot.core.age import age_in_weeks, corrected_age
from bot.core.buttons import DIGIT_STRING
from bot.core.callback_data import TriageAction, TriageStep, UnreadableTriage
from bot.core.triage.engine import InvalidAnswers, Step, step
from bot.core.triage.models import Flow, Question
from bot.core.triage.vocabulary import AGE_WEEKS, NO_SOCIAL_SMILE_BY_12_WEEKS, Level
from bot.metrics import TRIAGE_OUTCOMES
from bot.store.history import TriageRecord
from bot.telegram import keyboards
from bot.telegram.emergency import emergency_number_for, parent_zone
from bot.telegram.handlers import video
from bot.telegram.handlers.check_ins import schedule_check_in
from bot.telegram.handlers.triage_screens import (
    CheckRef,
    Screen,
    data_for,
    local_time,
    local_when,
    minute_of,
    moment_of,
    outcome_screen,
    question_screen,
    summary_text,
)
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext

DEFAULT_FLOW = "twitch"
# A double tap on the last answer must not log the same check twice.
DUPLICATE_WINDOW = timedelta(minutes=10)


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


# --- rendering -------------------------------------------------------------------------------


# --- entry points ------------------------------------------------------------------------------


async def show_private_link(update: Update, context: BotContext, payload: str = "triage") -> None:
    """In a group: never ask health questions there; offer a private chat instead."""
    t = context.texts(update)
    link = InlineKeyboardButton(
        t("button.continue_privately"), url=f"https://t.me/{context.bot.username}?start={payload}"
    )
    await show(update, t("triage.group_private"), InlineKeyboardMarkup([[link]]))


async def show_flow_choice(update: Update, context: BotContext) -> None:
    if not is_private(update):
        await show_private_link(update, context)
        return
    t = context.texts(update)
    owner = update.effective_user.id if update.effective_user else 0
    started = minute_of(context.services.clock())
    # The twitch check is the one most parents come for, so it comes first.
    flows = sorted(context.rules.triage.values(), key=lambda flow: flow.id != DEFAULT_FLOW)
    buttons = [
        keyboards.button(f.title.get(t.locale), data_for(f, owner, started, ())) for f in flows
    ]
    await show(
        update,
        t("triage.choose_flow"),
        InlineKeyboardMarkup([*keyboards.rows(*buttons), keyboards.home_row(t)]),
    )


def first_question(update: Update, context: BotContext, flow: Flow) -> Screen:
    owner = update.effective_user.id if update.effective_user else 0
    check = CheckRef(flow, owner, minute_of(context.services.clock()))
    return question_screen(context.texts(update), check, (), step(flow, ()))


async def show_flow(update: Update, context: BotContext, flow: Flow) -> None:
    await show(update, *first_question(update, context, flow))


async def send_flow(update: Update, context: BotContext, flow: Flow) -> None:
    """Start a check in a new message (e.g. from a reminder note, which should stay as it is)."""
    if not is_private(update):
        await show_private_link(update, context, f"triage_{flow.id}")
        return
    await send(update, *first_question(update, context, flow))


async def start_from_link(update: Update, context: BotContext, flow_hint: str) -> None:
    """`/start triage` opens the twitch check, `/start triage_smile` the smile check."""
    flow = context.rules.triage.get(flow_hint or DEFAULT_FLOW)
    if not is_private(update):
        await show_private_link(update, context, "triage" + (f"_{flow_hint}" if flow_hint else ""))
    elif flow is None:
        await show_flow_choice(update, context)
    else:
        await show_flow(update, context, flow)


async def triage_command(update: Update, context: BotContext) -> None:
    """/triage [twitch|smile]: choose what was seen, or open that check directly."""
    hint = context.args[0].lower() if context.args else ""
    if hint in context.rules.triage:
        await start_from_link(update, context, hint)
    else:
        await show_flow_choice(update, context)


async def triage_button(
    update: Update, context: BotContext, press: TriageStep | UnreadableTriage
) -> None:
    """One answer, back, start over, the doctor's summary or "check on us in 2 hours"."""
    query = update.callback_query
    assert query is not None
    t = context.texts(update)
    flow = context.rules.triage.get(press.flow_id)
    if flow is None or flow.fingerprint != press.fingerprint:
        await alert(update, t("alert.triage_outdated"))
        return
    if isinstance(press, UnreadableTriage):  # made for these rules, yet unreadable: forged
        await alert(update, t("alert.invalid_button"))
        return
    try:
        current = step(flow, press.answers)
    except InvalidAnswers:
        await alert(update, t("alert.invalid_button"))
        return
    if query.from_user.id != press.owner:
        await alert(update, t("alert.not_your_check"))
        return
    if press.action is not None and current.outcome is None:
        await alert(update, t("alert.invalid_button"))
        return
    check = CheckRef(flow, press.owner, press.started)
    if press.action is TriageAction.SUMMARY:
        await send_summary(update, context, flow, current, press.started)
        await query.answer()
    elif press.action is TriageAction.CHECK_IN:
        # The level comes from the answers, never from the data.
        assert current.outcome is not None
        await schedule_check_in(update, context, flow.id, current.outcome.level)
    else:
        await show(update, *await step_screen(update, context, check, press.answers, current))
        await query.answer()


async def step_screen(
    update: Update, context: BotContext, check: CheckRef, answers: tuple[int, ...], current: Step
) -> Screen:
    """The next question, or the outcome (recorded once, in the parent's own time and number)."""
    t = context.texts(update)
    if current.outcome is None:
        ages = await known_ages(update, context, check.flow, current.question)
        return question_screen(t, check, answers, current, ages)
    await record(update, context, check.flow, answers, current)
    zone = await parent_zone(update, context)
    local = local_time(moment_of(check.started), zone)
    emergency = None
    if current.outcome.level is Level.EMERGENCY:
        emergency = emergency_number_for(update, context, zone)
    return outcome_screen(t, check, answers, current, local, emergency)


def uses_corrected_age(flow: Flow, question: Question) -> bool:
    """The age that leads to the 12-week social-smile question is the corrected age (clinical
    notes 2.4); the fever and spasm windows are in age since birth."""
    return any(
        option.next is not None and flow.questions[option.next].fact == NO_SOCIAL_SMILE_BY_12_WEEKS
        for option in question.options
    )


async def known_ages(
    update: Update, context: BotContext, flow: Flow, question: Question | None
) -> list[tuple[str, int]]:
    """(name, age in weeks) of the babies this chat follows in /reminders, for an age question."""
    chat = update.effective_chat
    if chat is None or question is None or question.fact != AGE_WEEKS:
        return []
    t = context.texts(update)
    today = context.services.clock().date()
    corrected = uses_corrected_age(flow, question)
    ages = []
    for sub in await context.services.store.subscriptions.list_for_chat(chat.id):
        weeks = age_in_weeks(sub.birth, today)
        if corrected:
            adjusted = corrected_age(sub.birth, sub.gestational_weeks, today)
            weeks = max(0, adjusted.weeks) if adjusted is not None else weeks
        ages.append((sub.baby_name or t("milestones.name_fallback"), weeks))
    return ages[:3]


async def baby_ages(update: Update, context: BotContext) -> list[str]:
    """The subscribed babies' ages for the doctor: weeks since birth, and corrected where the
    baby was born early."""
    chat = update.effective_chat
    if chat is None:
        return []
    t = context.texts(update)
    today = context.services.clock().date()
    out = []
    for sub in await context.services.store.subscriptions.list_for_chat(chat.id):
        name = html.escape(sub.baby_name or t("milestones.name_fallback"))
        weeks = age_in_weeks(sub.birth, today)
        adjusted = corrected_age(sub.birth, sub.gestational_weeks, today)
        if adjusted is not None and adjusted.weeks != weeks:
            out.append(
                t("triage.age_corrected", name=name, weeks=weeks, corrected=max(0, adjusted.weeks))
            )
        else:
            out.append(t("triage.age_weeks", name=name, weeks=weeks))
    return out[:3]


async def send_summary(
    update: Update, context: BotContext, flow: Flow, current: Step, started: int
) -> None:
    """A separate, forwardable message for the doctor."""
    t = context.texts(update)
    when = local_when(moment_of(started), await parent_zone(update, context), t.locale)
    ages = await baby_ages(update, context)
    chat = update.effective_chat
    if chat is not None:
        text = summary_text(t, flow, current, when, ages) + await video.doctor_lines(
            update, context
        )
        await chat.send_message(text, parse_mode=ParseMode.HTML)


async def record(
    update: Update, context: BotContext, flow: Flow, answers: tuple[int, ...], current: Step
) -> None:
    chat = update.effective_chat
    assert chat is not None and current.outcome is not None
    now = context.services.clock()
    result = TriageRecord(
        chat_id=chat.id,
        flow=flow.id,
        answers=DIGIT_STRING.encode(answers),
        outcome=current.outcome.id,
        level=current.outcome.level.id,
        created_at=now,
    )
    if await actions.record_triage(context.services.store, result, DUPLICATE_WINDOW):
        TRIAGE_OUTCOMES.labels(level=current.outcome.level.id).inc()
