"""Movement check (triage) entry points; the flow itself lands with the triage engine."""

from __future__ import annotations

from telegram import Update

from bot.telegram import keyboards
from bot.telegram.replies import show
from bot.telegram.services import BotContext


async def show_flow_choice(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    await show(
        update, t("triage.not_ready"), keyboards.InlineKeyboardMarkup([keyboards.home_row(t)])
    )


async def start_from_link(update: Update, context: BotContext, flow_hint: str) -> None:
    await show_flow_choice(update, context)


async def triage_command(update: Update, context: BotContext) -> None:
    """/triage: choose what was seen."""
    await show_flow_choice(update, context)
