"""The check-in the dispatcher sends 2 hours after an urgent or soon outcome, with its buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callback_data import CHECK_IN
from bot.core.callbacks import to_base36
from bot.core.rules import Rules

CHECK_IN_HOURS = 2  # how long after the outcome; the texts say it through {hours}
# The answers a parent can give, as they appear in the callback data.
FINE, DOCTOR, WORSE = "f", "d", "w"
ANSWERS = {FINE: "fine", DOCTOR: "doctor", WORSE: "worse"}


def answer_data(answer: str, check_in_id: int) -> str:
    """k1:<f|d|w>:<check-in id in base36>"""
    return CHECK_IN.encode(answer, to_base36(check_in_id))


def check_in_message(
    rules: Rules, locale: str, check_in_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    def button(label: str, answer: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(label, callback_data=answer_data(answer, check_in_id))]

    text = rules.text("checkin.question", locale, hours=CHECK_IN_HOURS)
    keyboard = InlineKeyboardMarkup(
        [
            button(rules.text("button.checkin_fine", locale), FINE),
            button(rules.text("button.checkin_doctor", locale), DOCTOR),
            button(rules.text("button.checkin_worse", locale), WORSE),
        ]
    )
    return text, keyboard
