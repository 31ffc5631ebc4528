"""The Bot API methods the emulator implements, by their spec name.

Each handler takes a `MethodContext` (already authenticated and, unless validation is off,
checked against the spec) and returns the `result`, or raises `ApiError`.
"""

from __future__ import annotations

from bot.emulator.methods import (
    chats,
    commands,
    descriptions,
    files,
    messages,
    photos,
    queries,
    topics,
    updates,
)
from bot.emulator.methods.base import Handler, MethodContext

HANDLERS: dict[str, Handler] = {
    "getMe": updates.get_me,
    "getUpdates": updates.get_updates,
    "setWebhook": updates.set_webhook,
    "deleteWebhook": updates.delete_webhook,
    "getWebhookInfo": updates.get_webhook_info,
    "sendMessage": messages.send_message,
    "sendDocument": messages.send_document,
    "sendChatAction": messages.send_chat_action,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "answerCallbackQuery": queries.answer_callback_query,
    "answerInlineQuery": queries.answer_inline_query,
    "setMyCommands": commands.set_my_commands,
    "getMyCommands": commands.get_my_commands,
    "deleteMyCommands": commands.delete_my_commands,
    "setMyDescription": descriptions.set_my_description,
    "getMyDescription": descriptions.get_my_description,
    "setMyShortDescription": descriptions.set_my_short_description,
    "getMyShortDescription": descriptions.get_my_short_description,
    "getChat": chats.get_chat,
    "getChatMember": chats.get_chat_member,
    "getChatAdministrators": chats.get_chat_administrators,
    "getChatMemberCount": chats.get_chat_member_count,
    "leaveChat": chats.leave_chat,
    "getFile": files.get_file,
    "sendPhoto": photos.send_photo,
    "createForumTopic": topics.create_forum_topic,
    "closeForumTopic": topics.close_forum_topic,
    "reopenForumTopic": topics.reopen_forum_topic,
    "deleteForumTopic": topics.delete_forum_topic,
}

__all__ = ["HANDLERS", "Handler", "MethodContext"]
