"""The movement check: yes / no / not-sure buttons on one message, edited in place.

The state lives in the callback data (flow, rules fingerprint, owner, answers so far), so the
buttons keep working after a restart and on any replica. The engine in `bot.core.triage` decides
everything; this module only renders its steps and records finished checks.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode

from bot.core.age import age_in_weeks, corrected_age
from bot.core.callbacks import Callback, InvalidCallback, from_base36, to_base36
from bot.core.emergency import EmergencyChoice  # [issue10 emergency number]
from bot.core.triage.engine import InvalidAnswers, Step, option_for_age, step
from bot.core.triage.models import Flow
from bot.core.triage.vocabulary import AGE_WEEKS, NO_SOCIAL_SMILE_BY_12_WEEKS, Level
from bot.metrics import TRIAGE_OUTCOMES
from bot.store.history import TriageRecord
from bot.telegram import keyboards
from bot.telegram.callback_data import TRIAGE
from bot.telegram.emergency import (  # [issue10 emergency number]
    copy_number_row,
    emergency_headline,
    emergency_number_for,
)
from bot.telegram.handlers.check_ins import (  # [issue10 check-in]
    check_in_button,
    offers_check_in,
    schedule_check_in,
)
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts

SUMMARY = "s"
CHECK_IN = "k"  # [issue10 check-in] action: "Check on us in 2 hours" on an urgent/soon outcome
DEFAULT_FLOW = "twitch"
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# A double tap on the last answer must not log the same check twice.
DUPLICATE_WINDOW = timedelta(minutes=10)


def encode_answers(answers: tuple[int, ...]) -> str:
    return "".join(DIGITS[a] for a in answers)


def decode_answers(text: str) -> tuple[int, ...]:
    if any(c not in DIGITS for c in text):
        raise InvalidCallback("bad answer digits")
    return tuple(DIGITS.index(c) for c in text)


def data_for(flow: Flow, owner: int, answers: tuple[int, ...], action: str = "") -> str:
    fields = [flow.id, flow.fingerprint, to_base36(owner), encode_answers(answers)]
    return TRIAGE.encode(*fields, *([action] if action else []))


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


# --- rendering -------------------------------------------------------------------------------


def question_screen(
    t: Texts,
    flow: Flow,
    owner: int,
    answers: tuple[int, ...],
    current: Step,
    known_ages: Sequence[tuple[str, int]] = (),
) -> tuple[str, InlineKeyboardMarkup]:
    """The current question; for the age question, babies from /reminders come first as a tap."""
    question = current.question
    assert question is not None
    lines = [
        t(
            "triage.progress",
            flow=html.escape(flow.title.get(t.locale)),
            number=current.number,
            at_most=current.at_most,
        )
    ]
    if current.number == 1:
        lines.append(flow.intro.get(t.locale))
    lines.append(f"<b>{question.text.get(t.locale)}</b>")
    if question.help is not None:
        lines.append(f"<i>{question.help.get(t.locale)}</i>")
    options = [
        keyboards.button(option.label.get(t.locale), data_for(flow, owner, (*answers, index)))
        for index, option in enumerate(question.options)
    ]
    # Yes / No / Not sure fit one row; longer labels (age ranges) get a row each.
    option_rows = [options] if question.fact != AGE_WEEKS else [[b] for b in options]
    if question.fact == AGE_WEEKS:
        confirm = []
        for name, weeks in known_ages:
            with contextlib.suppress(ValueError):  # an age no range covers: just ask
                index = option_for_age(question, weeks)
                label = t("button.known_age", name=name, weeks=weeks)
                confirm.append([keyboards.button(label, data_for(flow, owner, (*answers, index)))])
        option_rows = confirm + option_rows
    back = data_for(flow, owner, answers[:-1]) if answers else None
    nav = [keyboards.button(t("button.start_over"), data_for(flow, owner, ()))]
    if back is not None:
        nav.insert(0, keyboards.button(t("button.back"), back))
    return "\n\n".join(lines), InlineKeyboardMarkup([*option_rows, nav])


def outcome_text(t: Texts, current: Step, emergency: EmergencyChoice | None = None) -> str:
    outcome = current.outcome
    assert outcome is not None
    locale = t.locale
    # [issue10 emergency number] the parent's own number instead of "like 112, 911 or 999"
    headline = t(f"triage.level.{outcome.level.id}")
    if emergency is not None:
        headline = emergency_headline(t, emergency)
    parts = [
        headline,
        f"<b>{outcome.title.get(locale)}</b>\n{outcome.text.get(locale)}",
    ]
    if outcome.do_now:
        items = "\n".join(f"• {item.get(locale)}" for item in outcome.do_now)
        parts.append(f"{t('triage.do_now')}\n{items}")
    if outcome.watch_for:
        items = "\n".join(f"• {item.get(locale)}" for item in outcome.watch_for)
        parts.append(f"{t('triage.watch_for')}\n{items}")
    parts.append(t("triage.disclaimer"))
    return "\n\n".join(parts)


def outcome_screen(
    t: Texts,
    flow: Flow,
    owner: int,
    answers: tuple[int, ...],
    current: Step,
    emergency: EmergencyChoice | None = None,  # [issue10 emergency number]
) -> tuple[str, InlineKeyboardMarkup]:
    assert current.outcome is not None
    # [issue10] a button that copies the number; "Check on us in 2 hours" on urgent and soon
    extra = [copy_number_row(t, emergency)] if emergency is not None else []
    if offers_check_in(current.outcome.level):
        extra.append([check_in_button(t, data_for(flow, owner, answers, CHECK_IN))])
    keyboard = InlineKeyboardMarkup(
        [
            *[row for row in extra if row],  # [issue10]
            [keyboards.button(t("button.doctor_summary"), data_for(flow, owner, answers, SUMMARY))],
            [
                keyboards.button(t("button.back"), data_for(flow, owner, answers[:-1])),
                keyboards.button(t("button.start_over"), data_for(flow, owner, ())),
            ],
            keyboards.home_row(t),
        ]
    )
    return outcome_text(t, current, emergency), keyboard


def summary_text(t: Texts, flow: Flow, current: Step, when: str) -> str:
    outcome = current.outcome
    assert outcome is not None
    lines = [
        t("triage.summary_title"),
        t("triage.summary_when", when=when),
        t("triage.summary_flow", flow=html.escape(flow.title.get(t.locale))),
        "",
    ]
    for question, option in current.answered:
        answer = html.escape(option.label.get(t.locale))
        lines.append(f"• {question.text.get(t.locale)} — <b>{answer}</b>")
    lines += [
        "",
        t(
            "triage.summary_result",
            level=t(f"triage.level_short.{outcome.level.id}"),
            title=outcome.title.get(t.locale),
        ),
        "",
        t("triage.summary_video"),
        t("triage.disclaimer"),
    ]
    return "\n".join(lines)


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
    # The twitch check is the one most parents come for, so it comes first.
    flows = sorted(context.rules.triage.values(), key=lambda flow: flow.id != DEFAULT_FLOW)
    buttons = [keyboards.button(f.title.get(t.locale), data_for(f, owner, ())) for f in flows]
    await show(
        update,
        t("triage.choose_flow"),
        InlineKeyboardMarkup([*keyboards.rows(*buttons), keyboards.home_row(t)]),
    )


def first_question(
    update: Update, context: BotContext, flow: Flow
) -> tuple[str, InlineKeyboardMarkup]:
    owner = update.effective_user.id if update.effective_user else 0
    return question_screen(context.texts(update), flow, owner, (), step(flow, ()))


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


async def triage_button(update: Update, context: BotContext, data: Callback) -> None:
    """t1:<flow>:<fingerprint>:<owner>:<answers>[:s]"""
    query = update.callback_query
    assert query is not None
    t = context.texts(update)
    flow_id, fingerprint, owner_text, answer_text, *action = data.fields
    flow = context.rules.triage.get(flow_id)
    if flow is None or flow.fingerprint != fingerprint:
        await alert(update, t("alert.triage_outdated"))
        return
    try:
        owner = from_base36(owner_text)
        answers = decode_answers(answer_text)
        current = step(flow, answers)
    except (InvalidCallback, InvalidAnswers):
        await alert(update, t("alert.invalid_button"))
        return
    if query.from_user.id != owner:
        await alert(update, t("alert.not_your_check"))
        return
    if action == [SUMMARY]:
        if current.outcome is None:
            await alert(update, t("alert.invalid_button"))
            return
        await send_summary(update, context, flow, current)
        await query.answer()
        return
    if action == [CHECK_IN]:  # [issue10 check-in] the level comes from the answers, not the data
        if current.outcome is None:
            await alert(update, t("alert.invalid_button"))
            return
        await schedule_check_in(update, context, flow.id, current.outcome.level)
        return
    if action:
        await alert(update, t("alert.invalid_button"))
        return
    if current.outcome is not None:
        await record(update, context, flow, answers, current)
        emergency = None  # [issue10 emergency number]
        if current.outcome.level is Level.EMERGENCY:
            emergency = await emergency_number_for(update, context)
        text, keyboard = outcome_screen(t, flow, owner, answers, current, emergency)
    else:
        ages = await known_ages(update, context, flow) if current.question else []
        text, keyboard = question_screen(t, flow, owner, answers, current, ages)
    await show(update, text, keyboard)
    await query.answer()


async def known_ages(update: Update, context: BotContext, flow: Flow) -> list[tuple[str, int]]:
    """(name, age in weeks) of the babies this chat follows in /reminders.

    A flow that asks about the 12-week social smile uses corrected age, as the clinical notes
    ask for that question; the other windows (fever, spasms) are in age since birth.
    """
    chat = update.effective_chat
    if chat is None:
        return []
    t = context.texts(update)
    today = context.services.clock().date()
    corrected = any(q.fact == NO_SOCIAL_SMILE_BY_12_WEEKS for q in flow.questions.values())
    ages = []
    for sub in await context.services.store.subscriptions.list_for_chat(chat.id):
        weeks = age_in_weeks(sub.birth, today)
        if corrected:
            adjusted = corrected_age(sub.birth, sub.gestational_weeks, today)
            weeks = max(0, adjusted.weeks) if adjusted is not None else weeks
        ages.append((sub.baby_name or t("milestones.name_fallback"), weeks))
    return ages[:3]


async def send_summary(update: Update, context: BotContext, flow: Flow, current: Step) -> None:
    """A separate, forwardable message for the doctor."""
    t = context.texts(update)
    when = context.services.clock().strftime("%Y-%m-%d %H:%M UTC")
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(summary_text(t, flow, current, when), parse_mode=ParseMode.HTML)


async def record(
    update: Update, context: BotContext, flow: Flow, answers: tuple[int, ...], current: Step
) -> None:
    chat = update.effective_chat
    assert chat is not None and current.outcome is not None
    now = context.services.clock()
    history = context.services.store.history
    encoded = encode_answers(answers)
    latest = await history.recent(chat.id, limit=1)
    if (
        latest
        and (latest[0].flow, latest[0].answers) == (flow.id, encoded)
        and now - latest[0].created_at < DUPLICATE_WINDOW
    ):
        return
    await history.add(
        TriageRecord(
            chat_id=chat.id,
            flow=flow.id,
            answers=encoded,
            outcome=current.outcome.id,
            level=current.outcome.level.id,
            created_at=now,
        )
    )
    TRIAGE_OUTCOMES.inc(level=current.outcome.level.id)
