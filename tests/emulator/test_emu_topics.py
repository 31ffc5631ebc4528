"""Forum supergroups: topics opened, closed and deleted, by users and by the bot, and sends into
them refused the way Telegram refuses them."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import Emulator, User


@pytest.fixture
def admin(emu: Emulator) -> User:
    return emu.add_user("Ada")


def forum_group(emu: Emulator, admin: User, bot_status: str = "member"):
    return emu.add_group(
        "Sep 2026 babies",
        supergroup=True,
        forum=True,
        members={admin: "administrator"},
        bot_status=bot_status,
    )


async def test_messages_in_a_topic_carry_its_thread(bot: Bot, emu: Emulator, admin: User) -> None:
    group = forum_group(emu, admin)
    thread = emu.create_topic(group, "Sleep", by=admin)
    [created] = emu.pending_updates()
    assert created["message"]["forum_topic_created"]["name"] == "Sleep"
    assert created["message"]["message_thread_id"] == thread == created["message"]["message_id"]

    update = emu.send_text(admin, "/reminders@sleepsigns_bot", group, topic=thread)
    message = update["message"]
    assert message["message_thread_id"] == thread and message["is_topic_message"]
    assert message["reply_to_message"]["forum_topic_created"]["name"] == "Sleep"
    general = emu.send_text(admin, "/reminders@sleepsigns_bot", group)["message"]
    assert "message_thread_id" not in general and "is_topic_message" not in general

    sent = await bot.send_message(group.id, "In the topic", message_thread_id=thread)
    assert sent.message_thread_id == thread and sent.is_topic_message
    [stored] = emu.chat_messages(group)
    assert stored["message_thread_id"] == thread
    assert emu.violations == []


async def test_a_deleted_topic_refuses_sends_and_takes_its_messages(
    bot: Bot, emu: Emulator, admin: User
) -> None:
    group = forum_group(emu, admin)
    thread = emu.create_topic(group, "Sleep", by=admin)
    await bot.send_message(group.id, "In the topic", message_thread_id=thread)
    await bot.send_message(group.id, "In General")

    emu.delete_topic(group, thread, by=admin)

    with pytest.raises(BadRequest, match=r"^Message thread not found$"):
        await bot.send_message(group.id, "Again", message_thread_id=thread)
    assert emu.calls_to("sendMessage")[-1].description == "Bad Request: message thread not found"
    assert [m["text"] for m in emu.chat_messages(group)] == ["In General"]
    with pytest.raises(ValueError, match="can't write in topic"):
        emu.send_text(admin, "hello?", group, topic=thread)


async def test_a_closed_topic_takes_messages_only_from_admins_who_manage_topics(
    bot: Bot, emu: Emulator, admin: User
) -> None:
    group = forum_group(emu, admin)
    thread = emu.create_topic(group, "Sleep", by=admin)
    emu.close_topic(group, thread, by=admin)
    closed = emu.pending_updates()[-1]["message"]
    assert "forum_topic_closed" in closed and closed["message_thread_id"] == thread

    with pytest.raises(BadRequest, match=r"(?i)^topic_closed$"):
        await bot.send_message(group.id, "Note", message_thread_id=thread)
    assert emu.calls_to("sendMessage")[-1].description == "Bad Request: TOPIC_CLOSED"
    emu.send_text(admin, "admins still can", group, topic=thread)

    emu.reopen_topic(group, thread, by=admin)
    assert (await bot.send_message(group.id, "Note", message_thread_id=thread)).is_topic_message
    assert emu.violations == []


async def test_the_bot_runs_topics_with_the_right_to(bot: Bot, emu: Emulator, admin: User) -> None:
    group = forum_group(emu, admin, bot_status="administrator")
    topic = await bot.create_forum_topic(group.id, "Reminders")
    assert topic.name == "Reminders" and topic.icon_color == 0x6FB9F0
    assert await bot.close_forum_topic(group.id, topic.message_thread_id)
    # An admin who may manage topics still posts in a closed one.
    await bot.send_message(group.id, "Note", message_thread_id=topic.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)topic_not_modified"):
        await bot.close_forum_topic(group.id, topic.message_thread_id)
    assert await bot.delete_forum_topic(group.id, topic.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.reopen_forum_topic(group.id, topic.message_thread_id)
    assert emu.chat_messages(group) == []


async def test_topics_need_a_forum_and_rights(bot: Bot, emu: Emulator, admin: User) -> None:
    plain = emu.add_group("Plain", supergroup=True, bot_status="administrator")
    with pytest.raises(BadRequest, match=r"(?i)the chat is not a forum"):
        await bot.create_forum_topic(plain.id, "Reminders")
    group = forum_group(emu, admin)  # the bot is a plain member there
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to create a topic"):
        await bot.create_forum_topic(group.id, "Reminders")
    thread = emu.create_topic(group, "Sleep", by=admin)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to close or open the topic"):
        await bot.close_forum_topic(group.id, thread)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to delete the topic"):
        await bot.delete_forum_topic(group.id, thread)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(group.id, "Note", message_thread_id=thread + 100)


async def test_a_reply_thread_outside_forums_still_works(
    bot: Bot, emu: Emulator, admin: User
) -> None:
    group = emu.add_group("Plain", supergroup=True, members={admin: "administrator"})
    question = emu.send_text(admin, "/help@sleepsigns_bot", group)["message"]
    sent = await bot.send_message(group.id, "x", message_thread_id=question["message_id"])
    assert sent.message_thread_id == question["message_id"] and not sent.is_topic_message


async def test_topic_messages_and_the_transcript_show_where_a_message_went(
    bot: Bot, emu: Emulator, admin: User
) -> None:
    group = forum_group(emu, admin)
    thread = emu.create_topic(group, "Sleep", by=admin)
    await bot.send_message(group.id, "In the topic", message_thread_id=thread)
    await bot.send_message(group.id, "In General")
    assert [m["text"] for m in emu.topic_messages(group, thread)] == ["In the topic"]
    assert [m["text"] for m in emu.topic_messages(group, None)] == ["In General"]
    transcript = emu.transcript(group)
    assert "(topic created: Sleep)" in transcript
    assert f"In the topic (in topic {thread})" in transcript


async def test_replies_carry_their_thread_but_only_topics_are_topic_messages(
    emu: Emulator, admin: User
) -> None:
    group = forum_group(emu, admin)
    thread = emu.create_topic(group, "Sleep", by=admin)
    in_topic = emu.send_text(admin, "first", group, topic=thread)["message"]
    reply = emu.send_text(admin, "second", group, reply_to=in_topic)["message"]
    assert reply["message_thread_id"] == thread and reply["is_topic_message"]

    in_general = emu.send_text(admin, "/help", group)["message"]
    general_reply = emu.send_text(admin, "/help", group, reply_to=in_general)["message"]
    assert general_reply["message_thread_id"] == in_general["message_id"]
    assert "is_topic_message" not in general_reply
