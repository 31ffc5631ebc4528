"""A real Application reacting to button presses and inline queries, awaited the easy way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
)

from bot.emulator import Emulator, User


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text("Welcome!")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("😊 Smiles", callback_data="smile")],
            [InlineKeyboardButton("Twitches", callback_data="twitch")],
        ]
    )
    await update.message.reply_text("What did you notice?", reply_markup=keyboard)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Looking at {query.data}")
    await query.edit_message_text(f"You picked {query.data}.")


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.inline_query is not None
    text = update.inline_query.query
    await update.inline_query.answer(
        [
            InlineQueryResultArticle(
                "1", f"About {text}", InputTextMessageContent(f"<b>{text}</b>", parse_mode="HTML")
            )
        ]
    )


@pytest.fixture
async def app(emu: Emulator, token: str) -> AsyncIterator[Application]:
    application = Application.builder().token(token).base_url(emu.base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(InlineQueryHandler(inline))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, allowed_updates=Update.ALL_TYPES)
        yield application
        await application.updater.stop()
        await application.stop()


async def test_press_button_round_trip(app: Application, emu: Emulator, ann: User) -> None:
    emu.send_text(ann, "/start")
    welcome = await emu.next_message(ann)
    menu = await emu.next_message(ann)

    update = emu.press_button(ann, menu, "Smiles")
    edited = await emu.next_edit(ann, menu["message_id"])
    answer = await emu.callback_answer(update)

    assert welcome["text"] == "Welcome!"
    assert answer["text"] == "Looking at smile"
    assert edited["text"] == "You picked smile."
    assert "reply_markup" not in emu.chat_messages(ann)[-1]
    assert emu.unanswered_callback_queries() == []
    await emu.settle()
    assert "bot: You picked smile. (edited)" in emu.transcript(ann)
    with pytest.raises(ValueError, match="no inline keyboard"):
        emu.press_button(ann, menu, "Twitches")  # the edit removed the keyboard
    emu.assert_no_violations()


async def test_inline_query_round_trip(app: Application, emu: Emulator, ann: User) -> None:
    update = emu.inline_query(ann, "twitch")

    answer = await emu.inline_answer(update)

    (result,) = answer["results"]
    assert result["title"] == "About twitch"
    assert result["input_message_content"]["parse_mode"] == "HTML"
    emu.assert_no_violations()


async def test_waiting_times_out_with_the_recent_calls(
    app: Application, emu: Emulator, ann: User
) -> None:
    emu.send_text(ann, "/start")
    await emu.next_message(ann)
    await emu.next_message(ann)

    with pytest.raises(AssertionError) as raised:
        await emu.next_message(ann, timeout=0.2)

    report = str(raised.value)
    assert "Timed out after 0.2s waiting for a message to chat" in report
    assert "sendMessage(chat_id=" in report
    assert "text='What did you notice?'" in report
