"""Issue 14: users send videos and documents, the bot downloads them (getFile, 20 MB limit)
and sends a photo back; every call spec-checked like the other methods."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import Emulator, User


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


async def test_a_users_video_arrives_as_an_update_and_downloads_with_get_file(
    emu: Emulator, ann: User, bot: Bot
) -> None:
    emu.send_file(ann, b"fake mp4 bytes", "video", duration=12)
    updates = await bot.get_updates()
    video = updates[-1].message.video
    assert (video.file_size, video.mime_type) == (14, "video/mp4")
    assert (
        emu.calls_to("getUpdates")[-1].response["result"][-1]["message"]["video"]["duration"] == 12
    )
    telegram_file = await bot.get_file(video.file_id)
    # Telegram's layout: <root>/file/bot<token>/<file_path>, where getFile said file_path.
    assert telegram_file.file_path.startswith(emu.base_file_url + "123456789:")
    assert telegram_file.file_path.endswith("/videos/file_1.mp4")
    assert await telegram_file.download_as_bytearray() == b"fake mp4 bytes"
    emu.assert_no_violations()


async def test_video_notes_and_documents_are_messages_of_their_kind(
    emu: Emulator, ann: User, bot: Bot
) -> None:
    emu.send_file(ann, b"round", "video_note")
    emu.send_file(ann, b"%PDF", "document", file_name="x.pdf", mime_type="application/pdf")
    first, second = (await bot.get_updates())[-2:]
    assert first.message.video_note.length == 240
    assert second.message.document.file_name == "x.pdf"
    with pytest.raises(ValueError, match="kind must be"):
        emu.send_file(ann, b"?", "sticker")


async def test_files_over_20_mb_cannot_be_downloaded(emu: Emulator, ann: User, bot: Bot) -> None:
    emu.send_file(ann, b"x", "video", size=21 * 1024 * 1024)
    video = (await bot.get_updates())[-1].message.video
    assert video.file_size == 21 * 1024 * 1024
    with pytest.raises(BadRequest, match="too big"):
        await bot.get_file(video.file_id)


async def test_send_photo_stores_the_picture_with_its_size_and_caption(
    emu: Emulator, ann: User, bot: Bot
) -> None:
    sent = await bot.send_photo(ann.id, png(300, 120), caption="<b>Chart</b>", parse_mode="HTML")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (300, 120)
    assert sent.caption == "Chart"
    stored = emu.last_message(ann)
    assert emu.file(stored["photo"][0]["file_id"]).content.startswith(b"\x89PNG")
    emu.assert_no_violations()


async def test_send_photo_refuses_what_is_not_an_image_and_spec_checks_the_caption(
    emu: Emulator, ann: User, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(ann.id, b"not an image")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(ann.id, png(10, 10), caption="x" * 1025)
