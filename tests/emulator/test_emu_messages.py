"""Messages keep their current state; edits, deletions and documents behave as on Telegram."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden

from bot.emulator import Emulator, User

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])


async def test_identical_edit_is_not_modified(bot: Bot, emu: Emulator, ann: User) -> None:
    sent = await bot.send_message(ann.id, "<b>Hi</b>", parse_mode="HTML", reply_markup=KEYBOARD)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>Hi</b>", ann.id, sent.message_id, parse_mode="HTML", reply_markup=KEYBOARD
        )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ann.id, sent.message_id, reply_markup=KEYBOARD)

    assert emu.violations == []  # a refused no-op edit is Telegram's answer, not a spec breach


async def test_edit_without_markup_drops_the_keyboard(bot: Bot, emu: Emulator, ann: User) -> None:
    sent = await bot.send_message(ann.id, "Question?", reply_markup=KEYBOARD)

    edited = await bot.edit_message_text("Answered.", ann.id, sent.message_id)

    assert edited.reply_markup is None
    (current,) = emu.chat_messages(ann)
    assert current["text"] == "Answered."
    assert "reply_markup" not in current
    assert "edit_date" in current
    assert emu.calls_to("sendMessage")[0].result["text"] == "Question?"  # snapshots stay


async def test_missing_messages_cant_be_edited_or_deleted(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    sent = await bot.send_message(ann.id, "bye")
    assert await bot.delete_message(ann.id, sent.message_id)

    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", ann.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(ann.id, sent.message_id)
    assert emu.chat_messages(ann) == []
    assert emu.last_message(ann) is None


async def test_unknown_chat_and_unstarted_user(bot: Bot, emu: Emulator) -> None:
    stranger = emu.add_user("Bo")

    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-123, "x")
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(stranger.id, "x")

    emu.send_text(stranger, "/start")
    assert (await bot.send_message(stranger.id, "hello")).text == "hello"


async def test_document_upload_is_kept_and_downloadable(bot: Bot, emu: Emulator, ann: User) -> None:
    sent = await bot.send_document(
        ann.id,
        b"night,smiles\n1,3\n",
        filename="sleep.csv",
        caption="<i>Your log</i>",
        parse_mode="HTML",
    )

    stored = emu.document(emu.last_message(ann) or {})
    assert (stored.file_name, stored.content) == ("sleep.csv", b"night,smiles\n1,3\n")
    assert sent.caption == "Your log"
    assert sent.caption_entities[0].type == "italic"
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == stored.content
    assert emu.calls_to("sendDocument")[0].files["document"].filename == "sleep.csv"


async def test_replies_quote_the_current_message(bot: Bot, emu: Emulator, ann: User) -> None:
    update = emu.send_text(ann, "my baby twitches")
    asked = update["message"]["message_id"]

    reply = await bot.send_message(ann.id, "Noted", reply_parameters=ReplyParameters(asked))

    assert reply.reply_to_message.text == "my baby twitches"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(ann.id, "x", reply_parameters=ReplyParameters(999))
    [user_message, bot_message] = emu.history(ann)
    assert (user_message["text"], bot_message["text"]) == ("my baby twitches", "Noted")


async def test_groups_channels_and_members(bot: Bot, emu: Emulator, ann: User) -> None:
    group = emu.add_group("Family", members={ann: "creator"})
    channel = emu.add_channel("Sleep news", "sleepnews", admins=[ann], can_post_messages=False)

    post = await bot.send_message(group.id, "hello group")
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights"):
        await bot.send_message("@sleepnews", "post")
    owner = await bot.get_chat_member(group.id, ann.id)
    admins = await bot.get_chat_administrators(channel.id)
    info = await bot.get_chat(group.id)
    assert await bot.leave_chat(group.id)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the group chat"):
        await bot.send_message(group.id, "still here?")

    assert group.id < 0 and str(channel.id).startswith("-100")
    assert post.chat.type == "group"
    assert owner.status == "creator"
    assert {member.user.id for member in admins} == {ann.id, emu.bot_user.id}
    assert info.title == "Family"
    assert emu.pending_updates()[-1]["my_chat_member"]["new_chat_member"]["status"] == "left"
    emu.assert_no_violations()


async def test_privacy_mode_hides_chatter_in_groups(emu: Emulator, ann: User) -> None:
    group = emu.add_group("Family", members={ann: "member"})

    emu.send_text(ann, "just chatting", chat=group)
    emu.send_text(ann, "/help@sleepsigns_bot", chat=group)
    emu.send_text(ann, "/help@other_bot", chat=group)
    emu.send_text(ann, "hey @sleepsigns_bot", chat=group)

    delivered = [u["message"]["text"] for u in emu.pending_updates()]
    assert delivered == ["/help@sleepsigns_bot", "hey @sleepsigns_bot"]
    assert len(emu.dropped_updates) == 2


async def test_channel_forwards_and_the_bot_joining_a_group(
    bot: Bot, emu: Emulator, ann: User
) -> None:
    channel = emu.add_channel("Sleep news", "sleepnews", admins=[ann])
    group = emu.add_group("Family", members={ann: "creator"}, bot_status="left")

    emu.forward_channel_post(ann, channel, "Read this")
    emu.chat_member_update(group, emu.bot_user, "left", "member", by=ann)
    forwarded, joined = await bot.get_updates()
    post = await bot.send_message(channel.id, "post")
    hello = await bot.send_message(group.id, "hi")

    assert forwarded.message.forward_origin.chat.id == channel.id
    assert forwarded.message.text == "Read this"
    assert joined.my_chat_member.new_chat_member.status == "member"
    assert joined.my_chat_member.from_user.id == ann.id
    assert post.sender_chat.id == channel.id and post.from_user is None
    assert hello.chat.id == group.id
