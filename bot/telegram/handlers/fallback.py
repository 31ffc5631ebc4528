"""Unknown commands and free text get a friendly pointer to the menu, never silence."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram import keyboards
from bot.telegram.replies import show
from bot.telegram.services import BotContext


def addressed_to_other_bot(update: Update, bot_username: str) -> bool:
    """`/cmd@otherbot` is not ours; in groups a bare `/cmd` may be meant for any bot."""
    message = update.effective_message
    if message is None or not message.text:
        return True
    command = message.text.split()[0]
    _, _, target = command.partition("@")
    if target:
        return target.lower() != bot_username.lower()
    return message.chat.type != ChatType.PRIVATE


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command we don't know: say so kindly and show the menu."""
    if addressed_to_other_bot(update, context.bot.username):
        return
    t = context.texts(update)
    await show(update, t("fallback.unknown_command"), keyboards.main_menu(t))


async def free_text(update: Update, context: BotContext) -> None:
    """Text that is not a command (private chats only): point to the menu, echo nothing."""
    t = context.texts(update)
    await show(update, t("fallback.free_text"), keyboards.main_menu(t))
