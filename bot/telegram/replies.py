"""Answer in place: edit the message a button sits on, or send a new one for a command."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

# Source links in our texts would otherwise unfold into large previews.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def show(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed message in place; for commands (or too-old messages) send a new one."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.edit_message_text(
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as exc:
            # A double tap re-sends the same screen; Telegram calls that an error, we don't.
            if "not modified" not in exc.message.lower():
                raise
        return
    await send(update, text, keyboard)


async def send(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """A new message in the update's chat (e.g. a section opened from a reminder note), in the
    forum topic the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_message(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        link_preview_options=NO_PREVIEW,
        message_thread_id=topic_of(update),
    )


def topic_of(update: Update) -> int | None:
    """The forum topic the update happened in; None in General or a chat without topics.

    Only a topic message counts: in a supergroup without topics a reply chain has a
    message_thread_id too, and Telegram refuses a send into it as "message thread not found"
    once the chain's first message is gone."""
    message = update.effective_message
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


async def alert(update: Update, text: str) -> None:
    """A short pop-up for a button press that cannot be honoured (stale, forged, not yours)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
