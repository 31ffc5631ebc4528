"""/history (past movement checks) and /forget (delete everything stored about this chat)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update

from bot import actions
from bot.core import locale_format
from bot.core.callback_data import FORGET, ConfirmForget, ForgetChoice
from bot.telegram import keyboards
from bot.telegram.replies import show
from bot.telegram.services import BotContext

HISTORY_LIMIT = 10


async def history_command(update: Update, context: BotContext) -> None:
    """/history: the latest movement checks of this chat, newest first."""
    t = context.texts(update)
    chat = update.effective_chat
    if chat is None:
        return
    records = await context.services.store.history.recent(chat.id, HISTORY_LIMIT)
    if not records:
        await show(update, t("history.empty"), keyboards.main_menu(t))
        return
    lines = [t("history.title")]
    for record in records:
        flow = context.rules.triage.get(record.flow)
        outcome = flow.outcomes.get(record.outcome) if flow else None
        lines.append(
            t(
                "history.item",
                when=locale_format.date_and_time(record.created_at, t.locale) + " UTC",
                flow=html.escape(flow.title.get(t.locale) if flow else record.flow),
                level=t(f"triage.level_short.{record.level}"),
                title=outcome.title.get(t.locale) if outcome else "",
            )
        )
    lines.append(t("history.footer"))
    await show(update, "\n".join(lines), InlineKeyboardMarkup([keyboards.home_row(t)]))


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: ask once, with buttons, before deleting (in a group: admins only, see guard)."""
    t = context.texts(update)
    owner = update.effective_user.id if update.effective_user else 0
    keyboard = InlineKeyboardMarkup(
        [
            [
                keyboards.button(
                    t("button.forget_yes"), FORGET.encode(ConfirmForget(ForgetChoice.YES, owner))
                )
            ],
            [
                keyboards.button(
                    t("button.forget_no"), FORGET.encode(ConfirmForget(ForgetChoice.NO, owner))
                )
            ],
        ]
    )
    await show(update, t("forget.confirm"), keyboard)


async def forget_button(update: Update, context: BotContext, press: ConfirmForget) -> None:
    """Yes or no to /forget. The guard has decided who may press (the chat's user, or a group's
    admin now); the owner field is only a hint of who asked and decides nothing."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    if press.choice is ForgetChoice.YES:
        await actions.forget_chat(context.services.store, chat.id)
        await show(update, t("forget.done"), InlineKeyboardMarkup([keyboards.home_row(t)]))
    else:
        await show(update, t("forget.kept"), InlineKeyboardMarkup([keyboards.home_row(t)]))
    await query.answer()
