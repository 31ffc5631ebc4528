"""The check-in the dispatcher sends 2 hours after an urgent or soon outcome, with its buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callback_data import CHECK_IN, AnswerCheckIn, CheckInReply
from bot.core.rules import Rules

CHECK_IN_HOURS = 2  # how long after the outcome; the texts say it through {hours}


def answer_data(reply: CheckInReply, check_in_id: int) -> str:
    return CHECK_IN.encode(AnswerCheckIn(reply, check_in_id))


def check_in_message(
    rules: Rules, locale: str, check_in_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    def button(label: str, reply: CheckInReply) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(label, callback_data=answer_data(reply, check_in_id))]

    text = rules.text("checkin.question", locale, hours=CHECK_IN_HOURS)
    keyboard = InlineKeyboardMarkup(
        [
            button(rules.text("button.checkin_fine", locale), CheckInReply.FINE),
            button(rules.text("button.checkin_doctor", locale), CheckInReply.DOCTOR),
            button(rules.text("button.checkin_worse", locale), CheckInReply.WORSE),
        ]
    )
    return text, keyboard
