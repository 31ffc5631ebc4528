"""sendPhoto: an uploaded picture (or a known file_id) becomes a message with PhotoSize sizes."""

from __future__ import annotations

import struct
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.base import (
    MethodContext,
    apply_send_options,
    ensure_can_send,
    new_bot_message,
)
from bot.emulator.methods.messages import caption_fields
from bot.emulator.models import StoredFile, UploadedFile

PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram: photos up to 10 MB
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG; Telegram refuses what it can't read as an image."""
    if content.startswith(PNG_SIGNATURE) and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    if content.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(content):
            marker, length = (
                content[index + 1],
                struct.unpack(">H", content[index + 2 : index + 4])[0],
            )
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", content[index + 5 : index + 9])
                return width, height
            index += 2 + length
    raise bad_request("IMAGE_PROCESS_FAILED")


def _stored_photo(ctx: MethodContext, photo: Any) -> tuple[StoredFile, int, int]:
    world = ctx.world
    if isinstance(photo, UploadedFile):
        if len(photo.content) > PHOTO_LIMIT:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        width, height = image_size(photo.content)
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        file_id, unique_id, serial = world.new_file_ids()
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            file_name=None,
            content=photo.content,
            mime_type="image/png" if photo.content.startswith(PNG_SIGNATURE) else "image/jpeg",
            file_path=f"photos/file_{serial}.jpg",
        )
        world.files[file_id] = stored
        return stored, width, height
    if isinstance(photo, str) and photo in world.files:
        stored = world.files[photo]
        width, height = image_size(stored.content)
        return stored, width, height
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_photo(ctx: MethodContext) -> dict[str, Any]:
    chat = ctx.chat()
    ensure_can_send(ctx.world, ctx.bot, chat)
    stored, width, height = _stored_photo(ctx, ctx.require("photo"))
    caption = caption_fields(ctx.params)
    message = new_bot_message(ctx.bot, chat)
    apply_send_options(ctx, chat, message)
    message["photo"] = [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "width": width,
            "height": height,
        }
    ]
    message.update(caption)
    ctx.world.store_message(chat, message, by_bot=True)
    return message
