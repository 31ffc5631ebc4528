"""Users sending files: a video, a round video note, or any file as a document.

The bytes are kept like the bot's own uploads, so getFile and the download route serve them;
the message is checked against the spec's Message type before the bot sees it.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from bot.emulator.models import StoredFile, User
from bot.emulator.observe import ChatRef
from bot.emulator.spec import load_spec
from bot.emulator.user_text import bot_reads

FOLDERS = {"video": "videos", "video_note": "video_notes", "document": "documents"}


class UploadActionsMixin:
    """Mixed into `Emulator` next to `UserActionsMixin` (whose helpers it uses)."""

    def send_file(
        self,
        user: User,
        content: bytes,
        kind: str = "video",
        chat: ChatRef | None = None,
        *,
        file_name: str | None = None,
        mime_type: str | None = "video/mp4",
        duration: int = 10,
        size: int | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """`user` sends `content` as a `kind` (video, video_note or document). `size` stands in
        for a file too big to build in a test: it is what Telegram reports as file_size."""
        if kind not in FOLDERS:
            raise ValueError(f"kind must be one of {', '.join(FOLDERS)}")
        bot = self._bot()  # type: ignore[attr-defined]
        target = self._target_chat(user, chat)  # type: ignore[attr-defined]
        self._check_can_write(bot, user, target)  # type: ignore[attr-defined]
        world = self.world  # type: ignore[attr-defined]
        file_id, unique_id, serial = world.new_file_ids()
        suffix = PurePath(file_name).suffix if file_name else ".mp4"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            file_name=file_name,
            content=content,
            mime_type=mime_type,
            file_path=f"{FOLDERS[kind]}/file_{serial}{suffix}",
            reported_size=size,
        )
        world.files[file_id] = stored
        attachment: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": stored.file_size,
        }
        if kind == "video":
            attachment |= {"width": 320, "height": 240, "duration": duration}
        elif kind == "video_note":
            attachment |= {"length": 240, "duration": duration}
        if kind != "video_note" and mime_type:
            attachment["mime_type"] = mime_type
        if kind != "video_note" and file_name:
            attachment["file_name"] = file_name
        content_fields: dict[str, Any] = {kind: attachment}
        if caption:
            content_fields["caption"] = caption
        message = self._user_message(user, target, **content_fields)  # type: ignore[attr-defined]
        problems = load_spec().check_value(message, ("Message",), "message")
        if problems:
            raise ValueError(f"not a valid Message: {problems[0]}")
        if target.type == "private":
            bot.started_by.add(user.id)
        visible = bot_reads(bot, target, caption or "", None)
        return self._deliver(bot, {"message": message}, visible=visible)  # type: ignore[attr-defined]
