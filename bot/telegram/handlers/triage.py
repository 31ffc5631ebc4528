"""The movement check: yes / no / not-sure buttons on one message, edited in place.

The state lives in the callback data (flow, rules fingerprint, owner, the minute the check
started, answers so far), so the buttons keep working after a restart and on any replica. The
engine in `bot.core.triage` decides everything; this module only renders its steps and records
finished checks.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode

from bot.core.age import age_in_weeks, corrected_age
from bot.core.callbacks import Callback, InvalidCallback, from_base36, to_base36
from bot.core.emergency import EmergencyChoice
from bot.core.triage.engine import InvalidAnswers, Step, option_for_age, step
from bot.core.triage.models import Flow, Question
from bot.core.triage.vocabulary import AGE_WEEKS, NO_SOCIAL_SMILE_BY_12_WEEKS, Level
from bot.metrics import TRIAGE_OUTCOMES
from bot.store.history import TriageRecord
from bot.telegram import keyboards
from bot.telegram.callback_data import TRIAGE
from bot.telegram.emergency import (
    copy_number_row,
    emergency_headline,
    emergency_number_for,
    parent_zone,
)
from bot.telegram.handlers import video
from bot.telegram.handlers.check_ins import (
    check_in_button,
    offers_check_in,
    schedule_check_in,
)
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts

SUMMARY = "s"
CHECK_IN = "k"  # "Check on us in 2 hours" on an urgent or soon outcome
DEFAULT_FLOW = "twitch"
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
SHORT_LABEL = 10  # "Yes", "No", "Not sure": one row; longer answers get a row each
# A double tap on the last answer must not log the same check twice.
DUPLICATE_WINDOW = timedelta(minutes=10)


def encode_answers(answers: tuple[int, ...]) -> str:
    return "".join(DIGITS[a] for a in answers)


def decode_answers(text: str) -> tuple[int, ...]:
    if any(c not in DIGITS for c in text):
        raise InvalidCallback("bad answer digits")
    return tuple(DIGITS.index(c) for c in text)


def data_for(
    flow: Flow, owner: int, started: int, answers: tuple[int, ...], action: str = ""
) -> str:
    """`started`: the minute (since the Unix epoch) the parent opened the check."""
    fields = [flow.id, flow.fingerprint, to_base36(owner), to_base36(started)]
    return TRIAGE.encode(*fields, encode_answers(answers), *([action] if action else []))


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def moment_of(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


# --- rendering -------------------------------------------------------------------------------


def question_screen(
    t: Texts,
    flow: Flow,
    owner: int,
    started: int,
    answers: tuple[int, ...],
    current: Step,
    known_ages: Sequence[tuple[str, int]] = (),
) -> tuple[str, InlineKeyboardMarkup]:
    """The current question; for the age question, babies from /reminders come first as a tap."""
    question = current.question
    assert question is not None
    locale = t.locale
    lines = [
        t(
            "triage.progress",
            flow=html.escape(flow.title.get(locale)),
            number=current.number,
            at_most=current.at_most,
        )
    ]
    if current.number == 1:
        lines.append(flow.intro.get(locale))
    lines.append(f"<b>{question.text.get(locale)}</b>")
    if question.items:
        lines.append("\n".join(f"• {item.get(locale)}" for item in question.items))
    if question.help is not None:
        lines.append(f"<i>{question.help.get(locale)}</i>")
    options = [
        keyboards.button(
            option.label.get(locale), data_for(flow, owner, started, (*answers, index))
        )
        for index, option in enumerate(question.options)
    ]
    # Yes / No / Not sure fit one row; answers that restate themselves in words get a row each,
    # so a tired thumb hits the one it means.
    short = all(len(option.label.get(locale)) <= SHORT_LABEL for option in question.options)
    option_rows = [options] if short else [[b] for b in options]
    if question.fact == AGE_WEEKS:
        confirm = []
        for name, weeks in known_ages:
            with contextlib.suppress(ValueError):  # an age no range covers: just ask
                index = option_for_age(question, weeks)
                label = t("button.known_age", name=name, weeks=weeks)
                data = data_for(flow, owner, started, (*answers, index))
                confirm.append([keyboards.button(label, data)])
        option_rows = confirm + option_rows
    nav = [keyboards.button(t("button.start_over"), data_for(flow, owner, started, ()))]
    if answers:
        nav.insert(
            0, keyboards.button(t("button.back"), data_for(flow, owner, started, answers[:-1]))
        )
    return "\n\n".join(lines), InlineKeyboardMarkup([*option_rows, nav])


def outcome_text(
    t: Texts,
    current: Step,
    started: datetime | None = None,
    emergency: EmergencyChoice | None = None,
) -> str:
    """The outcome. An emergency names the parent's own number where the bot knows the country,
    and the time the check started, for the call taker."""
    outcome = current.outcome
    assert outcome is not None
    locale = t.locale
    level = outcome.level.id
    headline = t(f"triage.level.{level}")
    if emergency is not None:
        headline = emergency_headline(t, emergency)
    parts = [headline]
    if outcome.level is Level.EMERGENCY and started is not None:
        parts.append(t("triage.started_at", time=started.strftime("%H:%M")))
    parts.append(f"<b>{outcome.title.get(locale)}</b>\n{outcome.text.get(locale)}")
    if outcome.do_now:
        items = "\n".join(f"• {item.get(locale)}" for item in outcome.do_now)
        parts.append(f"{t('triage.do_now')}\n{items}")
    if outcome.watch_for:
        items = "\n".join(f"• {item.get(locale)}" for item in outcome.watch_for)
        parts.append(f"{t('triage.watch_for')}\n{items}")
    parts.append(t(f"triage.disclaimer.{level}"))
    return "\n\n".join(parts)


def outcome_screen(
    t: Texts,
    flow: Flow,
    owner: int,
    started: int,
    answers: tuple[int, ...],
    current: Step,
    started_local: datetime | None = None,
    emergency: EmergencyChoice | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    assert current.outcome is not None

    def data(answers: tuple[int, ...], action: str = "") -> str:
        return data_for(flow, owner, started, answers, action)

    # A button that copies the number; "Check on us in 2 hours" on urgent and soon.
    extra = [copy_number_row(t, emergency)] if emergency is not None else []
    if offers_check_in(current.outcome.level):
        extra.append([check_in_button(t, data(answers, CHECK_IN))])
    keyboard = InlineKeyboardMarkup(
        [
            *[row for row in extra if row],
            [keyboards.button(t("button.doctor_summary"), data(answers, SUMMARY))],
            [video.send_video_button(t)],  # the movement chart (handlers/video.py)
            [
                keyboards.button(t("button.back"), data(answers[:-1])),
                keyboards.button(t("button.start_over"), data(())),
            ],
            keyboards.home_row(t),
        ]
    )
    return outcome_text(t, current, started_local, emergency), keyboard


def answer_lines(t: Texts, current: Step) -> list[str]:
    """Each question and its answer in words. A grouped question lists its signs with the
    answer to the group ("None of these" means no to each)."""
    locale = t.locale
    lines = []
    for question, option in current.answered:
        answer = html.escape(option.label.get(locale))
        lines.append(f"• {question.text.get(locale)} — <b>{answer}</b>")
        lines += [f"   ◦ {item.get(locale)}" for item in question.items]
    return lines


def summary_text(t: Texts, flow: Flow, current: Step, when: str, ages: Sequence[str]) -> str:
    outcome = current.outcome
    assert outcome is not None
    lines = [
        t("triage.summary_title"),
        t("triage.summary_when", when=when),
        t("triage.summary_flow", flow=html.escape(flow.title.get(t.locale))),
        *(t("triage.summary_age", age=age) for age in ages),
        "",
        *answer_lines(t, current),
        "",
        t(
            "triage.summary_result",
            level=t(f"triage.level_short.{outcome.level.id}"),
            title=outcome.title.get(t.locale),
        ),
        "",
        t("triage.summary_video"),
        t(f"triage.disclaimer.{outcome.level.id}"),
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


def first_question(
    update: Update, context: BotContext, flow: Flow
) -> tuple[str, InlineKeyboardMarkup]:
    owner = update.effective_user.id if update.effective_user else 0
    started = minute_of(context.services.clock())
    return question_screen(context.texts(update), flow, owner, started, (), step(flow, ()))


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
    """t1:<flow>:<fingerprint>:<owner>:<started>:<answers>[:s|:k]"""
    query = update.callback_query
    assert query is not None
    t = context.texts(update)
    flow = context.rules.triage.get(data.fields[0])
    if flow is None or flow.fingerprint != data.fields[1]:
        await alert(update, t("alert.triage_outdated"))
        return
    try:
        _, _, owner_text, started_text, answer_text, *action = data.fields
        owner = from_base36(owner_text)
        started = from_base36(started_text)
        moment_of(started)  # a forged minute far outside the calendar is refused here
        answers = decode_answers(answer_text)
        current = step(flow, answers)
    except (ValueError, OverflowError, OSError, InvalidCallback, InvalidAnswers):
        await alert(update, t("alert.invalid_button"))
        return
    if query.from_user.id != owner:
        await alert(update, t("alert.not_your_check"))
        return
    if action == [SUMMARY]:
        if current.outcome is None:
            await alert(update, t("alert.invalid_button"))
            return
        await send_summary(update, context, flow, current, started)
        await query.answer()
        return
    if action == [CHECK_IN]:  # the level comes from the answers, never from the data
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
        zone = await parent_zone(update, context)
        local = local_time(moment_of(started), zone)
        emergency = None
        if current.outcome.level is Level.EMERGENCY:
            emergency = emergency_number_for(update, context, zone)
        text, keyboard = outcome_screen(t, flow, owner, started, answers, current, local, emergency)
    else:
        ages = await known_ages(update, context, flow, current.question)
        text, keyboard = question_screen(t, flow, owner, started, answers, current, ages)
    await show(update, text, keyboard)
    await query.answer()


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


def local_time(moment: datetime, zone: ZoneInfo | None) -> datetime:
    return moment.astimezone(zone) if zone is not None else moment


def local_when(moment: datetime, zone: ZoneInfo | None) -> str:
    """A date and time as the parent reads their clock (UTC named when the zone is unknown)."""
    shown = local_time(moment, zone)
    return shown.strftime("%Y-%m-%d %H:%M") + (f" ({zone.key})" if zone is not None else " UTC")


async def send_summary(
    update: Update, context: BotContext, flow: Flow, current: Step, started: int
) -> None:
    """A separate, forwardable message for the doctor."""
    t = context.texts(update)
    when = local_when(moment_of(started), await parent_zone(update, context))
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
