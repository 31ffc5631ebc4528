"""What a movement check shows: the question, the outcome, and the summary for the doctor.

Every button carries the whole check (`TriageStep`: flow, fingerprint, owner, start minute and
answers), so the screens only need to know which check they belong to (`CheckRef`).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import locale_format
from bot.core.callback_data import TRIAGE, TriageAction, TriageStep
from bot.core.emergency import EmergencyChoice
from bot.core.triage.engine import Step, option_for_age
from bot.core.triage.models import Flow, Question
from bot.core.triage.vocabulary import AGE_WEEKS, Level
from bot.telegram import keyboards
from bot.telegram.emergency import copy_number_row, emergency_headline
from bot.telegram.handlers import video
from bot.telegram.handlers.check_ins import check_in_button, offers_check_in
from bot.telegram.services import Texts

SHORT_LABEL = 10  # "Yes", "No", "Not sure": one row; longer answers get a row each

Screen = tuple[str, InlineKeyboardMarkup]


@dataclass(frozen=True)
class CheckRef:
    """One movement check: its flow, the parent who started it, and the minute it started."""

    flow: Flow
    owner: int
    started: int  # minutes since the Unix epoch

    def data(self, answers: tuple[int, ...], action: TriageAction | None = None) -> str:
        return data_for(self.flow, self.owner, self.started, answers, action)


def data_for(
    flow: Flow,
    owner: int,
    started: int,
    answers: tuple[int, ...],
    action: TriageAction | None = None,
) -> str:
    """`started`: the minute (since the Unix epoch) the parent opened the check."""
    step = TriageStep(flow.id, flow.fingerprint, owner, started, answers, action)
    return TRIAGE.encode(step)


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def moment_of(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


def question_text(t: Texts, flow: Flow, current: Step) -> str:
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
    return "\n\n".join(lines)


def known_age_rows(
    t: Texts,
    check: CheckRef,
    answers: tuple[int, ...],
    question: Question,
    known_ages: Sequence[tuple[str, int]],
) -> list[list[InlineKeyboardButton]]:
    """One tap per baby from /reminders whose age answers the age question."""
    rows = []
    for name, weeks in known_ages:
        with contextlib.suppress(ValueError):  # an age no range covers: just ask
            index = option_for_age(question, weeks)
            label = t("button.known_age", name=name, weeks=weeks)
            rows.append([keyboards.button(label, check.data((*answers, index)))])
    return rows


def question_screen(
    t: Texts,
    check: CheckRef,
    answers: tuple[int, ...],
    current: Step,
    known_ages: Sequence[tuple[str, int]] = (),
) -> Screen:
    """The current question; for the age question, babies from /reminders come first as a tap."""
    question = current.question
    assert question is not None
    locale = t.locale
    options = [
        keyboards.button(option.label.get(locale), check.data((*answers, index)))
        for index, option in enumerate(question.options)
    ]
    # Yes / No / Not sure fit one row; answers that restate themselves in words get a row each,
    # so a tired thumb hits the one it means.
    short = all(len(option.label.get(locale)) <= SHORT_LABEL for option in question.options)
    option_rows = [options] if short else [[b] for b in options]
    if question.fact == AGE_WEEKS:
        option_rows = known_age_rows(t, check, answers, question, known_ages) + option_rows
    nav = [keyboards.button(t("button.start_over"), check.data(()))]
    if answers:
        nav.insert(0, keyboards.button(t("button.back"), check.data(answers[:-1])))
    keyboard = InlineKeyboardMarkup([*option_rows, nav])
    return question_text(t, check.flow, current), keyboard


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
        parts.append(t("triage.started_at", time=locale_format.clock(started, locale)))
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
    check: CheckRef,
    answers: tuple[int, ...],
    current: Step,
    started_local: datetime | None = None,
    emergency: EmergencyChoice | None = None,
) -> Screen:
    assert current.outcome is not None
    data = check.data

    # A button that copies the number; "Check on us in 2 hours" on urgent and soon.
    extra = [copy_number_row(t, emergency)] if emergency is not None else []
    if offers_check_in(current.outcome.level):
        extra.append([check_in_button(t, data(answers, TriageAction.CHECK_IN))])
    keyboard = InlineKeyboardMarkup(
        [
            *[row for row in extra if row],
            [keyboards.button(t("button.doctor_summary"), data(answers, TriageAction.SUMMARY))],
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


def local_time(moment: datetime, zone: ZoneInfo | None) -> datetime:
    return moment.astimezone(zone) if zone is not None else moment


def local_when(moment: datetime, zone: ZoneInfo | None, locale: str) -> str:
    """A date and time as the parent reads their clock (UTC named when the zone is unknown)."""
    shown = locale_format.date_and_time(local_time(moment, zone), locale)
    return shown + (f" ({zone.key})" if zone is not None else " UTC")
