"""The screens of a family's sign-up (`/subscribe` in a private chat), one per step.

Year, month, zone and hour are the shared pickers (`bot.telegram.pickers`); the day, "born
early?", weeks and name screens are the sign-up's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardMarkup

from bot.core import date_picker, locale_format
from bot.core.callback_data import (
    SUBSCRIBE,
    AskWeeks,
    PickCityZone,
    PickDay,
    PickWeeks,
    PickYear,
    SkipName,
)
from bot.core.city_search import Place
from bot.telegram import keyboards, pickers
from bot.telegram.drafts import SignUpStep
from bot.telegram.pickers import Screen, cancel_row, chunk
from bot.telegram.services import BotContext, Texts

PRETERM_WEEKS = tuple(range(24, 37))
DAYS_PER_ROW, WEEKS_PER_ROW = 7, 5


def years_screen(t: Texts, today: date) -> Screen:
    years = date_picker.years(today)
    return pickers.years_screen(t, SUBSCRIBE, t("subscribe.ask_birth_date"), years)


def months_screen(t: Texts, year: int, today: date) -> Screen:
    months = date_picker.months(year, today)
    return pickers.months_screen(t, SUBSCRIBE, t("subscribe.ask_month", year=year), year, months)


def days_screen(t: Texts, year: int, month: int, today: date) -> Screen:
    buttons = [
        keyboards.button(str(d), SUBSCRIBE.encode(PickDay(date(year, month, d))))
        for d in date_picker.days(year, month, today)
    ]
    back = pickers.back_button(t, SUBSCRIBE.encode(PickYear(year)))
    month_name = locale_format.month_names(t.locale, "wide")[month - 1]
    return (
        t("subscribe.ask_day", month=month_name, year=year),
        InlineKeyboardMarkup([*chunk(buttons, DAYS_PER_ROW), [back], cancel_row(t, SUBSCRIBE)]),
    )


def early_screen(t: Texts) -> Screen:
    return t("subscribe.ask_early"), InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.on_time"), SUBSCRIBE.encode(PickWeeks(0)))],
            [keyboards.button(t("button.born_early"), SUBSCRIBE.encode(AskWeeks()))],
            cancel_row(t, SUBSCRIBE),
        ]
    )


def weeks_screen(t: Texts) -> Screen:
    buttons = [keyboards.button(str(w), SUBSCRIBE.encode(PickWeeks(w))) for w in PRETERM_WEEKS]
    return t("subscribe.ask_weeks"), InlineKeyboardMarkup(
        [*chunk(buttons, WEEKS_PER_ROW), cancel_row(t, SUBSCRIBE)]
    )


def name_screen(t: Texts) -> Screen:
    return t("subscribe.ask_name"), InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.skip"), SUBSCRIBE.encode(SkipName()))],
            cancel_row(t, SUBSCRIBE),
        ]
    )


def step_screen(context: BotContext, t: Texts, step: SignUpStep) -> Screen:
    """The screen that asks for `step`."""
    if step is SignUpStep.DATE:
        return years_screen(t, pickers.latest_date(context))
    if step is SignUpStep.EARLY:
        return early_screen(t)
    if step is SignUpStep.NAME:
        return name_screen(t)
    if step is SignUpStep.ZONE:
        return pickers.zone_screen(context, t, SUBSCRIBE, t("subscribe.ask_zone"))
    return pickers.hour_screen(t, SUBSCRIBE)


def ambiguous_choices(t: Texts, readings: list[date]) -> InlineKeyboardMarkup:
    """03/04/2026: one button per reading, so the parent says which they meant."""
    return InlineKeyboardMarkup(
        [
            [
                keyboards.button(
                    locale_format.day_month_year(d, t.locale), SUBSCRIBE.encode(PickDay(d))
                )
            ]
            for d in readings
        ]
        + [cancel_row(t, SUBSCRIBE)]
    )


def city_choices(t: Texts, places: Sequence[Place]) -> InlineKeyboardMarkup:
    """ "Portland": one button per place it may mean (city, country · zone)."""
    rows = [
        [keyboards.button(place.label(t.locale), SUBSCRIBE.encode(PickCityZone(place.zone)))]
        for place in places
    ]
    return InlineKeyboardMarkup([*rows, cancel_row(t, SUBSCRIBE)])
