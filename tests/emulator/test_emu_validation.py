"""Spec and limit violations answer 400 like Telegram and are recorded in emu.violations."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.error import BadRequest

from bot.emulator import Emulator, User


async def test_unknown_parameter_is_refused(bot: Bot, emu: Emulator, ann: User) -> None:
    with pytest.raises(BadRequest, match=r'(?i)unknown parameter "colour"'):
        await bot.send_message(ann.id, "hi", api_kwargs={"colour": "red"})

    assert emu.violations == ["sendMessage: colour: unknown parameter for sendMessage"]
    assert emu.chat_messages(ann) == []


async def test_text_over_4096_characters_is_too_long(bot: Bot, emu: Emulator, ann: User) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(ann.id, "z" * 4097)

    assert emu.violations == [
        "sendMessage: 4097 characters after entity parsing; the limit is 4096"
    ]


async def test_length_counts_after_html_parsing(bot: Bot, emu: Emulator, ann: User) -> None:
    text = "<b>" + "z" * 4096 + "</b>"  # 4103 characters sent, 4096 after parsing

    message = await bot.send_message(ann.id, text, parse_mode="HTML")

    assert len(message.text) == 4096
    assert message.entities[0].type == "bold"
    emu.assert_no_violations()


async def test_empty_text_is_refused(bot: Bot, emu: Emulator, ann: User) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
        await bot.send_message(ann.id, "<i> </i>", parse_mode="HTML")
    assert len(emu.violations) == 1


async def test_callback_data_over_64_bytes(bot: Bot, emu: Emulator, ann: User) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Too much", callback_data="x" * 65)]])

    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ann.id, "Pick", reply_markup=keyboard)

    assert emu.violations == [
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 65"
    ]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("<p>hello</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>é</b><i>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("é<br/>", 'Unsupported start tag "br/" at byte offset 2'),  # offsets count UTF-8 bytes
    ],
)
async def test_bad_html_cant_be_parsed(
    bot: Bot, emu: Emulator, ann: User, text: str, complaint: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(ann.id, text, parse_mode="HTML")

    assert emu.calls[-1].description == f"Bad Request: can't parse entities: {complaint}"
    assert emu.violations == [f"sendMessage: can't parse entities: {complaint}"]


async def test_markdown_v2_gets_a_400_and_a_violation(bot: Bot, emu: Emulator, ann: User) -> None:
    with pytest.raises(BadRequest, match="unsupported by this emulator"):
        await bot.send_message(ann.id, r"*Sleep* 12\-14 hours\.", parse_mode="MarkdownV2")

    assert emu.calls[-1].status == 400
    assert emu.violations == [
        "sendMessage: parse_mode MarkdownV2 is unsupported by this emulator, which checks HTML only"
    ]


async def test_nested_objects_are_checked_against_the_spec(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go", "colour": "red"}]]}

    with pytest.raises(BadRequest, match=r'(?i)unknown field "colour"'):
        await bot.send_message(ann.id, "x", api_kwargs={"reply_markup": markup})
    with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
        await bot.send_message(
            ann.id, "x", api_kwargs={"reply_markup": {"inline_keyboard": [[{"text": "Go"}]]}}
        )

    assert emu.violations[0].startswith(
        "sendMessage: reply_markup.inline_keyboard[0][0].colour: unknown field"
    )


async def test_command_names_and_counts(bot: Bot, emu: Emulator) -> None:
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "Begin")])
    with pytest.raises(BadRequest, match=r"(?i)too many items"):
        await bot.set_my_commands([BotCommand(f"c{n}", "x") for n in range(101)])

    await bot.set_my_commands([BotCommand("start", "Begin")], language_code="de")

    assert emu.commands(language_code="de") == [{"command": "start", "description": "Begin"}]
    assert emu.commands() == []  # no fallback between languages
    assert await bot.get_my_commands() == ()
    assert len(emu.violations) == 2


async def test_answer_callback_text_over_200_characters(bot: Bot, emu: Emulator, ann: User) -> None:
    message = await bot.send_message(
        ann.id,
        "Q",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
    )
    update = emu.press_button(ann, message.to_dict(), "A")

    with pytest.raises(BadRequest):
        await bot.answer_callback_query(update["callback_query"]["id"], text="x" * 201)

    assert emu.violations == ["answerCallbackQuery: text: must be 0-200 characters, got 201"]


async def test_inline_results_must_be_unique_and_few(bot: Bot, emu: Emulator, ann: User) -> None:
    def article(result_id: str) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(result_id, "T", InputTextMessageContent("body"))

    first = emu.inline_query(ann, "twitch")["inline_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(first, [article("a"), article("a")])
    with pytest.raises(BadRequest, match=r"(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query(first, [article(str(n)) for n in range(51)])
    with pytest.raises(BadRequest, match=r"(?i)RESULT_ID_INVALID"):
        await bot.answer_inline_query(first, [article("x" * 65)])

    assert await bot.answer_inline_query(first, [article("a"), article("b")])
    assert len(emu.violations) == 3


async def test_inline_message_text_counts_after_parsing(bot: Bot, emu: Emulator, ann: User) -> None:
    query = emu.inline_query(ann, "long")["inline_query"]["id"]
    fits = InputTextMessageContent("<b>" + "z" * 4096 + "</b>", parse_mode="HTML")
    empty = InputTextMessageContent("<b></b>", parse_mode="HTML")

    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_EMPTY"):
        await bot.answer_inline_query(query, [InlineQueryResultArticle("1", "T", empty)])
    assert await bot.answer_inline_query(query, [InlineQueryResultArticle("1", "T", fits)])
    assert len(emu.violations) == 1


async def test_copy_text_buttons_are_accepted_and_checked(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    good = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Copy 112", copy_text=CopyTextButton("112"))]]
    )
    message = await bot.send_message(ann.id, "Call 112 now", reply_markup=good)
    [[button]] = emu.chat_messages(ann)[-1]["reply_markup"]["inline_keyboard"]
    assert button == {"text": "Copy 112", "copy_text": {"text": "112"}}
    assert message.reply_markup == good
    with pytest.raises(ValueError, match="is a copy_text button, not a callback"):
        emu.press_button(ann, emu.chat_messages(ann)[-1], "Copy 112")  # copies, sends nothing
    assert emu.violations == []

    cases = {
        "empty": {"text": "Copy", "copy_text": {"text": ""}},
        "too long": {"text": "Copy", "copy_text": {"text": "1" * 257}},
        "no text": {"text": "Copy", "copy_text": {}},
        "two actions": {"text": "Copy", "copy_text": {"text": "112"}, "callback_data": "x"},
    }
    for name, raw in cases.items():
        with pytest.raises(BadRequest):
            await bot.send_message(
                ann.id, "x", api_kwargs={"reply_markup": {"inline_keyboard": [[raw]]}}
            )
        assert emu.violations, name
    assert len(emu.violations) == len(cases)
    assert len(emu.chat_messages(ann)) == 1
