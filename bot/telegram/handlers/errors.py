"""Last-resort error handling: log it (token redacted by the formatter), tell the user."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.telegram.services import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("chat blocked or left the bot: %s", error)
        return
    # BadRequest subclasses NetworkError in PTB, but it means our request was wrong: a bug.
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        log.warning("network problem talking to Telegram: %s", error)
    else:
        log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    # An error gets a new context: read the chat's language again, unless the database is what
    # failed (then the person's Telegram language will do).
    with contextlib.suppress(Exception):
        await context.read_chat_language(update)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(
                context.texts(update)("alert.error"), show_alert=True
            )
        else:
            await update.effective_chat.send_message(context.texts(update)("fallback.error"))
    except TelegramError:
        log.warning("could not tell the user about the error")
