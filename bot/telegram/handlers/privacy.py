"""/history (past movement checks) and /forget (delete everything stored about this chat)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.core.callback_data import FORGET
from bot.core.callbacks import Callback, to_base36
from bot.telegram import keyboards
from bot.telegram.replies import alert, show
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
                when=record.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                flow=flow.title.get(t.locale) if flow else record.flow,
                level=t(f"triage.level_short.{record.level}"),
                title=outcome.title.get(t.locale) if outcome else "",
            )
        )
    lines.append(t("history.footer"))
    await show(update, "\n".join(lines), InlineKeyboardMarkup([keyboards.home_row(t)]))


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: ask once, with buttons, before deleting (in a group: admins only, see guard)."""
    t = context.texts(update)
    owner = to_base36(update.effective_user.id if update.effective_user else 0)
    keyboard = InlineKeyboardMarkup(
        [
            [keyboards.button(t("button.forget_yes"), FORGET.encode("yes", owner))],
            [keyboards.button(t("button.forget_no"), FORGET.encode("no", owner))],
        ]
    )
    await show(update, t("forget.confirm"), keyboard)


async def forget_button(update: Update, context: BotContext, data: Callback) -> None:
    """f1:<yes|no>:<owner>. The guard has decided who may press (the chat's user, or a group's
    admin now); the owner field is only a hint of who asked and decides nothing."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    choice = data.fields[0]
    if choice not in ("yes", "no"):
        await alert(update, t("alert.invalid_button"))
        return
    if choice == "yes":
        await context.services.store.forget_chat(chat.id)
        await show(update, t("forget.done"), InlineKeyboardMarkup([keyboards.home_row(t)]))
    else:
        await show(update, t("forget.kept"), InlineKeyboardMarkup([keyboards.home_row(t)]))
    await query.answer()
