"""The picker screens both setup conversations share: year, month, time zone and hour.

A family's sign-up (`s1`) and a group's or channel's setup (`c1`) show the same screens with the
same buttons (`PickYear`, `PickMonth`, `PickZone`, `PickHour`, `Cancel`); only the kind that
carries the presses, the question and the years and months offered differ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import locale_format
from bot.core.age import latest_date_on_earth
from bot.core.buttons import ButtonKind
from bot.core.callback_data import Cancel, PickHour, PickMonth, PickYear, PickZone
from bot.core.date_picker import DELIVERY_HOURS
from bot.core.rules.models import ZoneChoice
from bot.telegram import keyboards
from bot.telegram.services import BotContext, Texts

HOURS = DELIVERY_HOURS
DEFAULT_HOUR = 9
PER_ROW = 3  # years and months

Screen = tuple[str, InlineKeyboardMarkup]


def latest_date(context: BotContext) -> date:
    """Today for the date pickers: the latest date on Earth (the chat's zone is not known yet)."""
    return latest_date_on_earth(context.services.clock())


def chunk(buttons: Sequence[InlineKeyboardButton], size: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def hour_rows(
    t: Texts, encode: Callable[[int], str], default: int | None = None
) -> list[list[InlineKeyboardButton]]:
    buttons = [
        keyboards.button(
            locale_format.hour(h, t.locale) + (" ✓" if h == default else ""), encode(h)
        )
        for h in HOURS
    ]
    return chunk(buttons, 5)


def zone_choices(context: BotContext, t: Texts) -> tuple[ZoneChoice, ...]:
    zones = context.rules.time_zones
    return zones.get(t.locale) or zones.get(context.rules.default_locale, ())


def zone_screen_rows(
    context: BotContext, t: Texts, encode: Callable[[int], str]
) -> list[list[InlineKeyboardButton]]:
    """One button per zone, showing the time there now: parents pick the clock that matches."""
    now = context.services.clock()
    return [
        [
            keyboards.button(
                f"{locale_format.clock(now.astimezone(ZoneInfo(c.zone)), t.locale)} · {c.label}",
                encode(index),
            )
        ]
        for index, c in enumerate(zone_choices(context, t))
    ]


def month_names(t: Texts) -> tuple[str, ...]:
    """Short month names for buttons, January first, in the chat's language (Babel)."""
    return locale_format.month_names(t.locale)


def cancel_row(t: Texts, kind: ButtonKind) -> list[InlineKeyboardButton]:
    return [keyboards.button(t("button.cancel"), kind.encode(Cancel()))]


def back_button(t: Texts, data: str) -> InlineKeyboardButton:
    return keyboards.button(t("button.back"), data)


def years_screen(t: Texts, kind: ButtonKind, question: str, years: Sequence[int]) -> Screen:
    buttons = [keyboards.button(str(y), kind.encode(PickYear(y))) for y in years]
    return question, InlineKeyboardMarkup([*chunk(buttons, PER_ROW), cancel_row(t, kind)])


def months_screen(
    t: Texts, kind: ButtonKind, question: str, year: int, months: Sequence[int]
) -> Screen:
    names = month_names(t)
    buttons = [keyboards.button(names[m - 1], kind.encode(PickMonth(year, m))) for m in months]
    back = back_button(t, kind.encode(PickYear()))
    return question, InlineKeyboardMarkup([*chunk(buttons, PER_ROW), [back], cancel_row(t, kind)])


def zone_screen(context: BotContext, t: Texts, kind: ButtonKind, question: str) -> Screen:
    rows = zone_screen_rows(context, t, lambda index: kind.encode(PickZone(index)))
    return question, InlineKeyboardMarkup([*rows, cancel_row(t, kind)])


def hour_screen(t: Texts, kind: ButtonKind) -> Screen:
    rows = hour_rows(t, lambda hour: kind.encode(PickHour(hour)), DEFAULT_HOUR)
    return t("subscribe.ask_hour"), InlineKeyboardMarkup([*rows, cancel_row(t, kind)])
