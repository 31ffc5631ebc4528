"""Shared picker keyboards: hours, time zones (with the time there now), rows of buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot.core.rules.models import ZoneChoice
from bot.telegram import keyboards
from bot.telegram.services import BotContext, Texts

HOURS = (6, 7, 8, 9, 10, 12, 14, 17, 19, 20)  # local delivery hours offered; never at night


def chunk(buttons: Sequence[InlineKeyboardButton], size: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def hour_rows(
    encode: Callable[[int], str], default: int | None = None
) -> list[list[InlineKeyboardButton]]:
    buttons = [
        keyboards.button(f"{h:02d}:00" + (" ✓" if h == default else ""), encode(h)) for h in HOURS
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
                f"{now.astimezone(ZoneInfo(choice.zone)):%H:%M} · {choice.label}", encode(index)
            )
        ]
        for index, choice in enumerate(zone_choices(context, t))
    ]
