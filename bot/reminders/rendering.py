"""A milestone note as a Telegram message: text with the babies' names, and its buttons.

One rendering for the note shown right after subscribing and the notes the dispatcher sends,
so a parent always sees the same format.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import locale_format
from bot.core.callback_data import NOTE, NoteButton
from bot.core.milestones import Milestone, join_names, render_cohort, render_note
from bot.core.rules import Rules


def names_text(rules: Rules, locale: str, names: Sequence[str | None]) -> str:
    """What `{name}` becomes: "Ann", "Ann and Ben", or "your baby" (HTML-escaped)."""
    return join_names(
        names,
        one=rules.text("milestones.name_fallback", locale),
        many=rules.text("milestones.names_fallback", locale),
        and_word=rules.text("milestones.and", locale),
    )


def note_message(
    rules: Rules, locale: str, milestone: Milestone, names: Sequence[str | None]
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = render_note(milestone, locale, names_text(rules, locale, names))
    buttons = [
        [
            InlineKeyboardButton(
                b.label.get(locale), callback_data=NOTE.encode(NoteButton(milestone.id, b.id))
            )
        ]
        for b in milestone.buttons
    ]
    return text, InlineKeyboardMarkup(buttons) if buttons else None


def cohort_label(rules: Rules, locale: str, born: date) -> str:
    """ "March 2026": the birth month a group or channel follows."""
    return locale_format.month_year(born, locale)


def cohort_message(
    rules: Rules, locale: str, milestone: Milestone, reference_birth: date
) -> tuple[str, None]:
    """A note phrased for a whole birth-month group; no buttons (they would be personal)."""
    return render_cohort(milestone, locale, cohort_label(rules, locale, reference_birth)), None


def tip_message(
    rules: Rules, locale: str, topic: str, bot_username: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A channel's weekly tip: one explainer, with a button that opens the bot at that topic."""
    body = rules.explainers[topic].body.get(locale)
    link = f"https://t.me/{bot_username}?start=explain_{topic}"
    button = InlineKeyboardButton(rules.text("button.open_bot", locale), url=link)
    return body, InlineKeyboardMarkup([[button]])
