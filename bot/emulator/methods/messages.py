"""Sending, editing and deleting messages: sendMessage, sendDocument, editMessageText,
editMessageReplyMarkup, deleteMessage, sendChatAction."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from bot.emulator.errors import MESSAGE_NOT_MODIFIED, ApiError, bad_request, spec_violation
from bot.emulator.methods.base import (
    MethodContext,
    apply_send_options,
    ensure_can_send,
    ensure_member,
    formatted,
    is_admin,
    new_bot_message,
)
from bot.emulator.models import Chat, StoredFile, UploadedFile
from bot.emulator.state import now_unix

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _message_text(ctx: MethodContext) -> tuple[str, list[dict[str, Any]]]:
    params = ctx.params
    result = formatted(
        params.get("text"),
        params.get("parse_mode"),
        params.get("entities"),
        low=1,
        high=TEXT_LIMIT,
        empty="message text is empty",
        too_long="message is too long",
    )
    return result.text, result.entities


async def send_message(ctx: MethodContext) -> dict[str, Any]:
    chat = ctx.chat()
    ensure_can_send(ctx.world, ctx.bot, chat)
    text, entities = _message_text(ctx)
    message = new_bot_message(ctx.bot, chat)
    apply_send_options(ctx, chat, message)
    message["text"] = text
    if entities:
        message["entities"] = entities
    if isinstance(ctx.params.get("link_preview_options"), dict):
        message["link_preview_options"] = ctx.params["link_preview_options"]
    ctx.world.store_message(chat, message, by_bot=True)
    return message


def _stored_document(ctx: MethodContext, document: Any) -> StoredFile:
    world = ctx.world
    if isinstance(document, UploadedFile):
        if not document.content:
            raise bad_request("file must be non-empty")
        file_id, unique_id, serial = world.new_file_ids()
        name = document.filename or "document"
        mime_type = document.mime_type or mimetypes.guess_type(name)[0]
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            file_name=name,
            content=document.content,
            mime_type=mime_type or "application/octet-stream",
            file_path=f"documents/file_{serial}{PurePath(name).suffix}",
        )
        world.files[file_id] = stored
        return stored
    if isinstance(document, str) and document in world.files:
        return world.files[document]
    if isinstance(document, str) and document.startswith(("http://", "https://")):
        # The emulator never leaves 127.0.0.1, so URLs can't be fetched.
        raise bad_request("failed to get HTTP URL content")
    raise bad_request("wrong file identifier/HTTP URL specified")


def caption_fields(params: dict[str, Any]) -> dict[str, Any]:
    """A media message's `caption` and `caption_entities`, checked like Telegram checks them
    (before the message exists, so a refused caption takes no message id)."""
    if not params.get("caption"):
        return {}
    caption = formatted(
        params["caption"],
        params.get("parse_mode"),
        params.get("caption_entities"),
        low=0,
        high=CAPTION_LIMIT,
        empty="",
        too_long="message caption is too long",
    )
    fields: dict[str, Any] = {}
    if caption.text:
        fields["caption"] = caption.text
        if caption.entities:
            fields["caption_entities"] = caption.entities
    return fields


async def send_document(ctx: MethodContext) -> dict[str, Any]:
    chat = ctx.chat()
    ensure_can_send(ctx.world, ctx.bot, chat)
    stored = _stored_document(ctx, ctx.require("document"))
    caption = caption_fields(ctx.params)
    message = new_bot_message(ctx.bot, chat)
    apply_send_options(ctx, chat, message)
    message["document"] = {
        "file_name": stored.file_name,
        "mime_type": stored.mime_type,
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    message.update(caption)
    ctx.world.store_message(chat, message, by_bot=True)
    return message


def _message_to_edit(ctx: MethodContext) -> tuple[Chat, dict[str, Any]]:
    params = ctx.params
    if "inline_message_id" in params:
        # Messages sent via inline mode aren't tracked by the emulator.
        raise bad_request("MESSAGE_ID_INVALID")
    if params.get("chat_id") is None or params.get("message_id") is None:
        raise spec_violation(
            "message identifier is not specified",
            "needs chat_id and message_id (or inline_message_id)",
        )
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    message = chat.messages.get(params["message_id"])
    if message is None:
        raise bad_request("message to edit not found")
    if params["message_id"] not in chat.bot_message_ids:
        raise bad_request("message can't be edited")
    return chat, message


def _replace(ctx: MethodContext, chat: Chat, message: dict[str, Any], **changes: Any) -> dict:
    edited = {key: value for key, value in message.items() if key not in changes}
    edited.update({key: value for key, value in changes.items() if value not in (None, [])})
    edited["edit_date"] = now_unix()
    ctx.world.store_message(chat, edited, by_bot=True)
    return edited


async def edit_message_text(ctx: MethodContext) -> dict[str, Any]:
    chat, message = _message_to_edit(ctx)
    if "text" not in ctx.params:
        raise spec_violation("message text is empty", "editMessageText needs text")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    text, entities = _message_text(ctx)
    # Telegram drops the inline keyboard when an edit doesn't repeat it.
    markup = ctx.params.get("reply_markup")
    if (
        text == message.get("text")
        and entities == message.get("entities", [])
        and markup == message.get("reply_markup")
    ):
        raise ApiError(400, MESSAGE_NOT_MODIFIED)
    return _replace(
        ctx,
        chat,
        message,
        text=text,
        entities=entities,
        reply_markup=markup,
        link_preview_options=ctx.params.get("link_preview_options"),
    )


async def edit_message_reply_markup(ctx: MethodContext) -> dict[str, Any]:
    chat, message = _message_to_edit(ctx)
    markup = ctx.params.get("reply_markup")
    if markup == message.get("reply_markup"):
        raise ApiError(400, MESSAGE_NOT_MODIFIED)
    return _replace(ctx, chat, message, reply_markup=markup)


async def delete_message(ctx: MethodContext) -> bool:
    chat = ctx.chat()
    ensure_member(ctx.bot, chat)
    message_id = ctx.require("message_id")
    if message_id not in chat.messages:
        raise bad_request("message to delete not found")
    own = message_id in chat.bot_message_ids
    allowed = (
        chat.type == "private"
        or (own and chat.type != "channel")
        or is_admin(chat, ctx.bot.id, "can_delete_messages")
    )
    if not allowed:
        raise bad_request("message can't be deleted")
    ctx.world.remove_message(chat, message_id)
    return True


async def send_chat_action(ctx: MethodContext) -> bool:
    chat = ctx.chat()
    if chat.type == "channel":
        raise spec_violation("chat actions can't be sent to channel chats")
    ensure_can_send(ctx.world, ctx.bot, chat)
    action = ctx.require("action")
    if action not in CHAT_ACTIONS:
        raise spec_violation("wrong parameter action in request", f"unknown action {action!r}")
    return True
